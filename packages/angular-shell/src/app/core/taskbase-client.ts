import { InjectionToken, type Provider } from '@angular/core';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';

/**
 * The one SDK client of the app: the shell talks to the API only through it,
 * and hands the same instance to the widgets through `<tb-provider>`, so they
 * share one access token, one refresh flow and one realtime socket.
 */
export const TASKBASE_CLIENT = new InjectionToken<TaskbaseClient<'browser'>>('TASKBASE_CLIENT');

/**
 * The API is served from the same origin as the shell (core-api, or the dev
 * proxy), so the sign-in is a browser session: the refresh token lives only in
 * the API's HttpOnly cookie and the access token only in the SDK's memory —
 * nothing a script on the page could read and carry away.
 */
export function provideTaskbaseClient(url = globalThis.location.origin): Provider {
  return {
    provide: TASKBASE_CLIENT,
    useFactory: () => createClient({ url, session: 'browser' }),
  };
}
