import type Router from '@koa/router';
import type { Knex } from 'knex';
import { pendingMigrations } from '../db/database.js';

/** Liveness and readiness probes, outside the API's auth and rate limits. */
export function registerSystemRoutes(router: Router, knex: Knex): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    try {
      const pending = await withTimeout(
        (async () => {
          await knex.raw('select 1');
          return pendingMigrations(knex);
        })(),
        2000,
      );
      if (pending.length > 0) {
        ctx.status = 503;
        ctx.body = { status: 'migrations_pending', pending };
        return;
      }
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database_unreachable' };
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
