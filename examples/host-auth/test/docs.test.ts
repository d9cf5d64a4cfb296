import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The guides' code samples come from the examples: a block right after
// `<!-- from examples/… -->` must appear, line for line (indentation aside),
// in that file, so a sample cannot drift from code that is tested.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const guides = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
const lines = (text: string) => text.split('\n').map((line) => line.trim());

function samples(markdown: string): Array<{ source: string; code: string[] }> {
  const found = [];
  for (const match of markdown.matchAll(/<!-- from (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) found.push({ source: match[1]!, code: lines(match[2]!) });
  return found;
}

const containsRun = (haystack: string[], needle: string[]) =>
  haystack.some((_, start) => needle.every((line, offset) => haystack[start + offset] === line));

describe('docs/ guides', () => {
  it('quote the examples verbatim', () => {
    const all = guides.flatMap((guide) => samples(readFileSync(join(DOCS, guide), 'utf8')).map((sample) => ({ guide, ...sample })));
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const { guide, source, code } of all) {
      const file = join(ROOT, source);
      expect(existsSync(file), `${guide}: ${source} exists`).toBe(true);
      expect(containsRun(lines(readFileSync(file, 'utf8')), code), `${guide}: sample from ${source}:\n${code.join('\n')}`).toBe(true);
    }
  });

  it('link only to files that exist', () => {
    for (const guide of guides) {
      for (const [, target] of readFileSync(join(DOCS, guide), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        expect(existsSync(resolve(dirname(join(DOCS, guide)), target!)), `${guide} links to ${target}`).toBe(true);
      }
    }
  });
});
