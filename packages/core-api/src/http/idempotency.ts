import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { DomainError } from '../domain/errors.js';
import type { IdempotencyRecords } from '../services/idempotency.js';
import type { AppState } from './api.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'];

/**
 * `Idempotency-Key` on a POST: the first successful response is stored for
 * 24 hours and replayed for a retry with the same key and body. A retry with
 * another body is refused; a retry while the first is still running gets 409.
 * A refused or failed request is not stored, so the client may try again;
 * `succeeded` says which answers count as done (GraphQL: no `errors`).
 */
export function idempotency(records: IdempotencyRecords, succeeded = (status: number, _body: unknown) => status < 300): Middleware {
  return async (ctx, next) => {
    const key = ctx.get('idempotency-key');
    const caller = (ctx.state as AppState).auth;
    if (!key || !caller) return next();
    if (!KEY.test(key)) {
      throw new DomainError(400, {
        code: 'invalid_idempotency_key',
        detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
        errors: [{ path: 'Idempotency-Key', in: 'header', message: 'must be 1 to 255 visible ASCII characters' }],
      });
    }
    const fingerprint = createHash('sha256')
      .update(`${ctx.method} ${ctx.path}\n${JSON.stringify(ctx.request.body ?? null)}`)
      .digest('base64url');
    const claim = await records.claim(caller, key, fingerprint);
    switch (claim.kind) {
      case 'reused':
        throw new DomainError(422, {
          code: 'idempotency_key_reused',
          detail: 'This Idempotency-Key was used with a different request',
          errors: [{ path: 'Idempotency-Key', in: 'header', message: 'was already used for another request' }],
        });
      case 'running':
        throw new DomainError(409, {
          code: 'idempotency_in_progress',
          detail: 'A request with this Idempotency-Key is still being processed',
          headers: { 'Retry-After': '1' },
        });
      case 'notKept':
        throw new DomainError(409, {
          code: 'idempotency_response_not_kept',
          detail: `The request with this Idempotency-Key already succeeded (${claim.status}), but its response was too large to keep for replay: read the result instead of retrying`,
        });
      case 'replay':
        ctx.status = claim.response.status;
        for (const [name, value] of Object.entries(claim.response.headers)) ctx.set(name, value);
        ctx.set('Idempotent-Replayed', 'true');
        ctx.body = claim.response.body;
        return;
    }
    try {
      await next();
    } catch (error) {
      // A refused or failed request releases the key: the client may fix it and retry.
      await records.release(caller, key);
      throw error;
    }
    if (!succeeded(ctx.status, ctx.body)) {
      await records.release(caller, key);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = ctx.response.get(name);
      if (value) headers[name] = value;
    }
    await records.complete(caller, key, { status: ctx.status, headers, body: ctx.body ?? null });
  };
}
