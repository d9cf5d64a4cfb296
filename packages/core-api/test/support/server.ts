import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../src/config.js';
import { migrateLatest, openDatabase, type Database } from '../../src/db/database.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testEnvironment } from '../../src/testing.js';

/** The JWT secret of every test server here (tests that forge tokens sign with it). */
export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

/** Settings every test server shares: those of `testEnvironment`, and no background webhook worker. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(
    testEnvironment({
      JWT_SECRET,
      MIGRATE_ON_START: 'false',
      LOGIN_MAX_FAILURES: '5',
      // Analytics tests write rows directly (no events): figures must never come from a cache.
      ANALYTICS_CACHE_SECONDS: '0',
      // Webhook tests start their own workers (see support/webhooks.ts), so no
      // other test's server sends, or fails, their deliveries.
      WEBHOOK_WORKER: 'false',
      // Likewise for attachments' jobs: on a shared database, another file's server would work on
      // this file's rows with its own storage. test/attachments.test.ts turns them on for itself.
      ATTACHMENT_JOBS_INTERVAL: '0',
      // Exports and imports too: a test that needs them runs them (`services.dataJobRunner.runOnce()`) or turns them on.
      DATA_JOBS_INTERVAL: '0',
      // Recurring tasks and reminders: tests run the jobs themselves, with the clock they need.
      RECURRENCE_INTERVAL: '0',
      REMINDERS_INTERVAL: '0',
      ...overrides,
    }),
  );
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

/** Where a test file that runs cluster-wide jobs keeps its rows (see jobDatabase). */
export interface JobDatabase {
  knex: Knex;
  /** A server on it, sharing its pool. */
  start(overrides?: Record<string, string>): Promise<RunningServer>;
  /** Another server: on PostgreSQL with a pool of its own, as a second process would have. */
  startSeparate(overrides?: Record<string, string>): Promise<RunningServer>;
  close(): Promise<void>;
}

/**
 * A database for a test file that runs jobs acting on every workspace
 * (recurring tasks, reminders, due-soon notices) with far-future clocks.
 * On PostgreSQL a scratch database of its own: on the shared one, a job run
 * for the year 2800 in one file worked on another file's rows meanwhile
 * (making hundreds of years of occurrences of its series). The embedded
 * database is the worker's own already, and its files run one at a time.
 */
export async function jobDatabase(label: string): Promise<JobDatabase> {
  if (databaseMode() === 'embedded') {
    const { knex } = await sharedDatabase();
    return { knex, start: (overrides) => startTestServer(overrides), startSeparate: (overrides) => startTestServer(overrides), close: async () => {} };
  }
  const scratch = await scratchDatabase(label);
  const database = await openDatabase({ databaseUrl: scratch.url, acquireTimeoutMs: 20_000 });
  return {
    knex: database.knex,
    start: (overrides = {}) => startServer(testConfig({ ...overrides, DATABASE_URL: scratch.url }), { database }),
    startSeparate: (overrides = {}) => startServer(testConfig({ ...overrides, DATABASE_URL: scratch.url })),
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}
