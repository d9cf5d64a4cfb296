import { InjectionToken, type Provider } from '@angular/core';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';

/**
 * The one SDK client of the app: the shell talks to the API only through it,
 * and hands the same instance to the widgets through `<tb-provider>`, so they
 * share one access token, one refresh flow and one realtime socket.
 */
export const TASKBASE_CLIENT = new InjectionToken<TaskbaseClient>('TASKBASE_CLIENT');

/** The API is served from the same origin as the shell (core-api, or the dev proxy). */
export function provideTaskbaseClient(url = globalThis.location.origin): Provider {
  return {
    provide: TASKBASE_CLIENT,
    useFactory: () => createClient({ url, storage: 'localStorage' }),
  };
}
