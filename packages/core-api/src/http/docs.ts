import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type Router from '@koa/router';

/**
 * The API reference at GET /docs: Scalar's API reference (@scalar/api-reference's standalone
 * browser bundle, served from node_modules by this server) over GET /openapi.json, with "try it"
 * against this same origin. Nothing is loaded from anywhere else: no fonts (withDefaultFonts off),
 * no request proxy, no telemetry, no MCP or AI agent, and the CSP below would refuse them anyway.
 */

export const DOCS_PATH = '/docs';
export const DOCS_SCRIPT_PATH = '/docs/assets/scalar.js';
export const DOCS_INIT_PATH = '/docs/assets/init.js';

/**
 * The page's Content-Security-Policy. Scripts only from this origin (no inline script, no eval);
 * Scalar's stylesheets are injected at run time, so style-src needs 'unsafe-inline' (styles only).
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Scalar's configuration (https://github.com/scalar/scalar, packages/types/src/api-reference). */
const CONFIGURATION = {
  url: '/openapi.json',
  slug: 'taskbase',
  title: 'Taskbase API',
  // Requests from "try it" go to the document's server ('/'): this origin, sent by the browser itself.
  servers: [{ url: '/', description: 'This server' }],
  withDefaultFonts: false, // else: fonts.scalar.com
  telemetry: false,
  hideClientButton: true, // "Open API client": client.scalar.com
  mcp: { disabled: true }, // else a "Generate SDKs & MCP" offer
  agent: { disabled: true }, // else "Ask AI" (Scalar's hosted agent)
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
  persistAuth: false,
};

/** Reads the config from the page (no inline script, so the CSP needs no 'unsafe-inline' for scripts) and mounts Scalar. */
const INIT = `(() => {
  const configuration = JSON.parse(document.getElementById('reference-configuration').textContent);
  window.Scalar.createApiReference('#reference', configuration);
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Taskbase API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="reference"></div>
<noscript>The API reference needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script id="reference-configuration" type="application/json">${JSON.stringify(CONFIGURATION).replace(/</g, '\\u003c')}</script>
<script src="${DOCS_SCRIPT_PATH}"></script>
<script src="${DOCS_INIT_PATH}"></script>
</body>
</html>
`;

/**
 * Runs before the bundle: Zod (inside it) would otherwise probe `new Function('')` to compile its
 * parsers, which this CSP refuses (it falls back, but the refusal is reported as a violation).
 */
const PREAMBLE = 'globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });\n';

let bundle: { body: Buffer; gzipped: Buffer; etag: string } | undefined;

/** Scalar's standalone bundle, read once from node_modules, and gzipped once (4.9 MB → about 1.4 MB on the wire). */
function scalarBundle(): { body: Buffer; gzipped: Buffer; etag: string } {
  if (!bundle) {
    const require = createRequire(import.meta.url);
    // The package's exports map does not list the browser bundle: resolve the package, then the file beside it.
    const root = join(dirname(require.resolve('@scalar/api-reference')), '..');
    const script = readFileSync(join(root, 'dist', 'browser', 'standalone.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    const body = Buffer.from(PREAMBLE + script);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    bundle = { body, gzipped: gzipSync(body, { level: 9 }), etag: `"scalar-${version}-${body.length}"` };
  }
  return bundle;
}

/** GET /docs and its two scripts. */
export function registerDocsRoutes(router: Router): void {
  router.get(DOCS_PATH, (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.get(DOCS_INIT_PATH, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = INIT;
  });
  router.get(DOCS_SCRIPT_PATH, (ctx) => {
    const { body, gzipped, etag } = scalarBundle();
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.set('ETag', etag);
    ctx.type = 'text/javascript; charset=utf-8';
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.vary('Accept-Encoding');
    if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = gzipped;
      return;
    }
    ctx.body = body;
  });
}

