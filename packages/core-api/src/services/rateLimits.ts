import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import { RateLimitCount } from '../models/Infrastructure.js';

export const RATE_LIMIT_WINDOW_MS = 60_000;

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
 * Where the processes add up their counts: PostgreSQL by default, Redis when
 * REDIS_URL is set. `add` adds each key's count to its window's total and
 * answers the totals, in the keys' order.
 */
export interface SharedCounts {
  add(window: number, keys: string[], counts: number[]): Promise<number[]>;
  close(): Promise<void>;
}

/** Counts in the `rate_limits` table: one statement per flush. */
export class DatabaseCounts implements SharedCounts {
  constructor(private readonly knex: Knex) {}

  async add(window: number, keys: string[], counts: number[]): Promise<number[]> {
    const result = await this.knex.raw(
      `insert into rate_limits (key, window_start, count)
       select key, ?, count from unnest(?::text[], ?::int[]) as batch(key, count)
       -- Every process locks rows in the same order, or two flushes can deadlock.
       order by key collate "C"
       on conflict (key, window_start) do update set count = rate_limits.count + excluded.count
       returning key, count`,
      [window, keys, counts],
    );
    const totals = new Map((result.rows as Array<{ key: string; count: number }>).map((row) => [row.key, row.count]));
    if (Math.random() < 0.05) await RateLimitCount.rows(this.knex).where('windowStart', '<', window - 1).delete();
    return keys.map((key) => totals.get(key) ?? 0);
  }

  async close(): Promise<void> {}
}

/**
 * Counts in Redis: one pipelined INCRBY per key, each key expiring a window
 * after its own ends. Commands fail at once while Redis is unreachable (no
 * offline queue); the client reconnects by itself.
 */
export class RedisCounts implements SharedCounts {
  // ioredis is loaded with the first flush, not at every start: most installs have no REDIS_URL.
  private readonly redis: Promise<Redis>;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = import('ioredis').then(({ Redis }) => {
      const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      // ioredis reports every failed reconnect as an 'error' event (unhandled, it would end the process);
      // the flush that fails meanwhile is what gets logged.
      redis.on('error', () => {});
      return redis;
    });
    // A failed load is reported by the flush that awaits it, not as an unhandled rejection.
    this.redis.catch(() => {});
  }

  async add(window: number, keys: string[], counts: number[]): Promise<number[]> {
    const pipeline = (await this.redis).pipeline();
    keys.forEach((key, i) => {
      const name = `${this.prefix}ratelimit:${window}:${key}`;
      pipeline.incrby(name, counts[i]!).pexpire(name, 2 * RATE_LIMIT_WINDOW_MS);
    });
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_, i) => {
      const [error, total] = replies[2 * i] ?? [new Error('no reply')];
      if (error) throw error;
      return Number(total);
    });
  }

  async close(): Promise<void> {
    const redis = await this.redis;
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * Fixed one-minute windows per user (or per address for anonymous calls),
 * shared across API processes without a round trip per request: each
 * process counts locally and adds its counts to the shared store every
 * `flushIntervalMs`, reading back the totals. A burst spread over
 * processes can overshoot by what they admit within one flush interval.
 */
export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** The last flush failed: the next failure is not logged again. */
  private failing = false;

  constructor(
    private readonly store: SharedCounts,
    readonly limits: RateLimits,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.limits.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.store.close();
  }

  /** Counts one request; answers what is left, or undefined when over the limit. */
  take(key: string, limit: number, now = Date.now()): { remaining: number; resetSeconds: number } | undefined {
    const window = Math.floor(now / RATE_LIMIT_WINDOW_MS);
    let counter = this.counters.get(key);
    if (!counter || counter.window !== window) {
      counter = { window, shared: 0, pending: 0 };
      this.counters.set(key, counter);
    }
    const resetSeconds = Math.ceil(((window + 1) * RATE_LIMIT_WINDOW_MS - now) / 1000);
    if (counter.shared + counter.pending >= limit) return undefined;
    counter.pending += 1;
    return { remaining: limit - counter.shared - counter.pending, resetSeconds };
  }

  /** Adds this process's counts to the shared ones and reads the totals back. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const current = Math.floor(Date.now() / RATE_LIMIT_WINDOW_MS);
    const batch = [...this.counters].filter(([, counter]) => counter.window === current);
    for (const [key, counter] of this.counters) if (counter.window < current) this.counters.delete(key);
    if (batch.length === 0) return;
    const sent = batch.map(([, counter]) => counter.pending);
    try {
      const totals = await this.store.add(current, batch.map(([key]) => key), sent);
      batch.forEach(([, counter], i) => {
        counter.pending -= sent[i]!;
        counter.shared = totals[i]!;
      });
      this.failing = false;
    } catch (error) {
      // Limits stay local meanwhile; requests are never refused because the store hiccupped.
      if (!this.failing) this.logger.warn({ err: error }, 'rate limit counts could not be shared; limits are per process until they can');
      this.failing = true;
    }
  }
}
