import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/dataDirLock.js';
import { dumpDataDirOffline, restoreEmbedded } from '../db/backup.js';
import { UsageError, parseCommand, text, type Output } from './args.js';

/** A PostgreSQL URL with its password masked, for printing. */
export function maskedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return '<DATABASE_URL>';
  }
}

const quote = (text: string) => (/^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** Writes a stream to `file` through a temporary name, so a failed backup never leaves a file that looks whole. */
async function writeAtomically(file: string, stream: Readable): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await pipeline(stream, createWriteStream(partial, { mode: 0o600 }));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * `taskbase backup --out FILE [--url URL]`. Embedded database: a running server (the data folder's
 * lock is held) is asked over HTTP (POST /backup with BACKUP_TOKEN); a folder no process holds is
 * copied directly. PostgreSQL: pg_dump is the tool; the command is printed.
 */
export async function backupCommand(args: string[], output: Output): Promise<number> {
  const parsed = parseCommand(args, { out: { type: 'string' }, url: { type: 'string' } });
  const out = text(parsed, 'out');
  if (!out) throw new UsageError('backup needs --out FILE');
  const config = loadConfig();
  if (config.databaseUrl) {
    output.err(
      'This server runs on PostgreSQL (DATABASE_URL): back it up with pg_dump, which takes a consistent snapshot while the server runs:\n\n' +
        `  pg_dump --format=custom --file=${quote(out)} ${quote(maskedUrl(config.databaseUrl))}\n\n` +
        'The password is masked: give it in PGPASSWORD or ~/.pgpass. Restore into an empty database with\n' +
        `  pg_restore --no-owner --dbname=<the new database's URL> ${quote(out)}\n`,
    );
    return 3;
  }
  let url = text(parsed, 'url') ?? process.env.TASKBASE_URL?.trim();
  if (!url) {
    try {
      const dump = await dumpDataDirOffline(config.dataDir);
      await writeAtomically(out, dump.stream);
      output.out(`Backup of ${config.dataDir} (no server was running) written to ${out} (${megabytes(dump.bytes)} before compression)\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      // A server holds the folder: ask it.
      url = `http://${['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
    }
  }
  const token = process.env.BACKUP_TOKEN?.trim();
  if (!token) throw new UsageError('backup of a running server needs BACKUP_TOKEN (the same as the server’s)');
  const response = await fetch(new URL('/backup', url), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    output.err(`The server at ${url} refused the backup (${response.status}): ${problem.detail ?? response.statusText}\n`);
    return 1;
  }
  await writeAtomically(out, Readable.fromWeb(response.body as never));
  const paused = response.headers.get('taskbase-backup-paused-ms');
  const bytes = Number(response.headers.get('taskbase-backup-bytes') ?? 0);
  output.out(`Backup of the server at ${url} written to ${out} (${megabytes(bytes)} before compression; the database paused for ${paused} ms)\n`);
  return 0;
}

/** `taskbase restore FILE --data-dir DIR`: into an empty or new folder only. */
export async function restoreCommand(args: string[], output: Output): Promise<number> {
  const parsed = parseCommand(args, { 'data-dir': { type: 'string' } });
  const [file, ...more] = parsed.positionals;
  const dataDir = text(parsed, 'data-dir') ?? process.env.TASKBASE_DATA_DIR?.trim();
  if (!file || more.length > 0) throw new UsageError('restore needs one FILE (a backup made by taskbase backup)');
  if (!dataDir) throw new UsageError('restore needs --data-dir DIR (an empty or new folder)');
  const restored = await restoreEmbedded(file, dataDir);
  output.out(`Restored ${file} into ${dataDir} (${restored.migrations} migrations applied in it). Start the server with TASKBASE_DATA_DIR=${quote(dataDir)}.\n`);
  return 0;
}
