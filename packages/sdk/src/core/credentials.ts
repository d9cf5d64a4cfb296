import { TOKEN_EXPIRY_MARGIN_MS } from './constants.js';
import { expiresSoon } from '../internal/jwt.js';
import type { TokenStorage } from './storage.js';

/**
 * Returns a fresh access token, e.g. by asking the host app's backend for an
 * embed token. Called when there is no token yet, when the current one is
 * about to expire, and once more after a 401.
 */
export type TokenProvider = () => string | Promise<string>;

/** What a sign-in or refresh answers (the parts the client keeps). */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

interface CredentialsInit {
  token: string | undefined;
  tokenProvider: TokenProvider | undefined;
  storage: TokenStorage;
  storageKey: string;
  /** Exchanges a refresh token for a new pair (POST /api/auth/refresh), or renews a browser session from its cookie. */
  refresh: (refreshToken: string) => Promise<{ accessToken: string; refreshToken?: string | undefined }>;
}

/**
 * The access token of the client and how to renew it: a fixed token, a
 * token provider, or the refresh token of an email/password sign-in.
 * Renewals are single-flight, so concurrent calls share one refresh (a
 * rotating refresh token must never be presented twice).
 */
export class Credentials {
  private token: string | undefined;
  private renewing: Promise<string | undefined> | undefined;
  private readonly listeners = new Set<(token: string | undefined) => void>();

  constructor(private readonly init: CredentialsInit) {
    this.token = init.token;
  }

  /** A token that is not about to expire, renewing it when possible; undefined when signed out. */
  async get(): Promise<string | undefined> {
    if (this.token && !expiresSoon(this.token, TOKEN_EXPIRY_MARGIN_MS)) return this.token;
    const renewed = await this.renew();
    return renewed ?? this.token;
  }

  /** Gets a new token now (after a 401, or before expiry); undefined when there is no way to. */
  renew(): Promise<string | undefined> {
    this.renewing ??= this.fetchToken().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async fetchToken(): Promise<string | undefined> {
    const { tokenProvider, storage, storageKey, refresh } = this.init;
    if (tokenProvider) {
      const token = await tokenProvider();
      if (typeof token !== 'string' || !token) throw new TypeError('tokenProvider must return a non-empty string');
      this.setToken(token);
      return token;
    }
    const refreshToken = await storage.getItem(storageKey);
    if (!refreshToken) return undefined;
    try {
      await this.setSession(await refresh(refreshToken));
    } catch (error) {
      // A refused refresh token (expired, revoked, replayed) ends the sign-in.
      if ((error as { status?: number }).status === 401) await this.clear();
      throw error;
    }
    return this.token;
  }

  /** Keeps the tokens of a sign-in or refresh (a browser session's refresh token is in its cookie, not here). */
  async setSession(session: { accessToken: string; refreshToken?: string | undefined }): Promise<void> {
    await this.init.storage.setItem(this.init.storageKey, session.refreshToken ?? '');
    this.setToken(session.accessToken);
  }

  /** The stored refresh token, if signed in with email and password. */
  refreshToken(): Promise<string | null> | string | null {
    return this.init.storage.getItem(this.init.storageKey);
  }

  /** Forgets every token. */
  async clear(): Promise<void> {
    await this.init.storage.removeItem(this.init.storageKey);
    this.setToken(undefined);
  }

  /** Calls `listener` whenever the access token changes; returns a function that stops it. */
  onChange(listener: (token: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setToken(token: string | undefined): void {
    if (token === this.token) return;
    this.token = token;
    for (const listener of this.listeners) listener(token);
  }
}
