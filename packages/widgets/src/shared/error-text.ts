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

/** What a widget says when a call fails: the likely CORS cause named with both origins, else the error's message. */
export function errorText(error: unknown, t: Translate, pageOrigin = globalThis.location?.origin ?? ''): string {
  const api = refusedCrossOrigin(error, pageOrigin);
  if (api) return t('originRefused', { api, origin: pageOrigin });
  return t('error', { message: error instanceof Error ? error.message : String(error) });
}
