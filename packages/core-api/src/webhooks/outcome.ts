import type { Knex } from 'knex';
import type { WebhookConfig } from '../config.js';
import { appendEvent } from '../events/append.js';
import { toEndpointDto } from '../services/webhooks/dto.js';
import type { SendResult } from './sender.js';
import { WebhookAttempt, WebhookDelivery } from '../models/WebhookDelivery.js';
import { WEBHOOK_ENDPOINT_COLUMNS, WebhookEndpoint, type WebhookEndpointRow } from '../models/WebhookEndpoint.js';

/** A delivery a worker holds the lease on, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  workspaceId: number;
  endpointId: number;
  messageId: string;
  body: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
  scheduleStep: number;
  url: string;
  /** The current secret, then the previous one while a rotation overlaps. */
  secrets: string[];
  leaseId: string;
}

/** Longest wait a Retry-After may ask for. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/** The delay before the next attempt: the schedule's, ±20 % so retries spread out. */
function retryDelaySeconds(config: WebhookConfig, step: number, retryAfter: number | undefined): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_RETRY_AFTER_SECONDS);
  return config.retrySchedule[step]! * (0.8 + Math.random() * 0.4);
}

/**
 * Records one attempt and decides what follows, in one short transaction:
 * success, a retry at the next step of the schedule (or when Retry-After
 * says), or failure after the last step. A 410 disables the endpoint at
 * once; an endpoint failing for longer than `disableAfterSeconds` too.
 * The delivery row changes only if this worker still holds the lease.
 */
export async function recordAttempt(knex: Knex, config: WebhookConfig, delivery: ClaimedDelivery, result: SendResult): Promise<void> {
  const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
  const gone = result.statusCode === 410;
  const retry = !ok && !gone && delivery.scheduleStep < config.retrySchedule.length;
  const delay = retry ? retryDelaySeconds(config, delivery.scheduleStep, result.retryAfterSeconds) : 0;
  const status = ok ? 'succeeded' : retry ? 'pending' : 'failed';
  await knex.transaction(async (trx) => {
    const nextAttemptAt = retry ? trx.raw('now() + make_interval(secs => ?)', [delay]) : null;
    await WebhookAttempt.rows(trx)
      .insert({
        workspaceId: delivery.workspaceId,
        deliveryId: delivery.id,
        attempt: delivery.attempt,
        statusCode: result.statusCode ?? null,
        durationMs: result.durationMs,
        error: result.error ?? null,
        responseBody: result.responseBody ?? null,
        nextRetryAt: nextAttemptAt,
      })
      .onConflict(['workspaceId', 'deliveryId', 'attempt'])
      .ignore();
    await WebhookDelivery.rows(trx)
      .where({ workspaceId: delivery.workspaceId, id: delivery.id, leaseId: delivery.leaseId })
      .update({
        status,
        nextAttemptAt,
        scheduleStep: retry ? delivery.scheduleStep + 1 : delivery.scheduleStep,
        lockedUntil: null,
        leaseId: null,
        lastStatusCode: result.statusCode ?? null,
        lastError: result.error ?? null,
        completedAt: retry ? null : trx.fn.now(3),
      });
    if (ok) {
      await WebhookEndpoint.rows(trx)
        .where({ workspaceId: delivery.workspaceId, id: delivery.endpointId })
        .whereNotNull('failingSince')
        .update({ failingSince: null });
      return;
    }
    const marked = await trx.raw(
      `update webhook_endpoints set failing_since = coalesce(failing_since, now())
       where workspace_id = ? and id = ?
       returning enabled, failing_since < now() - make_interval(secs => ?) as expired`,
      [delivery.workspaceId, delivery.endpointId, config.disableAfterSeconds],
    );
    const row = (marked.rows as Array<{ enabled: boolean; expired: boolean }>)[0];
    if (!row?.enabled) return;
    if (gone) await disableEndpoint(trx, delivery, 'The endpoint answered 410 Gone');
    else if (row.expired) await disableEndpoint(trx, delivery, `Deliveries have failed for more than ${config.disableAfterSeconds} seconds`);
  });
}

async function disableEndpoint(trx: Knex.Transaction, delivery: ClaimedDelivery, reason: string): Promise<void> {
  const [row] = (await WebhookEndpoint.rows(trx)
    .where({ workspaceId: delivery.workspaceId, id: delivery.endpointId })
    .update({ enabled: false, disabledReason: reason, updatedAt: trx.fn.now(3) })
    .returning(WEBHOOK_ENDPOINT_COLUMNS)) as WebhookEndpointRow[];
  await appendEvent(trx, {
    workspaceId: delivery.workspaceId,
    type: 'webhook.endpoint_disabled',
    actorId: null,
    payload: { endpoint: toEndpointDto(row!), reason },
  });
}
