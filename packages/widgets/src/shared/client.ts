import { createClient, type SessionMode, type TaskbaseClient, type TokenProvider } from '@taskbase/sdk';

/** A Taskbase client in any session mode (token, or a browser session): the widgets use none of its sign-in methods. */
export type AnyClient = TaskbaseClient<SessionMode>;

/** Options of {@link configure}: where the API is and how to authenticate. */
export interface WidgetsConfig {
  /** The API's base URL, e.g. `https://tasks.example.com`. */
  url: string;
  /** A fixed access token (e.g. an embed token). */
  token?: string;
  /** Called for a fresh token before the current one expires. */
  tokenProvider?: TokenProvider;
}

/** Receives the client now and whenever it changes (with the provider's theme and default project ref); returns nothing. */
export type ClientCallback = (client: AnyClient | undefined, theme?: "light" | "dark", project?: string) => void;

/**
 * Dispatched (bubbling, composed) by a widget when it connects; the nearest
 * `<tb-provider>` answers by calling `callback` and keeps it until `unsubscribe`.
 * @internal
 */
export interface ClientRequestDetail {
  callback: ClientCallback;
  unsubscribe?: () => void;
}
export const CLIENT_REQUEST = 'tb-client-request';

const tokens = new WeakMap<AnyClient, () => string | undefined>();

/**
 * A client made from `url` + `token`/`tokenProvider`, remembering the token it
 * was given (the last one the provider returned) for {@link tokenOf}.
 * @internal
 */
export function clientWithToken(config: WidgetsConfig): AnyClient {
  let last = config.token;
  const tokenProvider = config.tokenProvider;
  const client = createClient({
    ...config,
    tokenProvider: tokenProvider && (async () => (last = await tokenProvider())),
  });
  tokens.set(client, () => last);
  return client;
}

/**
 * The access token a widget's client was configured with, when the widgets
 * made that client (undefined for a client passed in ready-made). Only read
 * to explain a refusal; never logged or shown.
 * @internal
 */
export function tokenOf(client: AnyClient | undefined): string | undefined {
  return client ? tokens.get(client)?.() : undefined;
}

let globalClient: AnyClient | undefined;
const globalListeners = new Set<ClientCallback>();

/**
 * Configures the client of every widget that is not inside a `<tb-provider>`.
 * Returns the client (e.g. to sign in with `client.auth.signIn`).
 * @example configure({ url: 'https://tasks.example.com', tokenProvider: () => fetch('/embed-token').then((r) => r.text()) });
 */
export function configure(config: WidgetsConfig | AnyClient): AnyClient {
  globalClient?.realtime.close();
  globalClient = 'tasks' in config ? config : clientWithToken(config);
  globalListeners.forEach((listener) => listener(globalClient));
  return globalClient;
}

/** @internal The configure() client, now and on change. */
export function watchGlobalClient(callback: ClientCallback): () => void {
  globalListeners.add(callback);
  callback(globalClient);
  return () => globalListeners.delete(callback);
}
