import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaSdl } from '../src/graphql/print-schema.js';

describe('schema.graphql', () => {
  it('is the schema the server builds (run `npm run build` or `npm run print-schema` after a change)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaSdl());
  });
});
