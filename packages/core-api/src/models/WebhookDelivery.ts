import type { Static } from '@sinclair/typebox';
import { WebhookAttempt as AttemptSchema, WebhookDelivery as DeliverySchema } from '../schemas/webhooks.js';
import { BaseModel } from './BaseModel.js';
import type { StoredRow } from './rows.js';

/** A delivery as stored: what the API shows of it, and the body it sends (the same on every retry). */
export type WebhookDeliveryRow = StoredRow<Static<typeof DeliverySchema>> & { body: string };
export const WEBHOOK_DELIVERY_COLUMNS = [...Object.keys(DeliverySchema.properties), 'body'] as Array<keyof WebhookDeliveryRow>;

/** One attempt to send a delivery, as stored and shown. */
export type WebhookAttemptRow = StoredRow<Static<typeof AttemptSchema>>;
export const WEBHOOK_ATTEMPT_COLUMNS = Object.keys(AttemptSchema.properties) as Array<keyof WebhookAttemptRow>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface WebhookDelivery extends WebhookDeliveryRow {}

/** One event (or test) to send to one endpoint, with its retry state; the webhook worker's queue. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WebhookDelivery extends BaseModel {
  static override tableName = 'webhook_deliveries';
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface WebhookAttempt extends WebhookAttemptRow {}

/** One attempt of a delivery: status, duration, the start of the response. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WebhookAttempt extends BaseModel {
  static override tableName = 'webhook_attempts';
}

/** The webhook fan-out's single-row cursor: the log position up to which events became deliveries. */
export class WebhookCursor extends BaseModel {
  static override tableName = 'webhook_cursor';

  id!: number;
  lastTxid!: number;
  lastEventId!: number;
  updatedAt!: Date;
}
