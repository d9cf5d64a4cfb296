import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(dirname(createRequire(import.meta.url).resolve('openapi-typescript/package.json')), 'bin/cli.js');

describe('src/generated/openapi.ts', () => {
  it('is what `npm run generate` makes from ../core-api/openapi.json', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'sdk-openapi-')), 'openapi.ts');
    execFileSync(process.execPath, [cli, '../core-api/openapi.json', '--output', output], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(join(root, 'src/generated/openapi.ts'), 'utf8'), 'stale: run `npm run generate -w @taskbase/sdk`').toBe(readFileSync(output, 'utf8'));
  });
});
