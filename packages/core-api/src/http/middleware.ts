import { randomUUID } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from '../logger.js';
import { problemDocument } from './problem.js';
import { fromDatabaseError } from '../domain/databaseErrors.js';
import { DomainError, badRequest } from '../domain/errors.js';

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * First in the chain: gives every request an id, logs one line per request
 * and turns every error into an RFC 9457 problem document.
 */
export function requestHandling(logger: Logger): Middleware {
  return async (ctx: Context, next: Next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
      if (ctx.status >= 400 && ctx.body == null) {
        const status = ctx.status;
        throw new DomainError(status, {
          code: status === 405 ? 'method_not_allowed' : status === 404 ? 'not_found' : 'error',
          detail: status === 405 ? `${ctx.method} is not allowed on ${ctx.path}` : `No route for ${ctx.method} ${ctx.path}`,
        });
      }
    } catch (error) {
      writeProblem(ctx, toHttpError(error, logger, requestId), requestId);
    }
    if (logger.isLevelEnabled('info')) {
      logger.info({
        requestId,
        method: ctx.method,
        path: withoutSecrets(ctx.path),
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: ctx.state.auth?.userId,
      });
    }
  };
}

/** A calendar feed's URL is its credential, an unsubscribe link's token a signature: neither reaches the log. */
const withoutSecrets = (path: string) =>
  path.replace(/^\/api\/calendar\/(?!feeds(?:\/|$))[^/]*\.ics$/, '/api/calendar/<secret>.ics').replace(/^\/api\/email\/unsubscribe\/[^/]+$/, '/api/email/unsubscribe/<token>');

function toHttpError(error: unknown, logger: Logger, requestId: string): DomainError {
  if (error instanceof DomainError) return error;
  const mapped = fromDatabaseError(error);
  if (mapped?.code === 'unavailable') logger.warn({ requestId, err: error }, 'database unavailable');
  if (mapped) return mapped;
  const status = (error as { status?: number; statusCode?: number })?.status;
  // Errors raised by Koa itself or by body parsing carry a 4xx status.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new DomainError(status, { code: 'bad_request', detail: (error as Error).message });
  }
  logger.error({ requestId, err: error }, 'unhandled error');
  return new DomainError(500, { code: 'internal_error', detail: 'An unexpected error occurred' });
}

export function writeProblem(ctx: Context, error: DomainError, requestId: string): void {
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.type = 'application/problem+json';
  ctx.body = problemDocument(error, requestId);
}

/** Conservative headers for a JSON API; HTML routes may relax the CSP. */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Resource-Policy', 'same-site');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    await next();
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Reads a JSON request body within a size limit. Any other content type is
 * refused with 415 rather than silently ignored.
 */
export function jsonBody(limitBytes: number): Middleware {
  return async (ctx, next) => {
    if (!BODY_METHODS.has(ctx.method)) return next();
    const length = ctx.get('content-length');
    const hasBody = (length !== '' && length !== '0') || ctx.get('transfer-encoding') !== '';
    if (!hasBody) return next();
    const type = ctx.get('content-type');
    // Uploads are streamed by their route (http/multipart.ts); every other route refuses them (http/api.ts).
    if (ctx.is('multipart/form-data')) return next();
    if (!JSON_TYPE.test(type)) {
      throw new DomainError(415, {
        code: 'unsupported_media_type',
        detail: 'Send the request body as application/json',
        errors: [{ path: 'content-type', in: 'header', message: 'must be application/json' }],
      });
    }
    let bytes: Buffer;
    try {
      bytes = await getRawBody(ctx.req, { limit: limitBytes, length: length || undefined });
    } catch (error) {
      const e = error as { type?: string; status?: number };
      if (e.type === 'entity.too.large') {
        throw new DomainError(413, { code: 'body_too_large', detail: `The request body exceeds ${limitBytes} bytes` });
      }
      throw badRequest('The request body could not be read');
    }
    let text: string;
    try {
      // JSON is UTF-8 (RFC 8259): bytes that are not would otherwise become U+FFFD and be stored as such.
      text = strictUtf8.decode(bytes);
    } catch {
      throw new DomainError(400, {
        code: 'malformed_json',
        detail: 'The request body is not valid UTF-8',
        errors: [{ path: '', in: 'body', message: 'is not valid UTF-8' }],
      });
    }
    if (text.trim() !== '') {
      try {
        ctx.request.body = JSON.parse(text);
      } catch {
        throw new DomainError(400, {
          code: 'malformed_json',
          detail: 'The request body is not valid JSON',
          errors: [{ path: '', in: 'body', message: 'is not valid JSON' }],
        });
      }
    }
    return next();
  };
}
