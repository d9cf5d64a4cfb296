import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './support/server.js';

/**
 * Sends the path exactly as written: fetch (and URL) resolve `..` and
 * `%2e%2e` segments before sending, so they never test what a raw client can send.
 */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath, method: 'GET', headers: { accept: '*/*' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the widgets folder serves only its dist/ and demo/ folders, whatever the raw path says', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const widgets = mkdtempSync(join(tmpdir(), 'tb-widgets-raw-'));
    mkdirSync(join(widgets, 'demo'));
    writeFileSync(join(widgets, 'demo', 'index.html'), '<!doctype html><title>Widgets demo</title>');
    mkdirSync(join(widgets, 'dist'));
    writeFileSync(join(widgets, 'dist', 'widgets.js'), 'export const widgets = 1;');
    writeFileSync(join(widgets, 'package.json'), '{"name":"secret-package-json"}');
    mkdirSync(join(widgets, 'src'));
    writeFileSync(join(widgets, 'src', 'secret.ts'), 'secret source');
    server = await startTestServer({ TASKBASE_WIDGETS_DIR: widgets });
  });
  afterAll(() => server.close());

  it('still serves the demo and the built bundle', async () => {
    expect((await rawGet(server.url, '/widgets/demo/')).body).toContain('Widgets demo');
    expect((await rawGet(server.url, '/widgets/dist/widgets.js')).body).toContain('widgets = 1');
    // A `..` that stays inside the served folder is harmless.
    expect((await rawGet(server.url, '/widgets/demo/x/%2e%2e/index.html')).body).toContain('Widgets demo');
    // ...and so is one that lands in the other served folder.
    expect((await rawGet(server.url, '/widgets/demo/%2e%2e/dist/widgets.js')).body).toContain('widgets = 1');
  });

  it.each([
    '/widgets/demo/%2e%2e/package.json',
    '/widgets/demo/%2E%2E/package.json',
    '/widgets/demo/../package.json',
    '/widgets/dist/%2e%2e/src/secret.ts',
    '/widgets/demo/..%2fpackage.json',
    '/widgets/demo/%2e%2e%2fpackage.json',
    '/widgets/demo/..%5cpackage.json',
    '/widgets/demo/%252e%252e/package.json',
  ])('refuses %s', async (path) => {
    const response = await rawGet(server.url, path);
    expect(response.status).not.toBe(200);
    expect(response.body).not.toContain('secret source');
    expect(response.body).not.toContain('secret-package-json');
  });
});
