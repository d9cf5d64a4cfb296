interface Claims {
  exp?: number;
  iat?: number;
}

function claims(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))) as Record<string, unknown>;
    return { exp: typeof json.exp === 'number' ? json.exp : undefined, iat: typeof json.iat === 'number' ? json.iat : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Reads a JWT's `exp` (seconds) without verifying it: the client only needs
 * to know when to renew. Undefined for anything that is not a JWT with `exp`.
 */
export function tokenExpiry(token: string): number | undefined {
  return claims(token)?.exp;
}

/**
 * When (ms since the epoch) the token should be renewed: `marginMs` before
 * it expires, or half its lifetime before when that is shorter (so a 30 s
 * token is not renewed on every call). Undefined for tokens without `exp`.
 */
export function renewalTime(token: string, marginMs: number): number | undefined {
  const { exp, iat } = claims(token) ?? {};
  if (exp === undefined) return undefined;
  const margin = iat !== undefined && exp > iat ? Math.min(marginMs, ((exp - iat) * 1000) / 2) : marginMs;
  return exp * 1000 - margin;
}

/** Whether the token is due for renewal (see {@link renewalTime}). */
export function expiresSoon(token: string, marginMs: number, now = Date.now()): boolean {
  const at = renewalTime(token, marginMs);
  return at !== undefined && now >= at;
}
