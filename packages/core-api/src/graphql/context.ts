import type { Context } from 'koa';
import type { Caller } from '../domain/caller.js';
import type { EventBus } from '../events/bus.js';
import type { Authenticated } from '../services/callers.js';
import type { Services } from '../services/index.js';
import type { StreamCounter } from './busSubscription.js';
import type { Loaders } from './loaders.js';

/** What every resolver receives: the caller, the services and this request's loaders. */
export interface GraphqlContext {
  services: Services;
  /** Committed events; undefined when the app was built without a bus (subscriptions then fail). */
  bus: EventBus | undefined;
  caller: Caller;
  /** This API's origin as the client reached it (for URLs the API hands out, e.g. a calendar feed's). */
  origin: string;
  /** The caller's token as authenticated (subscriptions keep checking it). */
  auth: Authenticated;
  /** Open subscription streams per user. */
  streams: StreamCounter;
  loaders: Loaders;
  /** Fresh loaders, so that each subscription event reads current data. */
  resetLoaders(): void;
}

/** What the Koa middleware hands yoga for each request. */
export interface ServerContext {
  koa: Context;
}
