import type { Middleware } from 'koa';
import { unauthorized } from '../domain/errors.js';
import type { Caller } from '../domain/caller.js';
import type { Authenticated, Callers } from '../services/callers.js';
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
  return (await resolveToken(callers, authorization, origin)).caller;
}

/** The token of an Authorization header, authenticated (with its issue and expiry times, for long-lived connections). */
export async function resolveToken(callers: Callers, authorization: string, origin: string): Promise<Authenticated> {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized();
  return callers.fromToken(token, origin || undefined);
}
