import type { Knex } from 'knex';
import { WebhookDelivery } from '../../models/WebhookDelivery.js';

/**
 * Events that happen while an endpoint is disabled are queued for it as
 * paused deliveries: pending, with no next attempt (so the worker's claim
 * never sees them) and this note in the delivery log. Re-enabling the
 * endpoint sends those at most WEBHOOK_PAUSED_DAYS old; older ones are marked
 * failed, saying why, so the gap shows in the log instead of vanishing.
 */
export const PAUSED_NOTE = 'Paused: the endpoint is disabled; sent when it is enabled again';

export const expiredNote = (pausedDays: number) =>
  `Not sent: the event happened while the endpoint was disabled, more than ${pausedDays} days before it was enabled again`;

/** The paused deliveries of one endpoint (or, without `endpointId`, of every endpoint). */
function paused(db: Knex, workspaceId?: number, endpointId?: number) {
  const query = WebhookDelivery.rows(db).where('status', 'pending').whereNull('nextAttemptAt').where('lastError', PAUSED_NOTE);
  return workspaceId === undefined ? query : query.where({ workspaceId, endpointId });
}

/** On re-enable: what waited within the window becomes due now; the rest is marked failed. */
export async function resumePaused(trx: Knex.Transaction, workspaceId: number, endpointId: number, pausedDays: number): Promise<void> {
  const cutoff = trx.raw('now() - make_interval(days => ?)', [pausedDays]);
  await paused(trx, workspaceId, endpointId)
    .where('createdAt', '<', cutoff)
    .update({ status: 'failed', lastError: expiredNote(pausedDays), completedAt: trx.fn.now(3) });
  await paused(trx, workspaceId, endpointId).update({ nextAttemptAt: trx.fn.now(3), lastError: null });
}

/**
 * For the retention job: marks failed, `batchSize` at a time, the paused
 * deliveries older than the window (an endpoint left disabled does not
 * keep a queue growing forever). Answers how many it marked.
 */
export async function expirePausedBatch(knex: Knex, cutoff: Date, pausedDays: number, batchSize: number): Promise<number> {
  const ids = paused(knex).where('createdAt', '<', cutoff).limit(batchSize).select('id');
  const marked = await WebhookDelivery.rows(knex)
    .whereIn('id', ids)
    .update({ status: 'failed', lastError: expiredNote(pausedDays), completedAt: knex.fn.now(3) })
    .returning('id');
  return marked.length;
}
