import type { Middleware } from 'koa';
import { tooManyRequests } from '../domain/errors.js';
import { RATE_LIMIT_WINDOW_MS, type RateLimiter } from '../services/rateLimits.js';
import type { AppState } from './api.js';

/**
 * Counts every request, REST and GraphQL alike: per user when signed in,
 * else per address; over the limit it answers 429 with `Retry-After`, and
 * every answer carries the `RateLimit-*` headers.
 */
export function rateLimit(limiter: RateLimiter): Middleware {
  return async (ctx, next) => {
    const caller = (ctx.state as AppState).auth;
    const [key, limit] = caller ? [`user:${caller.userId}`, limiter.limits.perUser] : [`ip:${ctx.ip}`, limiter.limits.perAddress];
    const granted = limiter.take(key, limit);
    ctx.set('RateLimit-Limit', String(limit));
    if (!granted) {
      const reset = Math.ceil((RATE_LIMIT_WINDOW_MS - (Date.now() % RATE_LIMIT_WINDOW_MS)) / 1000);
      ctx.set('RateLimit-Remaining', '0');
      ctx.set('RateLimit-Reset', String(reset));
      throw tooManyRequests(reset);
    }
    ctx.set('RateLimit-Remaining', String(granted.remaining));
    ctx.set('RateLimit-Reset', String(granted.resetSeconds));
    await next();
  };
}
