import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningServer } from '@taskbase/core-api';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, startTestServer } from './support/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** The built package (dist/), as consumers load it: Node ESM, Node CJS, a browser. */
describe('built package', () => {
  let server: RunningServer;
  let staticServer: Server;
  let staticOrigin: string;
  let token: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/index.cjs'))) {
      throw new Error('dist/ is missing: run `npm run build -w @taskbase/sdk` first (turbo does it before test)');
    }
    // Serves packages/sdk (dist/ and the page) on its own origin, as a host app would.
    staticServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const file = url.pathname === '/' ? join(root, 'test/fixtures/browser.html') : normalize(join(root, url.pathname));
      if (!file.startsWith(join(root, 'dist')) && !file.endsWith('browser.html')) return void res.writeHead(404).end();
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html' : 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
    staticOrigin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
    server = await startTestServer({ CORS_ORIGINS: staticOrigin });
    token = (await adminClient(server.url)).session.accessToken;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => (staticServer ? staticServer.close(() => resolve()) : resolve()));
  });

  it.each(['esm.mjs', 'cjs.cjs'])('imports in Node from %s and calls the server', async (fixture) => {
    const { stdout } = await run(process.execPath, [join(root, 'test/fixtures', fixture)], {
      env: { ...process.env, TASKBASE_URL: server.url, TASKBASE_TOKEN: token },
    });
    expect(JSON.parse(stdout)).toEqual({ title: fixture.startsWith('esm') ? 'from esm' : 'from cjs', typedError: true, verifyWebhook: 'function' });
  });

  it('works in headless Chromium from the ESM build', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${staticOrigin}/?api=${encodeURIComponent(server.url)}&token=${encodeURIComponent(token)}`);
      const result = await page.waitForFunction(() => (window as { result?: unknown }).result).then((handle) => handle.jsonValue());
      expect(errors).toEqual([]);
      expect(result).toEqual({
        title: 'from the browser', listed: true, typedError: true, requestId: expect.any(String),
        upload: { filename: 'notes.txt', size: 300_000, progressed: true, missing: true },
      });
    } finally {
      await browser.close();
    }
  });
});
