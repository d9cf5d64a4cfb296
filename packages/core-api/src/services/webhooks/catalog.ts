import type { BusEvent } from '../../realtime/bus.js';

/** Every event type an endpoint may subscribe to, with what it means. */
export const WEBHOOK_EVENT_TYPES = [
  { type: 'task.created', description: 'A task was created' },
  { type: 'task.updated', description: 'Fields of a task changed; `changes` holds each field’s from/to' },
  { type: 'task.status_changed', description: 'A task moved to another status' },
  { type: 'task.assigned', description: 'A task was assigned or unassigned' },
  { type: 'task.deleted', description: 'A task was deleted' },
  { type: 'comment.created', description: 'A comment was posted on a task' },
  { type: 'comment.updated', description: 'A comment was edited' },
  { type: 'comment.deleted', description: 'A comment was deleted' },
  { type: 'user.created', description: 'A user joined the workspace' },
  { type: 'webhook.endpoint_disabled', description: 'A webhook endpoint was disabled after failing' },
  { type: 'webhook.test', description: 'Sent on request to try an endpoint; never sent otherwise' },
] as const;

export const WEBHOOK_EVENT_TYPE_NAMES: readonly string[] = WEBHOOK_EVENT_TYPES.map((entry) => entry.type);

/** Task fields a task.updated filter may name. */
export const TASK_FIELDS = ['title', 'description', 'status', 'priority', 'assignedTo', 'dueDate', 'position'] as const;

export interface EndpointFilter {
  eventTypes: string[];
  changedFields: string[];
}

/**
 * Whether an endpoint receives an event: the type is in the catalog (and in
 * the endpoint's list, when it has one), the event is not private to one
 * user, and a task.updated changed at least one of the fields it filters on.
 */
export function endpointWants(endpoint: EndpointFilter, event: Pick<BusEvent, 'type' | 'userId' | 'payload'>): boolean {
  if (event.userId !== null || event.type === 'webhook.test' || !WEBHOOK_EVENT_TYPE_NAMES.includes(event.type)) return false;
  if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(event.type)) return false;
  if (event.type === 'task.updated' && endpoint.changedFields.length > 0) {
    const changes = (event.payload.changes ?? {}) as Record<string, unknown>;
    return endpoint.changedFields.some((field) => field in changes);
  }
  return true;
}

/** The body sent for an event: the same `data` as the realtime frame. */
export function webhookBody(type: string, timestamp: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
}
