import type { Knex } from 'knex';
import { Event } from '../models/Event.js';
import { AuthThrottle, IdempotencyKey, RateLimitCount } from '../models/Infrastructure.js';
import { RefreshToken } from '../models/RefreshToken.js';
import { EventRetention, MaintenanceJob } from '../models/Retention.js';
import { WebhookDelivery } from '../models/WebhookDelivery.js';
import { RATE_LIMIT_WINDOW_MS } from './rateLimits.js';
import { every } from './periodic.js';
import { expirePausedBatch } from './webhooks/paused.js';

/** How long rows are kept (docs/operations.md, "Retention"). 0 days keeps them forever. */
export interface RetentionWindows {
  /** The event log: realtime resume and GET /api/events read it; a resume from before the window answers resync. */
  eventsDays: number;
  /** Finished webhook deliveries (succeeded or failed) and their attempts; pending ones are never pruned. */
  webhookDeliveriesDays: number;
  /** Refresh tokens, counted from their expiry (used and revoked ones stay that long for reuse detection). */
  refreshTokensDays: number;
  /** Idempotency records; they are replayed for 24 hours, so never less. */
  idempotencyHours: number;
  /** Deliveries paused for a disabled endpoint this long are marked failed (WEBHOOK_PAUSED_DAYS); unset: left alone. */
  webhookPausedDays?: number;
  /** Sent and failed emails of the outbox (with the rows a digest gathered), counted from creation (RETENTION_EMAIL_DAYS); unset or 0: kept. */
  emailOutboxDays?: number;
}

/** Rows deleted by one run, per table. */
export interface Pruned {
  events: number;
  /** Paused deliveries marked failed (not deleted: they show in the delivery log until pruned as finished). */
  webhookPausedExpired: number;
  webhookDeliveries: number;
  idempotencyKeys: number;
  refreshTokens: number;
  authThrottle: number;
  rateLimits: number;
  emailOutbox: number;
}

const DAY_MS = 86_400_000;
/** Sign-in throttle rows outlive any window (LOGIN_WINDOW_SECONDS is at most a day) by this much. */
const AUTH_THROTTLE_KEEP_MS = 2 * DAY_MS;

/**
 * Deletes what is past its retention window, table by table, in batches of
 * `batchSize` rows: each batch is one short statement, so no run holds a
 * long transaction (on the embedded database that would stall every
 * request). `runIfDue` makes it once per interval across every process on
 * the database: a claimed row in `maintenance_jobs`, not a held lock.
 */
export class RetentionJob {
  private readonly batchSize: number;
  private readonly jobName: string;
  private readonly intervalMs: number;
  private stopped = false;

  constructor(
    private readonly knex: Knex,
    private readonly windows: RetentionWindows,
    options: { batchSize?: number; jobName?: string; intervalMs?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.jobName = options.jobName ?? 'retention';
    this.intervalMs = options.intervalMs ?? 3_600_000;
  }

  /** Prunes every table now (whether or not another process ran lately). */
  async run(now = new Date()): Promise<Pruned> {
    const before = (ms: number) => new Date(now.getTime() - ms);
    const { eventsDays, webhookDeliveriesDays, refreshTokensDays, idempotencyHours, webhookPausedDays } = this.windows;
    return {
      events: eventsDays > 0 ? await this.pruneEvents(before(eventsDays * DAY_MS)) : 0,
      webhookPausedExpired: webhookPausedDays ? await this.expirePaused(before(webhookPausedDays * DAY_MS), webhookPausedDays) : 0,
      webhookDeliveries:
        webhookDeliveriesDays > 0
          ? await this.inBatches(WebhookDelivery.tableName, 'id', `status <> 'pending' and completed_at < ?`, before(webhookDeliveriesDays * DAY_MS))
          : 0,
      idempotencyKeys: await this.inBatches(IdempotencyKey.tableName, 'ctid', 'created_at < ?', before(Math.max(idempotencyHours, 24) * 3_600_000)),
      refreshTokens: refreshTokensDays > 0 ? await this.inBatches(RefreshToken.tableName, 'id', 'expires_at < ?', before(refreshTokensDays * DAY_MS)) : 0,
      authThrottle: await this.inBatches(AuthThrottle.tableName, 'key', 'window_started_at < ?', before(AUTH_THROTTLE_KEEP_MS)),
      // Flushes prune these as they go (services/rateLimits.ts); this catches what a quiet period leaves.
      rateLimits: await this.inBatches(RateLimitCount.tableName, 'ctid', 'window_start < ?', Math.floor(now.getTime() / RATE_LIMIT_WINDOW_MS) - 10),
      // A digest's gathered rows go with it (on delete cascade); held and pending ones never.
      emailOutbox: this.windows.emailOutboxDays
        ? await this.inBatches('email_outbox', 'id', `status in ('sent', 'failed') and created_at < ?`, before(this.windows.emailOutboxDays * DAY_MS))
        : 0,
    };
  }

  /**
   * Runs the job if no process has within the interval, else answers
   * undefined. The claim is one statement: concurrent claimers wait on the
   * row and see it taken.
   */
  async runIfDue(now = new Date()): Promise<Pruned | undefined> {
    const claimed = await this.knex.raw(
      `insert into ${MaintenanceJob.tableName} (name, last_run_at) values (?, ?)
       on conflict (name) do update set last_run_at = excluded.last_run_at
         where ${MaintenanceJob.tableName}.last_run_at <= ?
       returning name`,
      [this.jobName, now, new Date(now.getTime() - this.intervalMs)],
    );
    if ((claimed.rows as unknown[]).length === 0) return undefined;
    return this.run(now);
  }

  /**
   * Checks four times per interval whether a run is due (so a process that
   * starts just after another ran does not push the next run back by a
   * whole interval), until the returned function is called.
   */
  schedule(onError: (error: unknown) => void, onRun: (pruned: Pruned | undefined) => void = () => {}): () => void {
    const stop = every(Math.max(1000, this.intervalMs / 4), () => this.runIfDue(), onError, onRun);
    return () => {
      this.stopped = true;
      stop();
    };
  }

  /**
   * Events in batches, each recording per workspace the highest id it
   * deleted in the same statement: a reader never sees events gone without
   * the horizon that tells it so (events/reader.ts answers resync below it).
   */
  private async pruneEvents(cutoff: Date): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const result = await this.knex.raw(
        `with gone as (
           delete from ${Event.tableName} where id in (select id from ${Event.tableName} where created_at < ? limit ?)
           returning workspace_id, id
         ), horizon as (
           insert into ${EventRetention.tableName} (workspace_id, pruned_through_id)
           select workspace_id, max(id) from gone group by workspace_id
           on conflict (workspace_id) do update
             set pruned_through_id = greatest(${EventRetention.tableName}.pruned_through_id, excluded.pruned_through_id)
         )
         select id from gone`,
        [cutoff, this.batchSize],
      );
      const deleted = (result.rows as unknown[]).length;
      total += deleted;
      if (deleted < this.batchSize) break;
    }
    return total;
  }

  private async expirePaused(cutoff: Date, pausedDays: number): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const marked = await expirePausedBatch(this.knex, cutoff, pausedDays, this.batchSize);
      total += marked;
      if (marked < this.batchSize) break;
    }
    return total;
  }

  /** Deletes the rows matching `condition` in batches, picked by `key` (a unique column, or ctid). */
  private async inBatches(table: string, key: string, condition: string, bound: Date | number): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const result = await this.knex.raw(
        `delete from ${table} where ${key} in (select ${key} from ${table} where ${condition} limit ?) returning 1 as gone`,
        [bound, this.batchSize],
      );
      const deleted = (result.rows as unknown[]).length;
      total += deleted;
      if (deleted < this.batchSize) break;
    }
    return total;
  }
}
