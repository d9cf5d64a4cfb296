import { createHash, timingSafeEqual } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  /** Size of the files before compression. */
  bytes: number;
}

/** A gzipped tar of a folder's files, named from its root (PGlite's loadDataDir reads it); the folder goes once it is read. */
async function tarOf(folder: string, bytes: number, pausedMs: number, removeAfter: boolean): Promise<EmbeddedDump> {
  // Loaded here, not at start: archiver is a sizeable part of a cold start and only backups and exports use it.
  const { TarArchive } = await import('archiver');
  const archive = new TarArchive({ gzip: true, gzipOptions: { level: 6 } });
  archive.directory(folder, false);
  if (removeAfter) {
    const remove = () => rm(folder, { recursive: true, force: true });
    archive.once('close', remove);
    archive.once('error', remove);
  }
  void archive.finalize().catch(() => {}); // an error reaches the stream's reader
  return { stream: archive, pausedMs, bytes };
}

async function sizeOf(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/**
 * A consistent copy of a running embedded database. Holding knex's one connection means no
 * transaction is open (a request's queries wait for it); a CHECKPOINT writes every page to the
 * files, which are then copied while PGlite runs nothing else. Requests wait only for that copy
 * (a file copy: PGlite's own dumpDataDir builds its tar in memory, 2–5 times slower); the tar
 * and its compression are made from the copy afterwards.
 */
export async function dumpEmbedded(knex: Knex): Promise<EmbeddedDump> {
  const pglite = pgliteOf(knex);
  if (!pglite) throw new Error('not an embedded database');
  const onDisk = pglite.dataDir && !pglite.dataDir.includes('://') ? pglite.dataDir : undefined;
  const copy = onDisk ? await mkdtemp(join(tmpdir(), 'taskbase-backup-')) : undefined;
  const connection = await knex.client.acquireConnection();
  let pausedMs: number;
  let tar: Blob | undefined;
  try {
    const held = performance.now();
    await pglite.exec('checkpoint');
    // Synchronous: about twice as fast as fs/promises' cp for PGlite's ~1300 files, and queries wait either way.
    if (copy) await pglite._runExclusiveQuery(async () => cpSync(onDisk!, copy, { recursive: true }));
    else tar = await pglite.dumpDataDir('none'); // in memory: PGlite's own dump
    pausedMs = Math.round(performance.now() - held);
  } catch (error) {
    if (copy) await rm(copy, { recursive: true, force: true });
    throw error;
  } finally {
    await knex.client.releaseConnection(connection);
  }
  if (copy) return tarOf(copy, await sizeOf(copy), pausedMs, true);
  return { stream: Readable.fromWeb(tar!.stream() as never).pipe(createGzip({ level: 6 })), pausedMs, bytes: tar!.size };
}

/** Copies a PGlite data folder that no process holds (used when no server runs on it). */
export async function dumpDataDirOffline(dataDir: string): Promise<EmbeddedDump> {
  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) throw new Error(`There is no embedded database in ${dataDir}`);
  const unlock = lockDataDir(dataDir, pgdata);
  const copy = await mkdtemp(join(tmpdir(), 'taskbase-backup-'));
  try {
    // Opened and closed cleanly first: a folder left by a crash is recovered before it is copied.
    const pglite = await PGlite.create(pgdata, { extensions: { btree_gin } });
    await pglite.exec('checkpoint');
    await pglite.close();
    await cp(pgdata, copy, { recursive: true });
  } catch (error) {
    await rm(copy, { recursive: true, force: true });
    throw error;
  } finally {
    unlock();
  }
  return tarOf(copy, await sizeOf(copy), 0, true);
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
