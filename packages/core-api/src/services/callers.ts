import type { Caller, Role } from '../domain/caller.js';
import { DomainError, unauthorized } from '../domain/errors.js';
import type { BusEvent } from '../events/bus.js';
import { lowerRole } from './roles.js';
import type { AccessTokens } from './tokens.js';
import type { UserStatusCache } from './userStatus.js';

/** A caller authenticated by an access token, with what long-lived connections need to keep checking it. */
export interface Authenticated {
  caller: Caller;
  issuedAt: Date;
  expiresAt: Date;
  /** The highest role the token may act with (an embed token's key cap). */
  roleCap: Role | undefined;
}

/**
 * Who an access token stands for, checked against the user's current
 * status (role, active, sessions ended), so a deactivation, a role change
 * or a password change takes effect at once, not when the token expires.
 * REST, GraphQL and WebSockets all authenticate here.
 */
export class Callers {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly users: UserStatusCache,
  ) {}

  /** The caller of `token`, used from `origin` (a browser's Origin header, when one was sent); a 401 or 403 DomainError otherwise. */
  async fromToken(token: string, origin: string | undefined): Promise<Authenticated> {
    const claims = this.tokens.verify(token);
    const user = await this.users.get(claims.userId, claims.workspaceId);
    if (!user) throw unauthorized('The access token is invalid', 'invalid_token');
    if (!user.active) throw unauthorized('This account has been deactivated', 'account_deactivated');
    if (user.sessionsValidAfter && claims.issuedAt < user.sessionsValidAfter) throw sessionEnded();
    if (claims.origins && origin && !claims.origins.includes(origin)) {
      throw new DomainError(403, { code: 'origin_not_allowed', detail: `This token may not be used from ${origin}` });
    }
    const roleCap = claims.embed?.maxRole;
    const caller: Caller = {
      userId: claims.userId,
      workspaceId: claims.workspaceId,
      role: effectiveRole(user.role, roleCap),
      name: user.name,
      ...(claims.origins ? { origins: claims.origins } : {}),
      via: claims.embed ? 'embed' : 'password',
      ...(claims.embed ? { apiKeyId: claims.embed.apiKeyId } : {}),
      ...(claims.projectIds ? { projectIds: claims.projectIds } : {}),
    };
    return { caller, issuedAt: claims.issuedAt, expiresAt: claims.expiresAt, roleCap };
  }
}

/** An embed token never acts above its key's cap, whatever role the user holds. */
export function effectiveRole(role: Role, cap: Role | undefined): Role {
  return cap ? lowerRole(role, cap) : role;
}

const sessionEnded = () => unauthorized('This session has ended (the password was changed); sign in again', 'session_ended');

/**
 * What a `user.*` event means for a long-lived connection of `auth` (a
 * socket, a GraphQL stream): its user was deactivated or its sessions were
 * ended (`end`, with why), or its role changed (applied to `auth.caller`,
 * within the token's cap). Events about other users change nothing.
 */
export function reviewAfterUserEvent(auth: Authenticated, event: Pick<BusEvent, 'type' | 'payload'>): { end: 'account_deactivated' | 'session_ended' } | undefined {
  if (event.type !== 'user.updated' && event.type !== 'user.deactivated') return undefined;
  const { user, sessionsEndedAt } = event.payload as { user?: { id: number; role: Role; active: boolean }; sessionsEndedAt?: string };
  if (!user || user.id !== auth.caller.userId) return undefined;
  if (!user.active) return { end: 'account_deactivated' };
  if (sessionsEndedAt && auth.issuedAt < new Date(sessionsEndedAt)) return { end: 'session_ended' };
  auth.caller.role = effectiveRole(user.role, auth.roleCap);
  return undefined;
}
