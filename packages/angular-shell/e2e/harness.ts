import { EventEmitter, once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, startServer, type RunningServer } from '@taskbase/core-api';
import { testEnvironment } from '@taskbase/core-api/testing';
import { chromium, type Browser } from 'playwright-core';

export const DIST = resolve(import.meta.dirname, '../dist/browser');
export const ARTIFACTS = resolve(import.meta.dirname, '../../../artifacts/shell');

/** A real core-api on an embedded database (or DATABASE_URL), with webhooks to private addresses allowed; `seedDemo` adds the demo workspace. */
export async function startApi(options: { seedDemo?: boolean } = {}): Promise<{ api: RunningServer; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-shell-e2e-'));
  const config = loadConfig(
    testEnvironment({
      JWT_SECRET: 'angular-shell-e2e-secret-long-enough-for-hs256',
      TASKBASE_DATA_DIR: dataDir,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      DUE_REMINDERS_INTERVAL: '0',
      TASKBASE_APP_DIR: DIST,
      SEED_DEMO: options.seedDemo ? 'true' : 'false',
      // The demo is seeded only into an empty database: use a fresh embedded one even in the PostgreSQL pass.
      ...(options.seedDemo ? { DATABASE_URL: undefined } : {}),
    }),
  );
  const api = await startServer(config);
  return {
    api,
    cleanup: async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The shell as users get it: core-api serves the production build itself
 * (with its Content-Security-Policy and the index.html fallback for deep
 * links), beside /api, /ws and /graphql on the same origin.
 */
export async function startShellServer(apiUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`No build in ${DIST}: run "npm run build" first`);
  return { url: apiUrl, close: async () => {} };
}

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local webhook receiver that answers 200 and reports every request. */
export async function startReceiver() {
  const received: ReceivedHook[] = [];
  const events = new EventEmitter();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const hook = { headers: req.headers, body: Buffer.concat(chunks).toString() };
    received.push(hook);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    events.emit('hook', hook);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/taskbase`,
    received,
    /** Resolves with the first request whose body contains `text` (already received or next). */
    next(text: string): Promise<ReceivedHook> {
      const seen = received.find((hook) => hook.body.includes(text));
      if (seen) return Promise.resolve(seen);
      return new Promise((done) => {
        const listener = (hook: ReceivedHook) => {
          if (!hook.body.includes(text)) return;
          events.off('hook', listener);
          done(hook);
        };
        events.on('hook', listener);
      });
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
