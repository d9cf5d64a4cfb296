import type { Middleware } from 'koa';
import type { AccessTokens } from '../services/tokens.js';
import type { UserStatusCache } from '../services/userStatus.js';
import type { AppState } from './api.js';
import type { Caller } from '../domain/caller.js';
import { DomainError, unauthorized } from '../domain/errors.js';

/** Reads the bearer token from the Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Verifies the access token and checks the user's current status (role,
 * active), so that a deactivation or a role change takes effect at once,
 * not when the token expires.
 */
export function authenticate(tokens: AccessTokens, users: UserStatusCache): Middleware {
  return async (ctx, next) => {
    (ctx.state as AppState).auth = await resolveCaller(tokens, users, ctx.get('authorization'), ctx.get('origin'));
    await next();
  };
}

/** The caller an Authorization header stands for, or a 401/403 DomainError (REST and GraphQL alike). */
export async function resolveCaller(tokens: AccessTokens, users: UserStatusCache, authorization: string, origin: string): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized();
  const claims = tokens.verify(token);
  const user = await users.get(claims.userId, claims.workspaceId);
  if (!user) throw unauthorized('The access token is invalid', 'invalid_token');
  if (!user.active) throw unauthorized('This account has been deactivated', 'account_deactivated');
  if (claims.origins && origin && !claims.origins.includes(origin)) {
    throw new DomainError(403, { code: 'origin_not_allowed', detail: `This token may not be used from ${origin}` });
  }
  return {
    userId: claims.userId,
    workspaceId: claims.workspaceId,
    role: user.role,
    name: user.name,
    ...(claims.origins ? { origins: claims.origins } : {}),
  };
}
