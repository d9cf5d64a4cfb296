import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { notFound } from '../../domain/errors.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { webhookBody } from '../../events/frames.js';
import { toAttemptDto, toDeliveryDto } from './dto.js';
import { generateMessageId } from './signing.js';
import { WEBHOOK_ATTEMPT_COLUMNS, WEBHOOK_DELIVERY_COLUMNS, WebhookAttempt, WebhookDelivery, type WebhookAttemptRow, type WebhookDeliveryRow } from '../../models/WebhookDelivery.js';
import { WebhookEndpoint } from '../../models/WebhookEndpoint.js';


/**
 * The delivery log of an endpoint: test events, the list of deliveries and
 * their attempts, and manual resends. New work is announced to listeners
 * (the in-process worker) so it goes out at once.
 */
export class WebhookDeliveryService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly knex: Knex,
    /** Steps in the retry schedule: a resent, finished delivery skips them all. */
    private readonly retrySteps: number,
  ) {}

  /** Calls `listener` whenever a delivery is queued by hand (test, resend). */
  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a `webhook.test` delivery to one endpoint (sent once the endpoint is enabled). */
  async sendTest(caller: Caller, endpointId: number) {
    await this.assertEndpoint(caller, endpointId);
    const [row] = (await WebhookDelivery.rows(this.knex)
      .insert({
        workspaceId: caller.workspaceId,
        endpointId,
        eventId: null,
        messageId: generateMessageId(),
        eventType: 'webhook.test',
        body: webhookBody('webhook.test', new Date(), { endpointId, message: 'This is a test event from Taskbase' }),
        nextAttemptAt: this.knex.fn.now(3),
      })
      .returning(WEBHOOK_DELIVERY_COLUMNS)) as WebhookDeliveryRow[];
    this.announce();
    return toDeliveryDto(row!);
  }

  async list(caller: Caller, endpointId: number, input: { status?: WebhookDeliveryRow['status']; limit?: number; cursor?: string }) {
    await this.assertEndpoint(caller, endpointId);
    const limit = input.limit ?? 50;
    const query = WebhookDelivery.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, endpointId })
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .select(WEBHOOK_DELIVERY_COLUMNS);
    if (input.status) query.where('status', input.status);
    if (input.cursor) query.where('id', '<', Number(decodeCursor(input.cursor, 1)[0]));
    const rows = (await query) as WebhookDeliveryRow[];
    const page = rows.slice(0, limit);
    return { data: page.map(toDeliveryDto), nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null };
  }

  /** One delivery with its payload and every attempt, oldest first. */
  async get(caller: Caller, endpointId: number, id: number) {
    const row = await this.find(caller, endpointId, id);
    const attempts = (await WebhookAttempt.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, deliveryId: id })
      .orderBy('attempt')
      .select(WEBHOOK_ATTEMPT_COLUMNS)) as WebhookAttemptRow[];
    return { ...toDeliveryDto(row), payload: JSON.parse(row.body) as unknown, attempts: attempts.map(toAttemptDto) };
  }

  /**
   * Sends a delivery again now, with the same webhook-id and body. A
   * finished delivery gets one more attempt (no new retry schedule); a
   * pending one is simply made due.
   */
  async resend(caller: Caller, endpointId: number, id: number) {
    await this.find(caller, endpointId, id);
    const [row] = (await WebhookDelivery.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, id })
      .update({
        status: 'pending',
        nextAttemptAt: this.knex.fn.now(3),
        completedAt: null,
        scheduleStep: this.knex.raw(`case when status = 'pending' then schedule_step else ? end`, [this.retrySteps]),
      })
      .returning(WEBHOOK_DELIVERY_COLUMNS)) as WebhookDeliveryRow[];
    this.announce();
    return toDeliveryDto(row!);
  }

  private async find(caller: Caller, endpointId: number, id: number): Promise<WebhookDeliveryRow> {
    const row = (await WebhookDelivery.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, endpointId, id })
      .first(WEBHOOK_DELIVERY_COLUMNS)) as WebhookDeliveryRow | undefined;
    if (!row) throw notFound('Webhook delivery');
    return row;
  }

  private async assertEndpoint(caller: Caller, endpointId: number): Promise<void> {
    const row = await WebhookEndpoint.rows(this.knex).where({ workspaceId: caller.workspaceId, id: endpointId }).first('id');
    if (!row) throw notFound('Webhook endpoint');
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }
}
