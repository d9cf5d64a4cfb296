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
  /** Projects an embed token is limited to. */
  projectIds?: number[];
  /** For an embed token: the API key that minted it, and the highest role that key may grant. */
  embed?: { apiKeyId: number; maxRole: Role };
}

interface JwtPayload {
  sub: string;
  wid: number;
  role: Role;
  org?: string[];
  /** The projects an embed token is limited to. */
  prj?: number[];
  /** `embed` for tokens minted through an API key; absent for a sign-in. */
  via?: 'embed';
  /** The minting API key's id and role cap (embed tokens). */
  kid?: number;
  cap?: Role;
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
    if (claims.projectIds) payload.prj = claims.projectIds;
    if (claims.embed) Object.assign(payload, { via: 'embed', kid: claims.embed.apiKeyId, cap: claims.embed.maxRole });
    return jwt.sign(payload, this.key, {
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      issuer: this.config.issuer,
      audience: this.config.audience,
    });
  }

  /**
   * The browser origins a token is limited to, when its signature is good,
   * even if it has expired (CORS lets the page read the 401 that says so);
   * undefined for any other token.
   */
  originsOf(token: string | undefined): string[] | undefined {
    if (!token) return undefined;
    try {
      const payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.issuer,
        audience: this.config.audience,
        ignoreExpiration: true,
      }) as JwtPayload;
      return payload.org;
    } catch {
      return undefined;
    }
  }

  /** The claims of a valid token, with when it was issued and expires; a 401 DomainError otherwise. */
  verify(token: string): AccessClaims & { issuedAt: Date; expiresAt: Date } {
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
    const embedded = payload.via === 'embed' && Number.isSafeInteger(payload.kid) && payload.cap !== undefined;
    if (payload.via !== undefined && !embedded) throw unauthorized('The access token is invalid', 'invalid_token');
    return {
      userId,
      workspaceId: payload.wid,
      role: payload.role,
      ...(payload.org ? { origins: payload.org } : {}),
      ...(embedded && Array.isArray(payload.prj) && payload.prj.every((id) => Number.isSafeInteger(id)) ? { projectIds: payload.prj } : {}),
      ...(embedded ? { embed: { apiKeyId: payload.kid!, maxRole: payload.cap! } } : {}),
      issuedAt: new Date((payload.iat ?? 0) * 1000),
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }
}
