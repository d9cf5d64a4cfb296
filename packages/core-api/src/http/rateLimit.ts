import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import type { AppState } from './api.js';
import { tooManyRequests } from './problem.js';

const WINDOW_MS = 60_000;

interface Counter {
  window: number;
  /** The shared count as of the last flush (every process's requests). */
  shared: number;
  /** This process's requests not yet added to the shared count. */
  pending: number;
}

export interface RateLimits {
  /** Requests per minute for one signed-in user. */
  perUser: number;
  /** Requests per minute from one address without a token. */
  perAddress: number;
  flushIntervalMs: number;
}

/**
 * Fixed one-minute windows per user (or per address for anonymous calls),
 * shared across API processes through the database without a query per
 * request: each process counts locally and adds its counts to the shared
 * rows every `flushIntervalMs`, reading back the totals. A burst spread over
 * processes can overshoot by what they admit within one flush interval.
 */
export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly limits: RateLimits,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.limits.flushIntervalMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }

  /** Counts one request; answers what is left, or undefined when over the limit. */
  take(key: string, limit: number, now = Date.now()): { remaining: number; resetSeconds: number } | undefined {
    const window = Math.floor(now / WINDOW_MS);
    let counter = this.counters.get(key);
    if (!counter || counter.window !== window) {
      counter = { window, shared: 0, pending: 0 };
      this.counters.set(key, counter);
    }
    const resetSeconds = Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
    if (counter.shared + counter.pending >= limit) return undefined;
    counter.pending += 1;
    return { remaining: limit - counter.shared - counter.pending, resetSeconds };
  }

  /** Adds this process's counts to the shared ones and reads the totals back (one statement). */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const current = Math.floor(Date.now() / WINDOW_MS);
    const batch = [...this.counters].filter(([, counter]) => counter.window === current);
    for (const [key, counter] of this.counters) if (counter.window < current) this.counters.delete(key);
    if (batch.length === 0) return;
    const sent = batch.map(([, counter]) => counter.pending);
    try {
      const result = await this.knex.raw(
        `insert into rate_limits (key, window_start, count)
         select key, ?, count from unnest(?::text[], ?::int[]) as batch(key, count)
         -- Every process locks rows in the same order, or two flushes can deadlock.
         order by key collate "C"
         on conflict (key, window_start) do update set count = rate_limits.count + excluded.count
         returning key, count`,
        [current, batch.map(([key]) => key), sent],
      );
      const totals = new Map((result.rows as Array<{ key: string; count: number }>).map((row) => [row.key, row.count]));
      batch.forEach(([key, counter], i) => {
        counter.pending -= sent[i]!;
        counter.shared = totals.get(key) ?? counter.shared;
      });
      if (Math.random() < 0.05) await this.knex('rate_limits').where('windowStart', '<', current - 1).delete();
    } catch (error) {
      // Limits stay local meanwhile; requests are never refused because the database hiccupped.
      this.logger.warn({ err: error }, 'rate limit counts could not be shared');
    }
  }

  /** Middleware for API routes: per user when signed in, else per address. */
  middleware(): Middleware {
    return async (ctx, next) => {
      const caller = (ctx.state as AppState).auth;
      const [key, limit] = caller ? [`user:${caller.userId}`, this.limits.perUser] : [`ip:${ctx.ip}`, this.limits.perAddress];
      const granted = this.take(key, limit);
      ctx.set('RateLimit-Limit', String(limit));
      if (!granted) {
        const reset = Math.ceil((WINDOW_MS - (Date.now() % WINDOW_MS)) / 1000);
        ctx.set('RateLimit-Remaining', '0');
        ctx.set('RateLimit-Reset', String(reset));
        throw tooManyRequests(reset);
      }
      ctx.set('RateLimit-Remaining', String(granted.remaining));
      ctx.set('RateLimit-Reset', String(granted.resetSeconds));
      await next();
    };
  }
}
