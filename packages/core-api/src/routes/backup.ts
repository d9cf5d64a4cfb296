import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Readable } from 'node:stream';
import { DomainError } from '../domain/errors.js';
import { bearerToken } from '../http/authenticate.js';
import type { Logger } from '../logger.js';

export const BACKUP_PATH = '/backup';

export interface BackupRouteOptions {
  /** Checks the operator's BACKUP_TOKEN; undefined: the endpoint is off (404). */
  check: ((presented: string | undefined) => boolean) | undefined;
  /** A consistent dump of the embedded database; undefined on PostgreSQL (pg_dump is the tool there). */
  dump: (() => Promise<{ stream: Readable; pausedMs: number; bytes: number }>) | undefined;
  logger: Logger;
  limit: Middleware;
}

/**
 * POST /backup: the embedded database as a gzipped tar (db/backup.ts), for `taskbase backup`.
 * Outside the API: a backup holds every workspace, so no workspace role may take one; only the
 * operator's BACKUP_TOKEN does. One at a time (each holds the database's files in memory).
 */
export function registerBackupRoute(router: Router, options: BackupRouteOptions): void {
  const { check, dump, logger } = options;
  let running = false;
  router.post(BACKUP_PATH, options.limit, async (ctx) => {
    if (!check) throw new DomainError(404, { code: 'not_found', detail: 'Backups over HTTP are off: set BACKUP_TOKEN to turn them on' });
    if (!check(bearerToken(ctx.get('authorization')))) {
      throw new DomainError(401, { code: 'unauthorized', detail: 'POST /backup needs BACKUP_TOKEN as a bearer token', headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    if (!dump) {
      throw new DomainError(409, { code: 'not_embedded', detail: 'This server runs on PostgreSQL: back it up with pg_dump (`taskbase backup` prints the command)' });
    }
    if (running) throw new DomainError(409, { code: 'backup_running', detail: 'A backup is being taken; try again when it is done', headers: { 'Retry-After': '5' } });
    running = true;
    try {
      const taken = await dump();
      logger.info({ pausedMs: taken.pausedMs, bytes: taken.bytes }, 'backup taken');
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Disposition', 'attachment; filename="taskbase-backup.tar.gz"');
      ctx.set('Taskbase-Backup-Paused-Ms', String(taken.pausedMs));
      ctx.set('Taskbase-Backup-Bytes', String(taken.bytes));
      ctx.type = 'application/gzip';
      ctx.body = taken.stream;
      taken.stream.once('close', () => (running = false));
      taken.stream.once('error', () => (running = false));
    } catch (error) {
      running = false;
      throw error;
    }
  });
}
