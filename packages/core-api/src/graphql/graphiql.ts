import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { GRAPHQL_PATH } from './config.js';

/**
 * GraphiQL at GET /graphiql (GRAPHIQL, on by default outside production): graphql-yoga's build
 * (@graphql-yoga/render-graphiql) served from this origin. Yoga's own page inlines its script and
 * makes its editor workers from blob: URLs; here the same pieces are separate files, so the CSP
 * needs no inline script, no eval and no blob: workers. The page asks for an access token first:
 * introspection needs one, and the token lives only in the page (headers are not persisted).
 */

export const GRAPHIQL_PATH = '/graphiql';
const ASSETS = `${GRAPHIQL_PATH}/assets`;

/** Scripts, workers and connections only to this origin; styles inline too (Monaco injects its own at run time). */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Monaco's worker labels → the file each is served as. */
const WORKERS = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' } as const;

const CONFIGURATION = {
  workers: Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, `${ASSETS}/${file}`])),
  graphiql: {
    endpoint: GRAPHQL_PATH,
    title: 'Taskbase GraphQL',
    subscriptionsProtocol: 'SSE',
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers',
    defaultQuery: '# The schema: Docs (the book, top left)\nquery Me {\n  me { id name email role }\n}\n',
  },
};

/** Reads the token, then mounts GraphiQL with it in the headers editor (no inline script: see the CSP). */
const INIT = `(() => {
  const configuration = JSON.parse(document.getElementById('graphiql-configuration').textContent);
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => configuration.workers[label] };
  const form = document.getElementById('graphiql-token');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = String(new FormData(form).get('token') || '').trim();
    if (!token) return;
    form.remove();
    const headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), Object.assign({}, configuration.graphiql, { headers }));
  });
})();
`;

const PAGE_CSS = `
#root { height: 100vh; }
#graphiql-token { max-width: 34rem; margin: 12vh auto; padding: 0 1.5rem; font: 16px/1.5 system-ui, sans-serif; color: CanvasText; }
#graphiql-token h1 { font-size: 1.4rem; }
#graphiql-token input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; margin: .25rem 0 .75rem; }
#graphiql-token button { padding: .45rem 1.2rem; font: inherit; }
#graphiql-token p { color: GrayText; font-size: .9rem; }
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Taskbase GraphQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS}/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<form id="graphiql-token" autocomplete="off">
<h1>Taskbase GraphQL</h1>
<label for="graphiql-token-input">Access token (an API key or a session token)</label>
<input id="graphiql-token-input" name="token" type="password" required spellcheck="false">
<button type="submit">Open GraphiQL</button>
<p>Requests to <code>${GRAPHQL_PATH}</code> carry it as <code>Authorization: Bearer …</code>. It stays in this page: it is not stored. The schema is also in <code>schema.graphql</code>.</p>
</form>
<div id="root"></div>
<noscript>GraphiQL needs JavaScript.</noscript>
<script id="graphiql-configuration" type="application/json">${JSON.stringify(CONFIGURATION).replace(/</g, '\\u003c')}</script>
<script src="${ASSETS}/graphiql.js"></script>
<script src="${ASSETS}/init.js"></script>
</body>
</html>
`;

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

let assets: Map<string, Asset> | undefined;

function asset(type: string, text: string): Asset {
  const body = Buffer.from(text);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { type, body, gzipped: gzipSync(body, { level: 9 }), etag };
}

/** Yoga's build, loaded and gzipped on the first request only (about 9 MB of text → 2.4 MB on the wire). */
function loadAssets(): Map<string, Asset> {
  if (!assets) {
    const require = createRequire(import.meta.url);
    // Only the package's entry is exported; its build (strings of script, CSS and workers) sits beside it.
    const build = require(join(dirname(require.resolve('@graphql-yoga/render-graphiql')), 'graphiql.js')) as Record<
      'js' | 'css' | 'editorWorkerService' | 'jsonWorker' | 'graphqlWorker',
      string
    >;
    const script = 'text/javascript; charset=utf-8';
    assets = new Map([
      ['graphiql.js', asset(script, build.js)],
      ['graphiql.css', asset('text/css; charset=utf-8', build.css + PAGE_CSS)],
      ['init.js', asset(script, INIT)],
      [WORKERS.editorWorkerService, asset(script, build.editorWorkerService)],
      [WORKERS.json, asset(script, build.jsonWorker)],
      [WORKERS.graphql, asset(script, build.graphqlWorker)],
    ]);
  }
  return assets;
}

function serveAsset(ctx: Context, found: Asset): void {
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.set('ETag', found.etag);
  ctx.type = found.type;
  if (ctx.get('if-none-match') === found.etag) {
    ctx.status = 304;
    return;
  }
  ctx.vary('Accept-Encoding');
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = found.gzipped;
    return;
  }
  ctx.body = found.body;
}

/** GET /graphiql and its assets; registered only when GRAPHIQL is on. */
export function registerGraphiqlRoutes(router: Router): void {
  router.get(GRAPHIQL_PATH, (ctx) => {
    ctx.set('Content-Security-Policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.get(`${ASSETS}/:file`, (ctx, next) => {
    const found = loadAssets().get(ctx.params.file!);
    if (!found) return next();
    serveAsset(ctx, found);
  });
}
