import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import type { Knex } from 'knex';
import { ConfigError } from '../config.js';
import { lockDataDir } from './dataDirLock.js';

/**
 * Backups of the embedded database (PGlite): its data folder as a gzipped tar, the format PGlite's
 * own `dumpDataDir`/`loadDataDir` use. On PostgreSQL, pg_dump is the tool (cli/backup.ts says so).
 */

type Env = Record<string, string | undefined>;

/** BACKUP_TOKEN: the operator secret POST /backup needs (≥ 16 characters); unset: no backup endpoint. */
export function backupToken(env: Env): string | undefined {
  const token = env.BACKUP_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < 16) throw new ConfigError('BACKUP_TOKEN', 'must be at least 16 characters');
  return token;
}

/** A check of a presented token in constant time: both sides are hashed first, so lengths do not show either. */
export function backupTokenCheck(token: string): (presented: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (presented) => timingSafeEqual(createHash('sha256').update(presented ?? '').digest(), expected);
}

/** The PGlite instance behind an embedded database's knex (db/database.ts hands it to knex-pglite as its connection). */
function pgliteOf(knex: Knex): PGlite | undefined {
  const connection = (knex.client as { config: Knex.Config }).config.connection;
  if (typeof connection !== 'function') return undefined;
  const made = (connection as () => { pglite?: unknown })();
  return made?.pglite instanceof PGlite ? made.pglite : undefined;
}

export interface EmbeddedDump {
  /** The gzipped tar, streamed. */
  stream: Readable;
  /** How long queries waited on the dump (the database is one connection, held meanwhile). */
  pausedMs: number;
  /** Size of the tar before compression. */
  bytes: number;
}

/**
 * A consistent copy of a running embedded database. Holding knex's one connection means no
 * transaction is open (a request's queries wait for it); a CHECKPOINT writes every page to the
 * files, and PGlite tars them. Compression happens after the connection is given back.
 */
export async function dumpEmbedded(knex: Knex): Promise<EmbeddedDump> {
  const pglite = pgliteOf(knex);
  if (!pglite) throw new Error('not an embedded database');
  const connection = await knex.client.acquireConnection();
  let tar: Blob;
  let pausedMs: number;
  try {
    const held = performance.now();
    await pglite.exec('checkpoint');
    tar = await pglite.dumpDataDir('none');
    pausedMs = Math.round(performance.now() - held);
  } finally {
    await knex.client.releaseConnection(connection);
  }
  const stream = Readable.fromWeb(tar.stream() as never).pipe(createGzip({ level: 6 }));
  return { stream, pausedMs, bytes: tar.size };
}

/** Copies a PGlite data folder that no process holds (used when no server runs on it). */
export async function dumpDataDirOffline(dataDir: string): Promise<EmbeddedDump> {
  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) throw new Error(`There is no embedded database in ${dataDir}`);
  const unlock = lockDataDir(dataDir, pgdata);
  try {
    const pglite = await PGlite.create(pgdata, { extensions: { btree_gin } });
    try {
      const started = performance.now();
      await pglite.exec('checkpoint');
      const tar = await pglite.dumpDataDir('none');
      const pausedMs = Math.round(performance.now() - started);
      return { stream: Readable.fromWeb(tar.stream() as never).pipe(createGzip({ level: 6 })), pausedMs, bytes: tar.size };
    } finally {
      await pglite.close();
    }
  } finally {
    unlock();
  }
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

/**
 * Restores a backup into an empty (or missing) data folder, under the folder's lock, and checks it
 * opens as a Taskbase database. On failure the folder is emptied again.
 */
export async function restoreEmbedded(file: string, dataDir: string): Promise<{ migrations: number }> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new RestoreError(`${dataDir} is not empty: restore into an empty or new folder (a running server's folder is never overwritten)`);
  }
  const archive = readFileSync(file);
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) throw new RestoreError(`${file} is not a Taskbase backup (a gzipped tar)`);
  const pgdata = join(dataDir, 'pgdata');
  mkdirSync(pgdata, { recursive: true });
  const unlock = lockDataDir(dataDir, pgdata);
  let done = false;
  try {
    const pglite = await PGlite.create(pgdata, { extensions: { btree_gin }, loadDataDir: new Blob([archive]) });
    try {
      const { rows } = await pglite.query<{ count: number }>('select count(*)::int as count from knex_migrations');
      done = true;
      return { migrations: rows[0]?.count ?? 0 };
    } catch (error) {
      throw new RestoreError(`${file} restored, but is not a Taskbase database: ${(error as Error).message}`);
    } finally {
      await pglite.close();
    }
  } finally {
    unlock();
    if (!done) for (const name of readdirSync(dataDir)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}
