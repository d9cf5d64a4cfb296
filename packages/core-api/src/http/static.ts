import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { send } from '@koa/send';
import type { Middleware } from 'koa';

/** Paths that belong to the API, never to the app. */
const API_PATHS = /^\/(api|graphql|ws|openapi\.json|docs|metrics|healthz|readyz)(\/|$)/;

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Angular Material and Lit set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // 'self' covers the same host's ws: and wss: (CSP 3): the pages talk to this API only.
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * `/widgets/demo/…` or `/widgets/dist/…` as the folder and the path inside it,
 * judged on the decoded and normalised path: the raw path can hide `..` as
 * `%2e%2e` or `%2f`, which a prefix check on the raw text lets through.
 * The result is re-encoded per segment because send() decodes once more.
 */
function widgetsFileOf(rawPath: string): { folder: 'demo' | 'dist'; path: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const normalised = posix.normalize(decoded);
  const [, folder, inside] = /^\/widgets\/(demo|dist)(\/.*)$/.exec(normalised) ?? [];
  if (!folder || !inside) return undefined;
  return { folder: folder as 'demo' | 'dist', path: inside.split('/').map(encodeURIComponent).join('/') };
}

export interface StaticOptions {
  /** The built Angular shell (index.html and assets), served at `/`. */
  appDir: string | undefined;
  /** The widgets package folder: `/widgets/demo/` and `/widgets/dist/` are served from it. */
  widgetsDir: string | undefined;
}

/**
 * One URL for everything: the Angular shell at `/` (deep links fall back to
 * its index.html), the widgets demo at `/demo`, the API where it always is.
 * A folder that has not been built is simply not served.
 */
export function serveStatic(options: StaticOptions): Middleware {
  const appDir = options.appDir && existsSync(join(options.appDir, 'index.html')) ? options.appDir : undefined;
  const widgetsDir = options.widgetsDir && existsSync(options.widgetsDir) ? options.widgetsDir : undefined;
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || API_PATHS.test(ctx.path)) return next();
    if (ctx.path === '/demo' || ctx.path === '/demo/') return ctx.redirect('/widgets/demo/');
    const widgetFile = widgetsDir ? widgetsFileOf(ctx.path) : undefined;
    if (widgetsDir && widgetFile) {
      ctx.set('Content-Security-Policy', PAGE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"));
      // The folder itself is the root, so nothing outside it can be reached whatever send() decodes.
      const served = await send(ctx, widgetFile.path, { root: join(widgetsDir, widgetFile.folder), index: 'index.html' });
      if (served) return;
      return next();
    }
    if (!appDir) {
      if (ctx.path !== '/') return next();
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Taskbase</title><h1>Taskbase API</h1>
<p>The app is not built. API reference: <a href="/docs">/docs</a>. Widgets demo: <a href="/demo">/demo</a>.</p>`;
      return;
    }
    ctx.set('Content-Security-Policy', PAGE_CSP);
    const file = ctx.path === '/' ? '/index.html' : ctx.path;
    try {
      // Hashed build assets never change; index.html always revalidates.
      if (await send(ctx, file, { root: appDir, maxage: file === '/index.html' ? 0 : 365 * 86_400_000, immutable: file !== '/index.html' })) return;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    // A deep link (e.g. /tasks/42 on reload): the app's router takes it from here.
    if (!/\.\w+$/.test(ctx.path) && (ctx.get('accept') ?? '').includes('text/html')) {
      await send(ctx, '/index.html', { root: appDir });
      return;
    }
    return next();
  };
}
