import { Type, type TSchema } from '@sinclair/typebox';
import { Id, Timestamp, named } from './common.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A webhook endpoint as the API answers it (apart from webhooks.ts: the event catalog needs it, and webhooks.ts needs the catalog). */
export const WebhookEndpoint = named(
  'WebhookEndpoint',
  Type.Object({
    id: Id,
    url: Type.String(),
    description: Type.String(),
    eventTypes: Type.Array(Type.String()),
    changedFields: Type.Array(Type.String()),
    projectIds: Nullable(Type.Array(Id, { description: 'Only events of these projects (and events of no project); null: every project' })),
    enabled: Type.Boolean(),
    disabledReason: Nullable(Type.String()),
    failingSince: Nullable(Timestamp),
    previousSecretExpiresAt: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
