import type { Knex } from 'knex';
import { tooManyRequests } from '../domain/errors.js';
import { AuthThrottle } from '../models/Infrastructure.js';

/**
 * Counts sign-in attempts per account and failures per address in a fixed
 * window, in the database so that every API process shares the count.
 */
export class LoginThrottle {
  constructor(
    private readonly knex: Knex,
    private readonly windowSeconds: number,
    /** Sign-ins to one account that may be checked at once (LOGIN_MAX_CONCURRENT). */
    private readonly concurrency: number,
  ) {}

  /**
   * Runs `verify` (a password check) as one attempt.
   *
   * `accounts` are counted *before* `verify` runs, in one statement, so
   * concurrent guesses at one account cannot all slip past a check made
   * before any of them failed: an attempt starts only while the account's
   * failures stay under its limit and its failures plus the attempts still
   * being checked stay under `concurrency` (at least the limit), so at most
   * that many guesses are ever checked per window. Honest sign-ins to one
   * account at once (several devices, workers at boot) pass up to it; past
   * it they answer 429 with `Retry-After: 1`. A success clears the failures.
   *
   * `addresses` are checked before and counted only when `verify` fails: an
   * address is shared by many honest people (an office behind NAT), whose
   * sign-ins must not queue behind each other; guesses spread over many
   * accounts from one address are bounded by its anonymous rate limit
   * meanwhile.
   */
  async attempt(limits: { accounts: Map<string, number>; addresses?: Map<string, number> }, verify: () => Promise<boolean>): Promise<boolean> {
    const addresses = limits.addresses ?? new Map<string, number>();
    const accounts = [...limits.accounts.keys()];
    refuseOver(addresses, await this.current([...addresses.keys()]));
    const started = await this.start(accounts);
    const full = started.filter((row) => row.failures >= limits.accounts.get(row.key)! || row.failures + row.inFlight > Math.max(limits.accounts.get(row.key)!, this.concurrency));
    if (full.length > 0) {
      await this.finish(accounts, 'released');
      const locked = full.filter((row) => row.failures >= limits.accounts.get(row.key)!);
      throw locked.length > 0
        ? tooManyRequests(Math.max(...locked.map((row) => row.retry)), 'Too many failed sign-in attempts; try again later')
        : tooManyRequests(1, 'Too many sign-ins to this account at once; try again in a moment');
    }
    let valid = false;
    try {
      valid = await verify();
    } finally {
      await this.finish(accounts, valid ? 'succeeded' : 'failed');
      if (!valid) await this.countFailures([...addresses.keys()]);
    }
    return valid;
  }

  /** Counts one attempt in flight per account (a window past its end starts again), answering the counts. */
  private async start(keys: string[]): Promise<Counted[]> {
    if (keys.length === 0) return [];
    const result = await this.knex.raw(
      `insert into ${AuthThrottle.tableName} as t (key, failures, in_flight, window_started_at)
         select key, 0, 1, now() from unnest(?::text[]) as attempt(key) order by key -- every process locks rows in one order
       on conflict (key) do update set
         failures = case when t.window_started_at + make_interval(secs => ?) < now() then 0 else t.failures end,
         window_started_at = case when t.window_started_at + make_interval(secs => ?) < now() then now() else t.window_started_at end,
         in_flight = t.in_flight + 1
       returning key, failures, in_flight as "inFlight", extract(epoch from (window_started_at + make_interval(secs => ?) - now()))::float8 as retry`,
      [[...keys].sort(), this.windowSeconds, this.windowSeconds, this.windowSeconds],
    );
    return result.rows as Counted[];
  }

  /** Ends the attempts of `start`: a success clears the failures, a failure adds one, a refusal only leaves. */
  private async finish(keys: string[], outcome: 'succeeded' | 'failed' | 'released'): Promise<void> {
    if (keys.length === 0) return;
    const failures = { succeeded: '0', failed: 'failures + 1', released: 'failures' }[outcome];
    await AuthThrottle.rows(this.knex)
      .whereIn('key', keys)
      .update({ inFlight: this.knex.raw('greatest(in_flight - 1, 0)'), failures: this.knex.raw(failures) });
  }

  /** Adds a failure to each key (addresses), in its window. */
  private async countFailures(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.knex.raw(
      `insert into ${AuthThrottle.tableName} as t (key, failures, window_started_at)
         select key, 1, now() from unnest(?::text[]) as failure(key) order by key
       on conflict (key) do update set
         failures = case when t.window_started_at + make_interval(secs => ?) < now() then 1 else t.failures + 1 end,
         window_started_at = case when t.window_started_at + make_interval(secs => ?) < now() then now() else t.window_started_at end`,
      [[...keys].sort(), this.windowSeconds, this.windowSeconds],
    );
  }

  /** The failures of keys in their current window, without adding to them. */
  private async current(keys: string[]): Promise<Counted[]> {
    if (keys.length === 0) return [];
    return AuthThrottle.rows(this.knex)
      .whereIn('key', keys)
      .whereRaw('window_started_at + make_interval(secs => ?) > now()', [this.windowSeconds])
      .select('key', 'failures', 'inFlight', this.knex.raw('extract(epoch from (window_started_at + make_interval(secs => ?) - now()))::float8 as retry', [this.windowSeconds]));
  }
}

/** 429 when a key has already reached its limit of failures. */
function refuseOver(limits: Map<string, number>, counted: Counted[]): void {
  const over = counted.filter((row) => row.failures >= (limits.get(row.key) ?? Infinity));
  if (over.length > 0) throw tooManyRequests(Math.max(...over.map((row) => row.retry)), 'Too many failed sign-in attempts; try again later');
}

/** A key's failures in its window, attempts in flight, and seconds until the window ends. */
interface Counted {
  key: string;
  failures: number;
  inFlight: number;
  retry: number;
}
