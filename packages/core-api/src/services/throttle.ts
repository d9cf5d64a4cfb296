import type { Knex } from 'knex';
import { tooManyRequests } from '../domain/errors.js';
import { AuthThrottle } from '../models/Infrastructure.js';

/**
 * Counts failed sign-ins per key (an account, an address) in a fixed window,
 * in the database so that every API process shares the count.
 */
export class LoginThrottle {
  constructor(
    private readonly knex: Knex,
    private readonly windowSeconds: number,
  ) {}

  /** Throws 429 with Retry-After when any key has reached its limit of failures. */
  async check(limits: Map<string, number>): Promise<void> {
    const rows: Array<{ key: string; failures: number; retry: number }> = await AuthThrottle.rows(this.knex)
      .whereIn('key', [...limits.keys()])
      .select(
        'key',
        'failures',
        this.knex.raw('extract(epoch from (window_started_at + make_interval(secs => ?) - now()))::float8 as retry', [this.windowSeconds]),
      );
    const blocked = rows.filter((row) => row.failures >= (limits.get(row.key) ?? Infinity) && row.retry > 0);
    if (blocked.length > 0) {
      throw tooManyRequests(Math.max(...blocked.map((row) => row.retry)), 'Too many failed sign-in attempts; try again later');
    }
  }

  async recordFailure(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.knex.raw(
        `insert into auth_throttle (key, failures, window_started_at) values (?, 1, now())
         on conflict (key) do update set
           failures = case when auth_throttle.window_started_at + make_interval(secs => ?) < now() then 1 else auth_throttle.failures + 1 end,
           window_started_at = case when auth_throttle.window_started_at + make_interval(secs => ?) < now() then now() else auth_throttle.window_started_at end`,
        [key, this.windowSeconds, this.windowSeconds],
      );
    }
  }

  async reset(keys: string[]): Promise<void> {
    await AuthThrottle.rows(this.knex).whereIn('key', keys).delete();
  }
}
