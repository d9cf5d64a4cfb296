import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TASK_FIELDS, WEBHOOK_EVENT_TYPE_NAMES } from './eventCatalog.js';
import { WebhookEndpoint } from './webhookEndpoint.js';
import { Cursor, Id, Limit, StringEnum, Strict, Timestamp, named } from './common.js';

const SUBSCRIBABLE = WEBHOOK_EVENT_TYPE_NAMES.filter((type) => type !== 'webhook.test');
export { WebhookEndpoint };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'An http or https URL that receives POST requests' });
const Description = Type.String({ maxLength: 500 });
const EventTypes = Type.Array(StringEnum(SUBSCRIBABLE as [string, ...string[]]), {
  uniqueItems: true,
  maxItems: 50,
  description: 'Event types to receive; empty or omitted means all',
});
const ChangedFields = Type.Array(Type.String({ pattern: `^(${TASK_FIELDS.join('|')}|fields\\.[a-z][a-z0-9_]{0,39})$`, description: `One of ${TASK_FIELDS.join(', ')}, or \`fields.<key>\` for a custom field` }), {
  uniqueItems: true,
  maxItems: 50,
  description: 'For task.updated: send only when one of these fields changed; empty means any change',
});

const ProjectIds = Type.Union([Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true }), Type.Null()], {
  description: 'Receive only events of these projects (events of no project, such as user.created, still arrive); null: every project',
});

export const WebhookEndpointCreate = Strict({
  url: Url,
  description: Type.Optional(Description),
  eventTypes: Type.Optional(EventTypes),
  changedFields: Type.Optional(ChangedFields),
  projectIds: Type.Optional(ProjectIds),
  enabled: Type.Optional(Type.Boolean()),
});
export type WebhookEndpointCreateInput = Static<typeof WebhookEndpointCreate>;

export const WebhookEndpointUpdate = Strict(
  {
    url: Type.Optional(Url),
    description: Type.Optional(Description),
    eventTypes: Type.Optional(EventTypes),
    changedFields: Type.Optional(ChangedFields),
    projectIds: Type.Optional(ProjectIds),
    enabled: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);

export const CreatedWebhookEndpoint = named(
  'CreatedWebhookEndpoint',
  Type.Object({ endpoint: WebhookEndpoint, secret: Type.String({ description: 'The whsec_ signing secret' }) }),
);

export const WebhookSecret = named(
  'WebhookSecret',
  Type.Object({
    secret: Type.String(),
    previousSecret: Nullable(Type.String()),
    previousSecretExpiresAt: Nullable(Timestamp),
  }),
);

export const RotateWebhookSecret = Strict({
  overlapSeconds: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 7 * 86_400, description: 'How long the old secret keeps signing too (default 86400)' }),
  ),
});

export const WebhookEventType = Type.Object({ type: Type.String(), description: Type.String() });

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const WebhookDelivery = named(
  'WebhookDelivery',
  Type.Object({
    id: Id,
    endpointId: Id,
    eventId: Nullable(Id),
    messageId: Type.String({ description: 'The webhook-id header, the same on every retry' }),
    eventType: Type.String(),
    status: StringEnum(DELIVERY_STATUSES),
    attemptCount: Type.Integer(),
    nextAttemptAt: Nullable(Timestamp),
    lastStatusCode: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    createdAt: Timestamp,
    completedAt: Nullable(Timestamp),
  }),
);

export const WebhookAttempt = Type.Object({
  attempt: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  durationMs: Type.Integer(),
  error: Nullable(Type.String()),
  responseBody: Nullable(Type.String({ description: 'The start of the response body (at most 2 KiB); null for a private destination, whose answers are never stored' })),
  nextRetryAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const WebhookDeliveryDetail = named(
  'WebhookDeliveryDetail',
  Type.Composite([WebhookDelivery, Type.Object({ payload: Type.Unknown(), attempts: Type.Array(WebhookAttempt) })]),
);

export const DeliveryListQuery = Strict({
  status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

export const DeliveryParams = Strict({ id: Id, deliveryId: Id });
