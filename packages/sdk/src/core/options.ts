import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_RECONNECT_BASE_DELAY_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_STORAGE_KEY,
  DEFAULT_TIMEOUT_MS,
  SESSION_HEADER,
} from './constants.js';
import type { TokenProvider } from './credentials.js';
import { cookieSession, localStorageStorage, memoryStorage, type TokenStorage } from './storage.js';

/** The parts of a WebSocket constructor the realtime client uses (the browser's, or `ws`'s in Node). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The subset of the WebSocket API the realtime client relies on. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** How an email/password sign-in is kept: see {@link ClientOptions.session}. */
export type SessionMode = 'token' | 'browser';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The API's base URL, e.g. `https://tasks.example.com`. */
  url: string;
  /** A fixed access token (e.g. an embed token). Exclusive with `tokenProvider`. */
  token?: string;
  /** Called for a fresh access token when there is none, it is about to expire, or after a 401. */
  tokenProvider?: TokenProvider;
  /**
   * Where an email/password sign-in is kept. Default `'token'`: the client
   * holds the refresh token, in `storage`. `'browser'`, for an app served from
   * the API's own origin: the refresh token lives only in the API's HttpOnly
   * session cookie, the access token only in memory, and a reload resumes the
   * sign-in with one refresh. Exclusive with `token`, `tokenProvider`,
   * `storage` and `storageKey`.
   */
  session?: SessionMode;
  /** Where an email/password sign-in keeps its refresh token (`session: 'token'`). Default `'memory'`. */
  storage?: 'memory' | 'localStorage' | TokenStorage;
  /** Storage key of the refresh token. Default `DEFAULT_STORAGE_KEY` (`taskbase.refreshToken`). */
  storageKey?: string;
  /** Per-attempt timeout in ms. Default `DEFAULT_TIMEOUT_MS` (30 s). */
  timeout?: number;
  /** Retries of calls that are safe to repeat. Default `DEFAULT_MAX_RETRIES` (2). */
  maxRetries?: number;
  /** First retry delay in ms, doubled per attempt, jittered. Default `DEFAULT_RETRY_BASE_DELAY_MS` (500). */
  retryBaseDelay?: number;
  /** Longest wait between attempts in ms. Default `DEFAULT_RETRY_MAX_DELAY_MS` (8 s). */
  retryMaxDelay?: number;
  /** The fetch implementation. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** WebSocket constructor for `client.realtime`. Default `globalThis.WebSocket` (Node 20 has none: pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  /** Realtime reconnect backoff in ms. Defaults `DEFAULT_RECONNECT_BASE_DELAY_MS` (500) and `DEFAULT_RECONNECT_MAX_DELAY_MS` (15 s). */
  reconnectBaseDelay?: number;
  reconnectMaxDelay?: number;
}

/** Options after defaults are merged and everything is checked. */
export interface ResolvedOptions {
  baseUrl: string;
  session: SessionMode;
  token: string | undefined;
  tokenProvider: TokenProvider | undefined;
  storage: TokenStorage;
  storageKey: string;
  timeout: number;
  maxRetries: number;
  retryBaseDelay: number;
  retryMaxDelay: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
  WebSocket: WebSocketConstructor | undefined;
  reconnectBaseDelay: number;
  reconnectMaxDelay: number;
}

/** Merges defaults into the options; a bad option throws a TypeError naming it. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new TypeError('createClient needs an options object with at least { url }');
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new TypeError(`The ${name} option must be ${expected}, got ${describe(value)}`);
  };
  let baseUrl: URL | undefined;
  try {
    baseUrl = new URL(options.url);
  } catch {
    // reported below
  }
  if (typeof options.url !== 'string' || !baseUrl || !/^https?:$/.test(baseUrl.protocol)) {
    fail('url', 'an absolute http(s) URL such as "https://tasks.example.com"', options.url);
  }
  if (options.token !== undefined && (typeof options.token !== 'string' || !options.token)) fail('token', 'a non-empty string', options.token);
  if (options.tokenProvider !== undefined && typeof options.tokenProvider !== 'function') fail('tokenProvider', 'a function returning a token', options.tokenProvider);
  if (options.token !== undefined && options.tokenProvider !== undefined) {
    throw new TypeError('Pass either the token option or the tokenProvider option, not both');
  }
  const number = (name: keyof ClientOptions, fallback: number, min: number, max: number, integer = false): number => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      fail(name, `${integer ? 'a whole number' : 'a number'} between ${min} and ${max}`, value);
    }
    return value as number;
  };
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (typeof fetchImpl !== 'function') fail('fetch', 'a fetch function (this environment has no global fetch)', options.fetch);
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocketImpl !== undefined && typeof WebSocketImpl !== 'function') fail('WebSocket', 'a WebSocket constructor', options.WebSocket);
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null)) fail('headers', 'an object of header names to values', options.headers);
  if (options.storageKey !== undefined && (typeof options.storageKey !== 'string' || !options.storageKey)) fail('storageKey', 'a non-empty string', options.storageKey);
  const session = options.session ?? 'token';
  if (session !== 'token' && session !== 'browser') fail('session', '"token" or "browser"', session);
  const browser = session === 'browser';
  if (browser && (options.token ?? options.tokenProvider ?? options.storage ?? options.storageKey) !== undefined) {
    throw new TypeError('The session option "browser" takes no token, tokenProvider, storage or storageKey');
  }
  const storage = options.storage ?? 'memory';
  let resolvedStorage: TokenStorage;
  if (browser) resolvedStorage = cookieSession();
  else if (storage === 'memory') resolvedStorage = memoryStorage();
  else if (storage === 'localStorage') resolvedStorage = localStorageStorage();
  else if (storage && typeof storage === 'object' && typeof storage.getItem === 'function' && typeof storage.setItem === 'function' && typeof storage.removeItem === 'function') resolvedStorage = storage;
  else return fail('storage', '"memory", "localStorage" or an object with getItem, setItem and removeItem', storage);
  const reconnectBaseDelay = number('reconnectBaseDelay', DEFAULT_RECONNECT_BASE_DELAY_MS, 1, 600_000);
  return {
    baseUrl: baseUrl!.href.replace(/\/+$/, ''),
    session,
    token: options.token,
    tokenProvider: options.tokenProvider,
    storage: resolvedStorage,
    storageKey: options.storageKey ?? DEFAULT_STORAGE_KEY,
    timeout: number('timeout', DEFAULT_TIMEOUT_MS, 1, 600_000),
    maxRetries: number('maxRetries', DEFAULT_MAX_RETRIES, 0, 10, true),
    retryBaseDelay: number('retryBaseDelay', DEFAULT_RETRY_BASE_DELAY_MS, 0, 600_000),
    retryMaxDelay: number('retryMaxDelay', DEFAULT_RETRY_MAX_DELAY_MS, 0, 600_000),
    fetch: fetchImpl!,
    // The API's proof that a call comes from a page of its origin (it refuses session calls without it).
    headers: browser ? { ...options.headers, [SESSION_HEADER]: '1' } : { ...options.headers },
    WebSocket: WebSocketImpl,
    reconnectBaseDelay,
    reconnectMaxDelay: number('reconnectMaxDelay', Math.max(DEFAULT_RECONNECT_MAX_DELAY_MS, reconnectBaseDelay), reconnectBaseDelay, 3_600_000),
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : String(value);
}
