/**
 * Every default of the client, in one place. Each option of
 * {@link ClientOptions} documents which of these it falls back to.
 */

/** Per-attempt request timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Retries after the first attempt, for calls that are safe to repeat. */
export const DEFAULT_MAX_RETRIES = 2;
/** First retry delay; doubles each attempt, with full jitter. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Longest wait between two attempts (a longer Retry-After is not waited for). */
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;
/** A token this close to its `exp` is renewed before it is used. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** Where the refresh token of an email/password sign-in is kept. */
export const DEFAULT_STORAGE_KEY = 'taskbase.refreshToken';
/** The header of every call of a browser session (`session: 'browser'`): the API refuses session calls without it. */
export const SESSION_HEADER = 'x-taskbase-session';
/** The browser session routes: sign in (POST), sign out (DELETE), and `/refresh`. */
export const SESSION_PATH = '/api/auth/session';
/** Realtime reconnect backoff. */
export const DEFAULT_RECONNECT_BASE_DELAY_MS = 500;
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 15_000;
/** Page size that `iterate()` asks for (the API's maximum). */
export const DEFAULT_ITERATE_PAGE_SIZE = 100;
/** The realtime subprotocol. */
export const REALTIME_PROTOCOL = 'taskbase.v1';
/** Accepted age of a webhook's timestamp, either way. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;
/** Realtime event ids remembered per topic to drop duplicates. */
export const REALTIME_DEDUPE_WINDOW = 1_000;
