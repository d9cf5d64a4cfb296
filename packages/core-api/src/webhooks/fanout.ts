import type { Knex } from 'knex';
import { type BusEvent } from '../events/bus.js';
import { EVENT_COLUMNS, Event } from '../models/Event.js';
import { SETTLED, after } from '../events/positions.js';
import { webhookBody } from '../events/frames.js';
import { endpointWants } from './filter.js';
import { PAUSED_NOTE } from '../services/webhooks/paused.js';
import { generateMessageId } from '../services/webhooks/signing.js';
import { WebhookCursor, WebhookDelivery } from '../models/WebhookDelivery.js';
import { WebhookEndpoint } from '../models/WebhookEndpoint.js';

/**
 * Turns committed events into deliveries, one batch per call, in a short
 * transaction that also advances the single-row cursor. `FOR UPDATE SKIP
 * LOCKED` on the cursor lets one worker fan out at a time; the others skip.
 *
 * The cursor is a log position and only settled events are read (see
 * events/positions.ts), so nothing can commit behind it later. The
 * delivery insert is idempotent (unique per endpoint and event), so a
 * repeated pass can never send an event twice.
 */
export class WebhookFanOut {
  constructor(
    private readonly knex: Knex,
    private readonly batchSize = 500,
  ) {}

  /** Processes one batch; `more` says whether another may be waiting. */
  run(): Promise<{ events: number; deliveries: number; more: boolean }> {
    return this.knex.transaction(async (trx) => {
      const locked = await trx.raw('select last_txid, last_event_id from webhook_cursor where id = 1 for update skip locked');
      const cursor = (locked.rows as Array<{ last_txid: number; last_event_id: number }>)[0];
      if (!cursor) return { events: 0, deliveries: 0, more: false };
      const from = { txid: Number(cursor.last_txid), id: Number(cursor.last_event_id) };
      const events = (await after(Event.rows(trx), from).whereRaw(SETTLED).limit(this.batchSize).select(EVENT_COLUMNS)) as BusEvent[];
      const last = events.at(-1);
      if (!last) return { events: 0, deliveries: 0, more: false };
      const deliveries = await this.insertDeliveries(trx, events);
      await WebhookCursor.rows(trx).where('id', 1).update({ lastTxid: last.txid, lastEventId: last.id, updatedAt: trx.fn.now() });
      return { events: events.length, deliveries, more: events.length === this.batchSize };
    });
  }

  private async insertDeliveries(trx: Knex.Transaction, events: BusEvent[]): Promise<number> {
    const workspaceIds = [...new Set(events.filter((event) => event.userId === null).map((event) => event.workspaceId))];
    if (workspaceIds.length === 0) return 0;
    // Disabled endpoints too: their deliveries wait, paused, until they are enabled again (services/webhooks/paused.ts).
    const endpoints = (await WebhookEndpoint.rows(trx)
      .whereIn('workspaceId', workspaceIds)
      .select('id', 'workspaceId', 'enabled', 'eventTypes', 'changedFields', 'projectIds')) as Array<{
      id: number;
      workspaceId: number;
      enabled: boolean;
      eventTypes: string[];
      changedFields: string[];
      projectIds: Array<number | string> | null;
    }>;
    if (endpoints.length === 0) return 0;
    const rows = [];
    for (const event of events) {
      for (const endpoint of endpoints) {
        if (endpoint.workspaceId !== event.workspaceId || !endpointWants(endpoint, event)) continue;
        rows.push({
          workspaceId: event.workspaceId,
          endpointId: endpoint.id,
          eventId: event.id,
          messageId: generateMessageId(),
          eventType: event.type,
          body: webhookBody(event.type, event.createdAt, event.payload),
          nextAttemptAt: endpoint.enabled ? trx.fn.now(3) : null,
          lastError: endpoint.enabled ? null : PAUSED_NOTE,
        });
      }
    }
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const result = await WebhookDelivery.rows(trx)
        .insert(rows.slice(i, i + 500))
        .onConflict(trx.raw('(workspace_id, endpoint_id, event_id) where event_id is not null'))
        .ignore()
        .returning('id');
      inserted += result.length;
    }
    return inserted;
  }
}
