import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { WebhookConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { EventBus } from '../events/bus.js';
import { WebhookFanOut } from './fanout.js';
import { recordAttempt, type ClaimedDelivery } from './outcome.js';
import { sendWebhook } from './sender.js';
import { signatureHeaders } from '../services/webhooks/signing.js';

/**
 * The least time between two fan-out passes. Under a stream of writes the
 * bus wakes the worker for every commit; one pass per gap takes them all,
 * so the worker's statements per second stay flat however fast tasks are
 * written, for a few milliseconds more before a webhook leaves.
 */
export const FAN_OUT_GAP_MS = 25;

/**
 * The delivery worker: fans events out into deliveries, claims due ones
 * with `FOR UPDATE SKIP LOCKED` and a lease in one short statement, sends
 * them with no transaction open, and records each result in another.
 * Woken by the event bus and by its own deliveries finishing; a poll is
 * the safety net (retries falling due, other processes' test events).
 */
export class WebhookWorker {
  private readonly fanOut: WebhookFanOut;
  private pumping: Promise<void> | undefined;
  private again = false;
  private eventsWaiting = true;
  private lastFanOutAt = 0;
  private inFlight = new Set<Promise<void>>();
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Seconds a claim holds a delivery: long enough for the request and its record. */
  private readonly leaseSeconds: number;

  constructor(
    private readonly knex: Knex,
    private readonly config: WebhookConfig,
    private readonly logger: Logger,
  ) {
    this.fanOut = new WebhookFanOut(knex);
    this.leaseSeconds = Math.ceil(config.timeoutMs / 1000) + 5;
  }

  start(bus?: EventBus): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = bus?.subscribe(() => this.wake(true));
    this.timer = setInterval(() => this.wake(true), this.config.pollIntervalMs);
    this.timer.unref();
    this.wake(true);
  }

  /** Asks for a pass soon; `events` when new events may be waiting to fan out. */
  wake(events = false): void {
    if (this.stopped) return;
    if (events) this.eventsWaiting = true;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again) this.wake();
    });
  }

  /** Stops claiming, then waits for requests in flight to be sent and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.pumping;
    await Promise.allSettled([...this.inFlight]);
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        if (this.eventsWaiting) {
          // Wake-ups meanwhile fold into this pass (`again`), so waiting here is what batches them.
          const wait = this.lastFanOutAt + FAN_OUT_GAP_MS - Date.now();
          if (wait > 0) await delay(wait);
          this.eventsWaiting = false;
          this.lastFanOutAt = Date.now();
          while (!this.stopped && (await this.fanOut.run()).more);
        }
        await this.claimAndSend();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.logger.error({ err: error }, 'webhook worker pass failed');
    }
  }

  private async claimAndSend(): Promise<void> {
    const { concurrency } = this.config;
    const minBatch = Math.max(1, Math.floor(concurrency / 4));
    while (!this.stopped) {
      const free = concurrency - this.inFlight.size;
      if (free <= 0 || (free < minBatch && this.inFlight.size > 0)) return;
      const claimed = await this.claim(free);
      for (const delivery of claimed) this.dispatch(delivery);
      if (claimed.length < free) return;
    }
  }

  private async claim(limit: number): Promise<ClaimedDelivery[]> {
    const leaseId = randomUUID();
    // Oldest due first, but no endpoint gets more than endpointConcurrency
    // requests in flight (those leased already count), so one that hangs
    // cannot take every slot. Window functions and FOR UPDATE don't mix: rank
    // first, then lock, re-checking that the row is still free.
    const result = await this.knex.raw(
      `with pending as (
         select d.id, d.endpoint_id, d.next_attempt_at, coalesce(d.locked_until > now(), false) as leased
         from webhook_deliveries d
         join webhook_endpoints e on e.workspace_id = d.workspace_id and e.id = d.endpoint_id
         where d.status = 'pending' and e.enabled and (d.next_attempt_at <= now() or d.locked_until > now())
       ),
       ranked as (
         select id, next_attempt_at, leased,
           count(*) filter (where leased) over (partition by endpoint_id) as busy,
           row_number() over (partition by endpoint_id, leased order by next_attempt_at, id) as position
         from pending
       ),
       due as (
         select d.id from webhook_deliveries d
         join ranked r on r.id = d.id
         where not r.leased and r.busy + r.position <= ?
           and d.status = 'pending' and (d.locked_until is null or d.locked_until < now())
         order by r.next_attempt_at
         limit ?
         for update of d skip locked
       )
       update webhook_deliveries d
       set locked_until = now() + make_interval(secs => ?), lease_id = ?, attempt_count = d.attempt_count + 1
       from due, webhook_endpoints e
       where d.id = due.id and e.workspace_id = d.workspace_id and e.id = d.endpoint_id
       returning d.id, d.workspace_id, d.endpoint_id, d.message_id, d.body, d.attempt_count, d.schedule_step,
         e.url, e.secret, case when e.previous_secret_expires_at > now() then e.previous_secret end as previous_secret`,
      [this.config.endpointConcurrency, limit, this.leaseSeconds, leaseId],
    );
    return (result.rows as Array<Record<string, unknown>>).map((row) => ({
      id: Number(row.id),
      workspaceId: Number(row.workspace_id),
      endpointId: Number(row.endpoint_id),
      messageId: row.message_id as string,
      body: row.body as string,
      attempt: Number(row.attempt_count),
      scheduleStep: Number(row.schedule_step),
      url: row.url as string,
      secrets: [row.secret as string, ...(row.previous_secret ? [row.previous_secret as string] : [])],
      leaseId,
    }));
  }

  private dispatch(delivery: ClaimedDelivery): void {
    const task = (async () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const result = await sendWebhook({
        url: delivery.url,
        headers: signatureHeaders(delivery.secrets, delivery.messageId, timestamp, delivery.body),
        body: delivery.body,
        timeoutMs: this.config.timeoutMs,
        allowPrivate: this.config.allowPrivate,
      });
      await recordAttempt(this.knex, this.config, delivery, result);
    })()
      .catch((error: unknown) => this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook delivery could not be recorded'))
      .finally(() => {
        this.inFlight.delete(task);
        this.wake();
      });
    this.inFlight.add(task);
  }
}
