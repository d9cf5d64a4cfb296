import type Router from '@koa/router';
/**
 * Liveness and readiness probes, outside the API's auth and rate limits.
 * `pendingMigrations` reaches the database (and fails when it cannot).
 */
export function registerSystemRoutes(router: Router, pendingMigrations: () => Promise<string[]>): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    try {
      const pending = await withTimeout(pendingMigrations(), 2000);
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
