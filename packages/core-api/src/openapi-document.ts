import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import type { Services } from './services/index.js';

/**
 * Builds the OpenAPI document the server serves at `/openapi.json`, without a
 * database: `createApp` only registers routes, and route registration only
 * captures the services in closures, so a stub that answers every property
 * access with another stub is enough. Config and logger are real because
 * middleware reads them while the app is wired.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: 'openapi-document-only-never-used-to-sign-anything',
    LOG_LEVEL: 'silent',
  });
  const real: Record<string, unknown> = { config, logger: createLogger('silent') };
  const services = new Proxy(real, {
    get: (target, property) => (typeof property === 'string' && property in target ? target[property] : stub()),
  }) as unknown as Services;
  return createApp(services).openApi;
}

/** A callable, infinitely deep placeholder; it is never awaited (`then` is undefined). */
function stub(): unknown {
  const target = function placeholder() {};
  return new Proxy(target, {
    get: (_target, property) => (property === 'then' ? undefined : stub()),
    apply: () => stub(),
    construct: () => stub() as object,
  });
}

/** The document as it is committed to `openapi.json`: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: Record<string, unknown> = buildOpenApiDocument()): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
