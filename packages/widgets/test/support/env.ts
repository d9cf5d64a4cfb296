import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { loadConfig, migrateLatest, openDatabase, startServer, type RunningServer } from '@taskbase/core-api';
import { testEnvironment } from '@taskbase/core-api/testing';
import { createClient, type TaskbaseClient, type WebSocketConstructor } from '@taskbase/sdk';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css' };

/** Serves the package folder (the CDN build, fixtures and axe-core) on 127.0.0.1. */
function startStatic(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let path = url.pathname === '/' ? '/test/fixtures/page.html' : url.pathname;
    if (path === '/axe.min.js') path = '/node_modules/axe-core/axe.min.js';
    let file = normalize(join(root, path));
    if (!existsSync(file) && path.startsWith('/node_modules/')) file = normalize(join(root, '../..', path));
    if (!file.startsWith(normalize(join(root, '../..'))) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    resolve({ server, origin: `http://127.0.0.1:${address.port}` });
  }));
}

export interface Person {
  id: number;
  name: string;
  token: string;
  client: TaskbaseClient;
}

export interface TestEnv {
  api: string;
  origin: string;
  browser: Browser;
  /** A new workspace with an admin (Ada) and a member (Bob); tests never see each other's data. */
  workspace(): Promise<{ ada: Person; bob: Person }>;
  close(): Promise<void>;
}

let shared: Promise<TestEnv> | undefined;

/** One core-api (own embedded database, or DATABASE_URL), one static server and one Chromium per worker. */
export function testEnv(): Promise<TestEnv> {
  shared ??= (async () => {
    const statics = await startStatic();
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, acquireTimeoutMs: 20_000 });
    await migrateLatest(database.knex);
    const config = loadConfig(
      testEnvironment({
        HOST: '127.0.0.1', JWT_SECRET: 'widgets-test-secret-long-enough-for-hs256-signing', MIGRATE_ON_START: 'false',
        DUE_REMINDERS_INTERVAL: '0', WEBHOOK_WORKER: 'false', CORS_ORIGINS: statics.origin,
      }),
    );
    const server: RunningServer = await startServer(config, { database });
    const api = server.url;
    const browser = await chromium.launch({
      executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const person = async (client: TaskbaseClient, token: string): Promise<Person> => {
      const me = await client.auth.me();
      return { id: me.user.id, name: me.user.name, token, client };
    };
    const newClient = () => createClient({ url: api, WebSocket: WebSocket as unknown as WebSocketConstructor, retryBaseDelay: 10 });
    return {
      api,
      origin: statics.origin,
      browser,
      async workspace() {
        const password = 'correct horse battery';
        const adaClient = newClient();
        const tag = randomUUID().slice(0, 8);
        const session = await adaClient.auth.signUp({ name: 'Ada Lovelace', email: `ada-${tag}@example.test`, password, workspaceName: `Widgets ${tag}` });
        await adaClient.users.create({ name: 'Bob Builder', email: `bob-${tag}@example.test`, role: 'member', password });
        const bobClient = newClient();
        const bobSession = await bobClient.auth.signIn({ email: `bob-${tag}@example.test`, password });
        return { ada: await person(adaClient, session.accessToken), bob: await person(bobClient, bobSession.accessToken) };
      },
      async close() {
        await browser.close();
        await server.close();
        await database.close().catch(() => undefined);
        await new Promise((resolve) => statics.server.close(resolve));
      },
    };
  })();
  return shared;
}
