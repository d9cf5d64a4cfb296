import { createHmac, randomUUID } from 'node:crypto';
import { loadConfig, migrateLatest, openDatabase, startServer, type Database, type RunningServer } from '@taskbase/core-api';
import { testEnvironment } from '@taskbase/core-api/testing';
import WebSocket from 'ws';
import { createClient, type ClientOptions, type Session, type TaskbaseClient, type WebSocketConstructor } from '../../src/index.js';

export const JWT_SECRET = 'sdk-test-secret-that-is-long-enough-for-hs256-signing';
export const databaseMode = () => (process.env.DATABASE_URL ? 'postgres' : 'embedded');

let shared: Promise<Database> | undefined;

/** The worker's database: PostgreSQL when DATABASE_URL is set, else one embedded database per worker. */
export function sharedDatabase(): Promise<Database> {
  shared ??= (async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, acquireTimeoutMs: 20_000 });
    if (database.mode === 'embedded') await migrateLatest(database.knex);
    return database;
  })();
  return shared;
}

/** A real core-api on a random port (or `PORT` in overrides) over the worker's database. */
export async function startTestServer(overrides: Record<string, string> = {}, realtime: { replayLimit?: number } = {}): Promise<RunningServer> {
  const config = loadConfig(
    testEnvironment({ JWT_SECRET, MIGRATE_ON_START: 'false', DUE_REMINDERS_INTERVAL: '0', WEBHOOK_WORKER: 'false', ...overrides }),
  );
  return startServer(config, { database: await sharedDatabase(), realtime });
}

export const password = 'correct horse battery';
export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 12)}@example.test`;

/** The `ws` package's class, as Node 20 has no global WebSocket. */
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

/** A client of `url` signed up as the admin of a new workspace. */
export async function adminClient(url: string, options: Partial<ClientOptions> = {}): Promise<{ client: TaskbaseClient; session: Session; email: string }> {
  const client = createClient({ url, WebSocket: NodeWebSocket, retryBaseDelay: 10, ...options });
  const email = uniqueEmail('admin');
  const session = await client.auth.signUp({ name: 'Ada Admin', email, password, workspaceName: `Workspace ${randomUUID().slice(0, 8)}` });
  return { client, session, email };
}

/**
 * The same token with other `iat`/`exp`, signed again with the test secret:
 * a real token that is about to expire, without waiting for it.
 */
export function resign(token: string, times: { iat: number; exp: number }): string {
  const [header, payload] = token.split('.') as [string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...times };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

/** Seconds since the epoch. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);
