import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { demoSignIns, seedDemo } from '../src/db/seed.js';
import { sharedDatabase, testConfig } from './support/server.js';

const SECRET = 'a-production-secret-that-is-long-enough-for-hs256';

describe('demo users are never seeded in production', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-seed-prod-'));
  // The embedded database in production needs its own explicit consent (see embedded-database tests).
  const production = { NODE_ENV: 'production', JWT_SECRET: SECRET, TASKBASE_DATA_DIR: dataDir, ALLOW_EMBEDDED_IN_PRODUCTION: 'true' };

  it('does not default SEED_DEMO to true in production, even on the embedded database', () => {
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, NODE_ENV: 'development' }).seedDemo).toBe(true);
  });

  it('refuses SEED_DEMO=true in production, naming the variable', () => {
    expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ ...production, SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it('refuses to seed (the `taskbase seed` command) with a production configuration, before looking at the database', async () => {
    const database = await sharedDatabase();
    await expect(seedDemo(database.knex, { ...testConfig(), env: 'production' })).rejects.toThrow(/production/);
  });

  it('never offers the demo sign-ins in production, even where the demo workspace exists', async () => {
    const database = await sharedDatabase();
    // A stand-in for the demo workspace's admin (seeding needs an empty database, which the shared one is not),
    // removed again: on PostgreSQL later suites (the shell's) share this database and expect no demo workspace.
    const { knex } = database;
    let added: number | undefined;
    if (!(await knex('users').where({ email: 'admin@demo.taskbase.dev' }).first('id'))) {
      [{ id: added }] = await knex('workspaces').insert({ name: 'Demo stand-in' }).returning('id');
    }
    try {
      if (added !== undefined) {
        await knex('users').insert({ workspaceId: added, name: 'Priya Raman', email: 'admin@demo.taskbase.dev', role: 'admin', passwordHash: 'not a hash' });
      }
      expect(await demoSignIns(knex, testConfig())).toBeDefined();
      expect(await demoSignIns(knex, { ...testConfig(), env: 'production' })).toBeUndefined();
    } finally {
      if (added !== undefined) await knex('workspaces').where({ id: added }).delete();
    }
  });
});
