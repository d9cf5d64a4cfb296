import { randomUUID } from 'node:crypto';
import { loadConfig, openDatabase, startServer, type RunningServer } from '@taskbase/core-api';
import { testEnvironment } from '@taskbase/core-api/testing';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';

/**
 * A real core-api in this process on a random port: on PostgreSQL when
 * DATABASE_URL is set, else on an in-memory embedded database.
 */
export async function startTaskbase(env: Record<string, string> = {}): Promise<RunningServer & { stop(): Promise<void> }> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  const running = await startServer(
    loadConfig(testEnvironment({ JWT_SECRET: 'example-test-secret-long-enough-for-hs256', DUE_REMINDERS_INTERVAL: '0', ...env })),
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
