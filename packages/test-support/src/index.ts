import { randomUUID } from 'node:crypto';
import { loadConfig, openDatabase, startServer, type RunningServer } from '@taskbase/core-api';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';

/**
 * A real core-api in this process on a random port: on PostgreSQL when
 * DATABASE_URL is set, else on an in-memory embedded database.
 */
export async function startTaskbase(env: Record<string, string> = {}): Promise<RunningServer & { stop(): Promise<void> }> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  const running = await startServer(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      JWT_SECRET: 'example-test-secret-long-enough-for-hs256',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DUE_REMINDERS_INTERVAL: '0',
      // Request counts are shared through the database by every server on it (CI runs all packages on one):
      // a limit is tested in core-api's rate-limit tests, never reached here.
      RATE_LIMIT_PER_MINUTE: '10000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...env,
    }),
    { database },
  );
  return { ...running, stop: async () => (await running.close(), await database.close()) };
}

/** A client signed up as the admin of a new workspace (so tests never see each other's data). */
export async function newWorkspace(url: string): Promise<{ client: TaskbaseClient; email: string; password: string }> {
  const client = createClient({ url });
  const email = `admin-${randomUUID().slice(0, 12)}@example.test`;
  const password = 'correct horse battery';
  await client.auth.signUp({ name: 'Ada Admin', email, password, workspaceName: `Example ${randomUUID().slice(0, 8)}` });
  return { client, email, password };
}
