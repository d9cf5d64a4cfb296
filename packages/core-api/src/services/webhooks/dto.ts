import type { WebhookEndpointRow as EndpointRow } from '../../models/WebhookEndpoint.js';
import type { WebhookAttemptRow as AttemptRow, WebhookDeliveryRow as DeliveryRow } from '../../models/WebhookDelivery.js';

/** The shapes the API sends for stored webhook rows (models/WebhookEndpoint.ts, WebhookDelivery.ts). */
const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An endpoint without its secrets (they are read through their own route). */
export function toEndpointDto(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    changedFields: row.changedFields,
    projectIds: row.projectIds?.map(Number) ?? null,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: iso(row.failingSince),
    previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date() ? iso(row.previousSecretExpiresAt) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(row: DeliveryRow) {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    messageId: row.messageId,
    eventType: row.eventType,
    status: row.status,
    attemptCount: row.attemptCount,
    nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    completedAt: iso(row.completedAt),
  };
}

export function toAttemptDto(row: AttemptRow) {
  return {
    attempt: row.attempt,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: row.error,
    responseBody: row.responseBody,
    nextRetryAt: iso(row.nextRetryAt),
    createdAt: row.createdAt.toISOString(),
  };
}
