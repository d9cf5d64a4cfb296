import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeOpenApiDocument } from './openapi-document.js';

// Writes packages/core-api/openapi.json (one level above src/ and dist/ alike),
// the file the SDK generates its types from. Run by `npm run build`.
const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
writeFileSync(target, serializeOpenApiDocument());
console.log(`wrote ${target}`);
