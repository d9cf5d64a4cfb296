import type { Static } from '@sinclair/typebox';
import { WebhookEndpoint as EndpointSchema } from '../schemas/webhookEndpoint.js';
import { BaseModel } from './BaseModel.js';
import type { StoredRow } from './rows.js';

/** An endpoint as stored: what the API shows of it, its workspace and its signing secrets (never shown in lists). */
export type WebhookEndpointRow = StoredRow<Static<typeof EndpointSchema>> & {
  workspaceId: number;
  secret: string;
  previousSecret: string | null;
};

export const WEBHOOK_ENDPOINT_COLUMNS = [...Object.keys(EndpointSchema.properties), 'workspaceId', 'secret', 'previousSecret'] as Array<
  keyof WebhookEndpointRow
>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface WebhookEndpoint extends WebhookEndpointRow {}

/** A workspace's webhook destination: URL, event filter and `whsec_` secret (see docs/webhooks.md). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WebhookEndpoint extends BaseModel {
  static override tableName = 'webhook_endpoints';
}
