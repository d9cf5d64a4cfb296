import { loadConfig, type Config } from '../../src/config.js';
import { migrateLatest, openDatabase, type Database } from '../../src/db/database.js';
import { startServer, type RunningServer } from '../../src/server.js';

/**
 * Rate limits far above any test's traffic. On PostgreSQL the counters live
 * in the shared database, so every test's anonymous requests (sign-ups,
 * logins, fuzzing) count against one 127.0.0.1 budget; the default 600 a
 * minute would make an unrelated test's login fail with 429.
 * test/rate-limit.test.ts sets its own limits.
 */
export const UNLIMITED_RATE = {
  RATE_LIMIT_PER_MINUTE: '10000000',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
} as const;

/** Settings every test server shares: fast bcrypt, random port, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    MIGRATE_ON_START: 'false',
    LOGIN_MAX_FAILURES: '5',
    // Analytics tests write rows directly (no events): figures must never come from a cache.
    ANALYTICS_CACHE_SECONDS: '0',
    ...UNLIMITED_RATE,
    // Webhook tests start their own workers (see support/webhooks.ts), so no
    // other test's server sends, or fails, their deliveries.
    WEBHOOK_WORKER: 'false',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...overrides,
  });
}

let shared: Promise<Database> | undefined;

/**
 * The worker's database: the PostgreSQL server named by DATABASE_URL, or one
 * in-memory embedded database per worker (it takes seconds to start).
 */
export function sharedDatabase(): Promise<Database> {
  shared ??= (async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, acquireTimeoutMs: 20_000 });
    if (database.mode === 'embedded') await migrateLatest(database.knex);
    return database;
  })();
  return shared;
}

export const databaseMode = () => (process.env.DATABASE_URL ? 'postgres' : 'embedded');

/** A real server on a random port over the worker's database. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(testConfig(overrides), { database: await sharedDatabase() });
}

/**
 * A migrated PostgreSQL database of its own on DATABASE_URL's server, for
 * tests that run webhook workers or several processes: those act on every
 * workspace of a database, so they must not share one with other test files.
 */
export async function scratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('scratchDatabase needs DATABASE_URL');
  const name = `taskbase_${label}_${Date.now()}_${process.pid}`;
  const admin = await openDatabase({ databaseUrl: base, poolMax: 1 });
  await admin.knex.raw(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolMax: 1 });
  try {
    await migrateLatest(database.knex);
  } finally {
    await database.close();
  }
  return {
    url: url.toString(),
    drop: async () => {
      await admin.knex.raw(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
