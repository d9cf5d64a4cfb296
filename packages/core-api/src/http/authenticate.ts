import type { Middleware } from 'koa';
import { unauthorized } from '../domain/errors.js';
import type { Caller } from '../domain/caller.js';
import type { Callers } from '../services/callers.js';
import type { AppState } from './api.js';

/** Reads the bearer token from the Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Sets `ctx.state.auth` from the Authorization header, or answers 401/403. */
export function authenticate(callers: Callers): Middleware {
  return async (ctx, next) => {
    (ctx.state as AppState).auth = await resolveCaller(callers, ctx.get('authorization'), ctx.get('origin'));
    await next();
  };
}

/** The caller an Authorization header stands for, or a 401/403 DomainError (REST and GraphQL alike). */
export async function resolveCaller(callers: Callers, authorization: string, origin: string): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized();
  return (await callers.fromToken(token, origin || undefined)).caller;
}
