import type { Credentials } from '../core/credentials.js';
import type { HttpClient, RequestOptions } from '../core/http.js';
import type { EmbedToken, EmbedTokenInput, Me, RegisterInput, Session, SignInInput, UpdateMeInput } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/auth`: email/password sessions. After `signIn` or `signUp` the client
 * sends the access token and refreshes it by itself; the refresh token is
 * kept in the `storage` option's store.
 */
export class Auth extends APIResource {
  constructor(
    http: HttpClient,
    private readonly credentials: Credentials,
  ) {
    super(http);
  }

  /** Creates a workspace and its first admin, and signs in as them. */
  async signUp(input: RegisterInput, options?: RequestOptions): Promise<Session> {
    const session = await this.http.request<Session>({ method: 'POST', path: '/api/auth/register', body: input, auth: false, retry: false, options });
    await this.credentials.setSession(session);
    return session;
  }

  /**
   * Signs in with email and password.
   * @example
   * const client = createClient({ url });
   * await client.auth.signIn({ email: 'ada@example.com', password });
   */
  async signIn(input: SignInInput, options?: RequestOptions): Promise<Session> {
    const session = await this.http.request<Session>({ method: 'POST', path: '/api/auth/login', body: input, auth: false, retry: false, options });
    await this.credentials.setSession(session);
    return session;
  }

  /** Ends the sign-in on the server and forgets its tokens. */
  async signOut(options?: RequestOptions): Promise<void> {
    const refreshToken = await this.credentials.refreshToken();
    try {
      if (refreshToken) await this.http.request({ method: 'POST', path: '/api/auth/logout', body: { refreshToken }, auth: false, retry: false, options });
    } finally {
      await this.credentials.clear();
    }
  }

  /** Exchanges the stored refresh token for a new pair now (the client also does it by itself before expiry). */
  async refresh(): Promise<string | undefined> {
    return this.credentials.renew();
  }

  /** The signed-in user and their workspace. */
  me(options?: RequestOptions): Promise<Me> {
    return this.http.request({ method: 'GET', path: '/api/auth/me', options });
  }

  /** Changes the signed-in user's profile or password. */
  updateMe(input: UpdateMeInput, options?: RequestOptions): Promise<Me> {
    return this.http.request({ method: 'PATCH', path: '/api/auth/me', body: input, options });
  }

  /**
   * Server side only: mints a short-lived access token for a host app's user
   * with a workspace API key (`tb_sk_…`). Never ship the API key to a browser.
   */
  embedToken(apiKey: string, input: EmbedTokenInput, options?: RequestOptions): Promise<EmbedToken> {
    return this.http.request({ method: 'POST', path: '/api/auth/embed-token', body: input, auth: false, headers: { authorization: `Bearer ${apiKey}` }, options });
  }
}
