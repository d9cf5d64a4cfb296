import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildGraphqlSchema } from './schema.js';

/** packages/core-api/schema.graphql, from src/graphql or dist/graphql alike. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The schema as SDL, in definition order (area by area, as schema.ts lists them). */
export function schemaSdl(): string {
  return `${printSchema(buildGraphqlSchema())}\n`;
}

// Run by `npm run build` (node dist/graphql/print-schema.js).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaSdl());
  console.log(`wrote ${SCHEMA_FILE}`);
}
