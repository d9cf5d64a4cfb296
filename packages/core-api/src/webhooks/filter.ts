import type { BusEvent } from '../events/bus.js';
import { WEBHOOK_EVENT_TYPE_NAMES } from '../schemas/eventCatalog.js';

export interface EndpointFilter {
  eventTypes: string[];
  changedFields: string[];
  /** Only events of these projects (events of no project pass); null: all. */
  projectIds?: ReadonlyArray<number | string> | null;
}

/**
 * Whether an endpoint receives an event: the catalog lets webhooks carry
 * the type (and the endpoint's list names it, when it has one), the event
 * is not private to one user, it concerns one of the endpoint's projects
 * (when it is limited to some), and a task.updated changed at least one of
 * the fields it filters on. `webhook.test` is only ever sent on request.
 */
export function endpointWants(endpoint: EndpointFilter, event: Pick<BusEvent, 'type' | 'userId' | 'payload' | 'projectId'>): boolean {
  if (event.userId !== null || event.type === 'webhook.test' || !WEBHOOK_EVENT_TYPE_NAMES.includes(event.type)) return false;
  if (endpoint.projectIds && event.projectId != null && !endpoint.projectIds.some((id) => Number(id) === event.projectId)) return false;
  if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(event.type)) return false;
  if (event.type === 'task.updated' && endpoint.changedFields.length > 0) {
    const changes = (event.payload.changes ?? {}) as Record<string, unknown>;
    return endpoint.changedFields.some((field) => field in changes);
  }
  return true;
}
