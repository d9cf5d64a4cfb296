import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi-document.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './support/server.js';

/**
 * packages/core-api/openapi.json is committed: the SDK generates its types
 * from it. It must be exactly what the server serves, so a route change that
 * forgets `npm run build -w @taskbase/core-api` (which rewrites it) fails here.
 */
describe('committed openapi.json', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('equals the document served at /openapi.json', async () => {
    const served = await (await fetch(`${server.url}/openapi.json`)).json();
    const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(committed, 'openapi.json is stale: run `npm run build -w @taskbase/core-api` and commit it').toEqual(served);
  });

  it('is built without a database the same way the server builds it', async () => {
    const served = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(buildOpenApiDocument()).toEqual(served);
  });
});
