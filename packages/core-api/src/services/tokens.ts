import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config.js';
import type { Role } from '../domain/caller.js';
import { unauthorized } from '../domain/errors.js';

export interface AccessClaims {
  userId: number;
  workspaceId: number;
  role: Role;
  /** Browser origins an embed token may be used from. */
  origins?: string[];
}

interface JwtPayload {
  sub: string;
  wid: number;
  role: Role;
  org?: string[];
}

/** Signs and checks short-lived access JWTs (HS256 with the configured secret). */
export class AccessTokens {
  // A key object, not the string: jsonwebtoken otherwise tries to parse the
  // string as a public key on every verify (a quarter of the CPU of a read).
  private readonly key: KeyObject;

  constructor(private readonly config: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
  }

  sign(claims: AccessClaims, ttlSeconds = this.config.accessTtlSeconds): string {
    const payload: JwtPayload = { sub: String(claims.userId), wid: claims.workspaceId, role: claims.role };
    if (claims.origins?.length) payload.org = claims.origins;
    return jwt.sign(payload, this.key, {
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      issuer: this.config.issuer,
      audience: this.config.audience,
    });
  }

  /** The claims of a valid token, with when it expires; a 401 DomainError otherwise. */
  verify(token: string): AccessClaims & { expiresAt: Date } {
    let payload: JwtPayload & jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.issuer,
        audience: this.config.audience,
      }) as JwtPayload & jwt.JwtPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw unauthorized('The access token has expired', 'token_expired');
      throw unauthorized('The access token is invalid', 'invalid_token');
    }
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || !Number.isSafeInteger(payload.wid)) {
      throw unauthorized('The access token is invalid', 'invalid_token');
    }
    return {
      userId,
      workspaceId: payload.wid,
      role: payload.role,
      ...(payload.org ? { origins: payload.org } : {}),
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }
}
