import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import type { AppState } from './api.js';
import { DomainError } from '../domain/errors.js';

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'];

/**
 * `Idempotency-Key` on a POST: the first successful response is stored for
 * 24 hours and replayed for a retry with the same key and body. A retry with
 * another body is refused; a retry while the first is still running gets 409.
 * A refused or failed request is not stored, so the client may try again;
 * `succeeded` says which answers count as done (GraphQL: no `errors`).
 */
export function idempotency(knex: Knex, succeeded = (status: number, _body: unknown) => status < 300): Middleware {
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
    const id = { workspaceId: caller.workspaceId, userId: caller.userId, key };
    // Claim the key; an expired record, or one abandoned mid-request, may be claimed again.
    const claimed = await knex.raw(
      `insert into idempotency_keys (workspace_id, user_id, key, fingerprint) values (?, ?, ?, ?)
       on conflict (workspace_id, user_id, key) do update
         set fingerprint = excluded.fingerprint, status = null, response = null, created_at = now()
         where idempotency_keys.created_at < now() - interval '24 hours'
            or (idempotency_keys.status is null and idempotency_keys.created_at < now() - interval '2 minutes')
       returning 1`,
      [caller.workspaceId, caller.userId, key, fingerprint],
    );
    if (claimed.rows.length === 0) {
      const stored = await knex('idempotency_keys').where(id).first('fingerprint', 'status', 'response');
      if (stored.fingerprint !== fingerprint) {
        throw new DomainError(422, {
          code: 'idempotency_key_reused',
          detail: 'This Idempotency-Key was used with a different request',
          errors: [{ path: 'Idempotency-Key', in: 'header', message: 'was already used for another request' }],
        });
      }
      if (stored.status === null) {
        throw new DomainError(409, {
          code: 'idempotency_in_progress',
          detail: 'A request with this Idempotency-Key is still being processed',
          headers: { 'Retry-After': '1' },
        });
      }
      ctx.status = stored.status;
      for (const [name, value] of Object.entries(stored.response.headers as Record<string, string>)) ctx.set(name, value);
      ctx.set('Idempotent-Replayed', 'true');
      ctx.body = stored.response.body;
      return;
    }
    try {
      await next();
    } catch (error) {
      // A refused or failed request releases the key: the client may fix it and retry.
      await knex('idempotency_keys').where(id).delete();
      throw error;
    }
    if (!succeeded(ctx.status, ctx.body)) {
      await knex('idempotency_keys').where(id).delete();
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = ctx.response.get(name);
      if (value) headers[name] = value;
    }
    await knex('idempotency_keys').where(id).update({ status: ctx.status, response: { headers, body: ctx.body ?? null } });
  };
}
