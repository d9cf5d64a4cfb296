import type { StringKey } from './locale.js';

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

// The SDK's connection error reads "Could not reach <url>: <cause>".
const UNREACHABLE = /^Could not reach (\S+): /;

/**
 * The API's origin when a call failed the way a CORS refusal fails: the SDK's
 * connection error wrapping fetch's TypeError, for a URL of another origin.
 * The browser hides the reason from scripts, so this is the likely cause, not a certainty.
 */
export function refusedCrossOrigin(error: unknown, pageOrigin: string): string | undefined {
  const failure = error as { code?: string; cause?: unknown; message?: string } | null;
  if (failure?.code !== 'connection_error' || !(failure.cause instanceof TypeError)) return undefined;
  const url = UNREACHABLE.exec(failure.message ?? '')?.[1];
  if (!url) return undefined;
  try {
    const api = new URL(url).origin;
    return api !== pageOrigin ? api : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origins a token may be used from: its payload's `org` claim (a JWT's
 * middle part, base64url JSON; read, not verified: it only explains a refusal).
 * Undefined when the token has no such claim (any origin) or is not a JWT.
 */
export function allowedOrigins(token: string | undefined): string[] | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const org = (JSON.parse(json) as { org?: unknown }).org;
    return Array.isArray(org) && org.length > 0 && org.every((o) => typeof o === 'string') ? org : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a widget says when a call fails. A CORS-like failure with a token that
 * lists its allowed origins, none of them this page's: certainly the origin
 * (the server refuses any other). Otherwise a CORS-like failure names the likely
 * cause with both origins, and anything else shows the error's message.
 */
export function errorText(error: unknown, t: Translate, pageOrigin = globalThis.location?.origin ?? '', token?: string): string {
  const api = refusedCrossOrigin(error, pageOrigin);
  if (api) {
    const allowed = allowedOrigins(token);
    if (allowed && !allowed.includes(pageOrigin)) return t('originNotAllowed', { origin: pageOrigin, allowed: allowed.join(', ') });
    return t('originRefused', { api, origin: pageOrigin });
  }
  return t('error', { message: error instanceof Error ? error.message : String(error) });
}
