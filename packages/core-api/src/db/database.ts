import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import ClientPgLite from 'knex-pglite';
import knexPkg, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import pg from 'pg';
import { DEFAULT_EMBEDDED_SHARED_BUFFERS_MB } from '../config.js';
import type { Logger } from '../logger.js';
import { lockDataDir } from './dataDirLock.js';
import { migrationNames, migrationSource } from './migrations/index.js';
import { GENERIC_PLANS, HotStatements, prepareHotStatements } from './preparedStatements.js';

// `import { knex } from 'knex'` type-checks but fails under plain node ESM.
const { knex: createKnex } = knexPkg;

// Ids and counts are int8: make `pg` return numbers, as PGlite already does,
// so both modes hand the services the same types.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// int8[] (label ids, project limits) as numbers too: int4[]'s parser reads each element with Number semantics.
pg.types.setTypeParser(1016 as never, pg.types.getTypeParser(1007 as never));
// Timestamps in UTC ('2026-11-25 00:17:00.123456+00', DateStyle ISO) go straight to the engine's ISO
// parser, several times faster than the general one, which keeps every other form (offsets, BC, infinity).
const parseAnyTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
const parseTimestamptz = (value: string): Date =>
  value.length >= 22 && value.endsWith('+00') && value[10] === ' ' ? new Date(`${value.slice(0, 10)}T${value.slice(11, -3)}Z`) : parseAnyTimestamptz(value);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

/**
 * Both modes map identifiers: snake_case in PostgreSQL, camelCase in code,
 * for Objection models and plain Knex queries alike. Raw SQL text is not
 * rewritten, so it names columns in snake_case.
 */
export interface Database {
  knex: Knex;
  /** 'postgres' for a server reached through `pg`; 'embedded' for PGlite. */
  mode: 'postgres' | 'embedded';
  /** The PGlite instance in embedded mode (for in-process LISTEN/NOTIFY). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; omitted → in memory. */
  dataDir?: string | undefined;
  poolMax?: number;
  /** PostgreSQL: run hot statements as named ones (db/preparedStatements.ts). On unless false. */
  preparedStatements?: boolean;
  /** Embedded: PostgreSQL's shared_buffers, in MB (EMBEDDED_SHARED_BUFFERS_MB). */
  sharedBuffersMb?: number;
  acquireTimeoutMs?: number;
  /** Where knex's own warnings go (connection errors of the pool); they are printed to the console otherwise. */
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/** knex's log hooks, as structured log lines. */
function knexLog(logger: Pick<Logger, 'warn' | 'error'> | undefined): Knex.Config['log'] {
  if (!logger) return undefined;
  const text = (message: unknown) => (message instanceof Error ? message.message : String(message));
  return {
    warn: (message: unknown) => logger.warn({ detail: text(message) }, 'database driver warning'),
    error: (message: unknown) => logger.error({ detail: text(message) }, 'database driver error'),
    deprecate: () => {},
    debug: () => {},
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const knex = createKnex({
      client: 'pg',
      connection: options.databaseUrl,
      ...knexSnakeCaseMappers(),
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        ...(options.preparedStatements === false ? {} : { afterCreate: namingHotStatements(new HotStatements()) }),
      },
      acquireConnectionTimeout: options.acquireTimeoutMs ?? 10_000,
      log: knexLog(options.logger),
    });
    return { knex, mode: 'postgres', close: () => knex.destroy() };
  }
  let dataDir: string | undefined;
  let unlock = () => {};
  if (options.dataDir) {
    dataDir = join(options.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
    // PGlite lets a second process open the same files; two writers corrupt them.
    unlock = lockDataDir(options.dataDir, dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, {
      extensions: { btree_gin },
      // PGlite's 128 MB of shared buffers live in its WebAssembly memory from the start: they were a third of the
      // process's RSS and a third of a second of every start. Its files are in the OS page cache anyway.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffersMb ?? DEFAULT_EMBEDDED_SHARED_BUFFERS_MB}MB`],
      // PGlite's own parser turns years before 100 into an Invalid Date: read timestamps as `pg` does.
      parsers: { [pg.types.builtins.TIMESTAMPTZ]: parseTimestamptz },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const knex = createKnex({
    client: ClientPgLite as unknown as typeof knexPkg.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as never,
    ...knexSnakeCaseMappers(),
    // One connection: a query made outside the running transaction would
    // wait forever, so fail loudly instead.
    acquireConnectionTimeout: options.acquireTimeoutMs ?? 30_000,
  });
  return {
    knex,
    mode: 'embedded',
    pglite,
    close: async () => {
      try {
        await knex.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

/** knex's pool hook that gives each new connection the pool's hot statements, planned once (see preparedStatements.ts). */
function namingHotStatements(hot: HotStatements) {
  return (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
    connection.query(GENERIC_PLANS, (error: Error | null) => {
      if (!error) prepareHotStatements(connection, hot);
      done(error, connection);
    });
  };
}

export async function migrateLatest(knex: Knex): Promise<string[]> {
  // Nothing to do is the usual start: say so in two small queries, not knex's dozen (a cold start's budget is 3 s).
  if ((await migrationState(knex)).upToDate) return [];
  const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
  // New tables, columns and indexes have no statistics yet (and the embedded database has no autovacuum).
  if (applied.length) await knex.raw('analyze');
  return applied;
}

/** The migrations this code has that the database has not run (what /readyz waits for). */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  return (await migrationState(knex)).pending;
}

/**
 * Which of this code's migrations the database has run, read from knex's
 * own table. `upToDate` is false too when the database has run migrations
 * this code does not know (an older release on a newer database): knex's
 * migrator then stops the start with its own message.
 */
async function migrationState(knex: Knex): Promise<{ pending: string[]; upToDate: boolean }> {
  const present = (await knex.raw(`select to_regclass('knex_migrations') is not null as present`)).rows[0]?.present === true;
  const applied = new Set(present ? ((await knex('knex_migrations').select('name')) as Array<{ name: string }>).map((row) => row.name) : []);
  const pending = migrationNames.filter((name) => !applied.has(name));
  const unknown = [...applied].some((name) => !migrationNames.includes(name));
  return { pending, upToDate: pending.length === 0 && !unknown };
}
