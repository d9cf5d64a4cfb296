import { getOperationAST, parse } from 'graphql';
import type { Middleware } from 'koa';
import type { Authenticated, Callers } from '../services/callers.js';
import type { AppState } from './api.js';
import { resolveToken } from './authenticate.js';

export interface GraphqlState extends AppState {
  /** The token behind `auth`, for subscriptions that must keep checking it. */
  token?: Authenticated;
  /** Why authentication failed: GraphQL answers it in its own shape (UNAUTHENTICATED), not as a problem document. */
  authError?: unknown;
}

/**
 * Authentication for /graphql: like REST's, but a refusal is kept for
 * GraphQL to answer in its own shape, and the request goes on through the
 * pipeline (rate limited per address, like any anonymous request).
 */
export function authenticateGraphql(callers: Callers): Middleware {
  return async (ctx, next) => {
    const state = ctx.state as GraphqlState;
    try {
      state.token = await resolveToken(callers, ctx.get('authorization'), ctx.get('origin'));
      state.auth = state.token.caller;
    } catch (error) {
      state.authError = error;
    }
    await next();
  };
}

/** Runs `idempotent` for a POSTed mutation only: queries and subscriptions are safe to repeat. */
export function forMutations(idempotent: Middleware): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !ctx.get('idempotency-key') || !isMutation(ctx.request.body)) return next();
    return idempotent(ctx, next);
  };
}

function isMutation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined);
    return operation?.operation === 'mutation';
  } catch {
    return false; // yoga answers the syntax error
  }
}

/** A GraphQL answer worth replaying: a success without errors (a refused mutation may be retried, as on REST). */
export function graphqlSucceeded(status: number, body: unknown): boolean {
  if (status >= 300) return false;
  try {
    return !(JSON.parse(String(body)) as { errors?: unknown }).errors;
  } catch {
    return false;
  }
}
