import { SESSION_PATH } from '../core/constants.js';
import type { Credentials } from '../core/credentials.js';
import type { HttpClient, RequestOptions } from '../core/http.js';
import type { SessionMode } from '../core/options.js';
import type { BrowserSession, EmbedToken, EmbedTokenInput, Me, RegisterInput, Session, SignInInput, UpdatedMe, UpdateMeInput } from '../types.js';
import { APIResource } from './resource.js';

/** What a sign-in answers: with `session: 'browser'`, no refresh token (it is in the cookie). */
export type SignedIn<Mode extends SessionMode> = Mode extends 'browser' ? BrowserSession : Session;

/**
 * `/api/auth`: email/password sessions. After `signIn` or `signUp` the client
 * sends the access token and refreshes it by itself; the refresh token is
 * kept in the `storage` option's store, or, with `session: 'browser'`, in the
 * API's HttpOnly cookie (through the `/api/auth/session` routes).
 */
export class Auth<Mode extends SessionMode = 'token'> extends APIResource {
  constructor(
    http: HttpClient,
    private readonly credentials: Credentials,
  ) {
    super(http);
  }

  private get browser(): boolean {
    return this.http.options.session === 'browser';
  }

  /**
   * Creates a workspace and its first admin, and signs in as them. (A browser
   * session then signs in through the cookie route and ends the token
   * session the registration answered.)
   */
  async signUp(input: RegisterInput, options?: RequestOptions): Promise<SignedIn<Mode>> {
    const session = await this.http.request<Session>({ method: 'POST', path: '/api/auth/register', body: input, auth: false, retry: false, options });
    if (!this.browser) return this.keep(session);
    const signedIn = await this.signIn(input, options);
    await this.http.request({ method: 'POST', path: '/api/auth/logout', body: { refreshToken: session.refreshToken }, auth: false, retry: false, options });
    return signedIn;
  }

  /**
   * Signs in with email and password.
   * @example
   * const client = createClient({ url });
   * await client.auth.signIn({ email: 'ada@example.com', password });
   */
  async signIn({ email, password }: SignInInput, options?: RequestOptions): Promise<SignedIn<Mode>> {
    const path = this.browser ? SESSION_PATH : '/api/auth/login';
    return this.keep(await this.http.request<BrowserSession>({ method: 'POST', path, body: { email, password }, auth: false, retry: false, options }));
  }

  /** Ends the sign-in on the server (a browser session's cookie too) and forgets its tokens. */
  async signOut(options?: RequestOptions): Promise<void> {
    const refreshToken = await this.credentials.refreshToken();
    try {
      if (refreshToken) {
        await this.http.request(
          this.browser
            ? { method: 'DELETE', path: SESSION_PATH, auth: false, retry: false, options }
            : { method: 'POST', path: '/api/auth/logout', body: { refreshToken }, auth: false, retry: false, options },
        );
      }
    } finally {
      await this.credentials.clear();
    }
  }

  /**
   * Gets a new access token now (the client also does it by itself before
   * expiry): from the stored refresh token, or a browser session's cookie.
   * Resolves to undefined when there is nothing to renew.
   */
  async refresh(): Promise<string | undefined> {
    return this.credentials.renew();
  }

  /** The signed-in user and their workspace. */
  me(options?: RequestOptions): Promise<Me> {
    return this.http.request({ method: 'GET', path: '/api/auth/me', options });
  }

  /**
   * Changes the signed-in user's profile or password. A password change ends
   * every earlier session (this client's too) and answers a new `session`,
   * which the client adopts.
   */
  async updateMe(input: UpdateMeInput, options?: RequestOptions): Promise<UpdatedMe> {
    const updated = await this.http.request<UpdatedMe>({ method: 'PATCH', path: '/api/auth/me', body: input, options });
    if (updated.session) await this.credentials.setSession(updated.session);
    return updated;
  }

  /**
   * Server side only: mints a short-lived access token for a host app's user
   * with a workspace API key (`tb_sk_…`). Never ship the API key to a browser.
   */
  embedToken(apiKey: string, input: EmbedTokenInput, options?: RequestOptions): Promise<EmbedToken> {
    return this.http.request({ method: 'POST', path: '/api/auth/embed-token', body: input, auth: false, headers: { authorization: `Bearer ${apiKey}` }, options });
  }

  private async keep<S extends Session | BrowserSession>(session: S): Promise<SignedIn<Mode>> {
    await this.credentials.setSession(session);
    return session as SignedIn<Mode>;
  }
}
