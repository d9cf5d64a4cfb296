import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import ClientPgLite from 'knex-pglite';
import knexPkg, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { lockDataDir } from './dataDirLock.js';
import { migrationSource } from './migrations/index.js';
import { HotStatements, prepareHotStatements } from './preparedStatements.js';

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

/** knex's pool hook that gives each new connection the pool's hot statements. */
function namingHotStatements(hot: HotStatements) {
  return (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
    prepareHotStatements(connection, hot);
    done(null, connection);
  };
}

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
  // New tables, columns and indexes have no statistics yet (and the embedded database has no autovacuum).
  if (applied.length) await knex.raw('analyze');
  return applied;
}

export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource })) as [unknown, Array<{ name?: string } | string>];
  return pending.map((m) => (typeof m === 'string' ? m : (m.name ?? String(m))));
}
