import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/**
 * The rooms of core-api from the ground up, and what each may import.
 * Ground utilities (config and its email settings, logger, metrics) serve every room but the
 * domain; the wiring files at the top (app, server, cli, …) may import
 * anything. See packages/core-api/README.md.
 */
const GROUND = ['config.ts', 'emailSettings.ts', 'logger.ts', 'metrics.ts'];
const MAY_IMPORT: Record<string, string[]> = {
  domain: [],
  // Leaves: Markdown to safe HTML, and object storage (disk or S3); neither knows the rest.
  markdown: [],
  storage: [],
  schemas: ['domain'],
  models: ['domain', 'schemas'],
  events: ['domain', 'schemas', 'models'],
  services: ['domain', 'schemas', 'models', 'events', 'markdown', 'storage'],
  webhooks: ['domain', 'schemas', 'models', 'events', 'services'],
  realtime: ['domain', 'schemas', 'models', 'events', 'services'],
  // Transports reach the database only through services; GraphQL subscriptions consume the event bus like realtime.
  http: ['domain', 'schemas', 'services'],
  routes: ['domain', 'schemas', 'services', 'http'],
  graphql: ['domain', 'schemas', 'services', 'events', 'http'],
  db: ['domain', 'schemas', 'models', 'events', 'services', 'markdown'],
  // The commands of src/cli/ (backup, restore, export, import): the database, or the API over HTTP.
  cli: ['domain', 'schemas', 'services', 'db'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The room of a file: its top folder under src/, or the file itself for the top-level ones. */
const roomOf = (path: string) => relative(SRC, path).split('/')[0]!;

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specs.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

describe('core-api import directions', () => {
  it('knows every room of src/', () => {
    const rooms = new Set(sourceFiles(SRC).map(roomOf).filter((room) => !room.endsWith('.ts')));
    expect([...rooms].filter((room) => !(room in MAY_IMPORT) && room !== 'types')).toEqual([]);
  });

  it('has every import point down the layers', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const room = roomOf(file);
      const allowed = MAY_IMPORT[room];
      if (!allowed) continue; // the wiring files at the top
      for (const target of relativeImports(file)) {
        const to = roomOf(target);
        if (to === room) continue;
        if (room !== 'domain' && GROUND.includes(to)) continue;
        if (!allowed.includes(to)) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('catches an import against the direction (the check itself can fail)', () => {
    const allowed = MAY_IMPORT.services!;
    expect(allowed.includes('http')).toBe(false);
    expect(MAY_IMPORT.domain).toEqual([]);
  });
});
