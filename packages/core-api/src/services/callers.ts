import type { Caller } from '../domain/caller.js';
import { DomainError, unauthorized } from '../domain/errors.js';
import type { AccessTokens } from './tokens.js';
import type { UserStatusCache } from './userStatus.js';

/**
 * Who an access token stands for, checked against the user's current
 * status (role, active), so a deactivation or a role change takes effect at
 * once, not when the token expires. REST, GraphQL and WebSockets all
 * authenticate here.
 */
export class Callers {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly users: UserStatusCache,
  ) {}

  /**
   * The caller of `token`, used from `origin` (a browser's Origin header,
   * when one was sent), and when the token expires; a 401 or 403
   * DomainError otherwise.
   */
  async fromToken(token: string, origin: string | undefined): Promise<{ caller: Caller; expiresAt: Date }> {
    const claims = this.tokens.verify(token);
    const user = await this.users.get(claims.userId, claims.workspaceId);
    if (!user) throw unauthorized('The access token is invalid', 'invalid_token');
    if (!user.active) throw unauthorized('This account has been deactivated', 'account_deactivated');
    if (claims.origins && origin && !claims.origins.includes(origin)) {
      throw new DomainError(403, { code: 'origin_not_allowed', detail: `This token may not be used from ${origin}` });
    }
    const caller: Caller = {
      userId: claims.userId,
      workspaceId: claims.workspaceId,
      role: user.role,
      name: user.name,
      ...(claims.origins ? { origins: claims.origins } : {}),
    };
    return { caller, expiresAt: claims.expiresAt };
  }
}
