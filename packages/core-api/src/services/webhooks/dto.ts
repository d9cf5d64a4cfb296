/** Rows as Knex returns them (camelCase) and the shapes the API sends. */
export interface EndpointRow {
  id: number;
  workspaceId: number;
  url: string;
  description: string;
  eventTypes: string[];
  changedFields: string[];
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRow {
  id: number;
  endpointId: number;
  eventId: number | null;
  messageId: string;
  eventType: string;
  body: string;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface AttemptRow {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
  nextRetryAt: Date | null;
  createdAt: Date;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An endpoint without its secrets (they are read through their own route). */
export function toEndpointDto(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    changedFields: row.changedFields,
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

export const ENDPOINT_COLUMNS = [
  'id',
  'workspaceId',
  'url',
  'description',
  'eventTypes',
  'changedFields',
  'secret',
  'previousSecret',
  'previousSecretExpiresAt',
  'enabled',
  'disabledReason',
  'failingSince',
  'createdAt',
  'updatedAt',
] as const;
