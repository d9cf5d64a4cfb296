import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient } from './support/client.js';
import { startTestServer } from './support/server.js';

describe('the app and the widgets demo on the same URL as the API', () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    const app = mkdtempSync(join(tmpdir(), 'tb-app-'));
    writeFileSync(join(app, 'index.html'), '<!doctype html><title>Taskbase app</title>');
    writeFileSync(join(app, 'main-3f2a.js'), 'export {};');
    const widgets = mkdtempSync(join(tmpdir(), 'tb-widgets-'));
    mkdirSync(join(widgets, 'demo'));
    writeFileSync(join(widgets, 'demo', 'index.html'), '<!doctype html><title>Widgets demo</title>');
    mkdirSync(join(widgets, 'src'));
    writeFileSync(join(widgets, 'src', 'secret.ts'), 'not served');
    server = await startTestServer({ TASKBASE_APP_DIR: app, TASKBASE_WIDGETS_DIR: widgets });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  it('serves the app at /, its assets with long caching, and deep links through index.html', async () => {
    const root = await client.get('/', { headers: { accept: 'text/html' } });
    expect(root.body).toContain('Taskbase app');
    expect(root.headers.get('content-security-policy')).toContain("script-src 'self'");
    // The pages talk to this API only: no ws:/wss: to any host.
    expect(root.headers.get('content-security-policy')).toMatch(/connect-src 'self'(;|$)/);
    const asset = await client.get('/main-3f2a.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deep = await client.get('/tasks/42', { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('Taskbase app');
  });

  it('keeps API paths for the API, and unknown files as 404 problems', async () => {
    expect((await client.get('/api/nope', { headers: { accept: 'text/html' } })).body.code).toBe('not_found');
    expect((await client.get('/healthz')).body).toEqual({ status: 'ok' });
    const missing = await client.get('/missing.js', { headers: { accept: 'application/javascript' } });
    expect(missing.status).toBe(404);
  });

  it('serves the widgets demo at /demo, and nothing else of the widgets package', async () => {
    const demo = await client.get('/demo');
    expect(demo.body).toContain('Widgets demo');
    expect((await client.get('/widgets/src/secret.ts')).status).toBe(404);
    expect((await client.get('/widgets/demo/../src/secret.ts')).status).toBe(404);
  });
});
