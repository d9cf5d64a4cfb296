import type { RequestOptions } from '../core/http.js';
import type { EventListQuery, EventPage } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/events`: every change the caller may see, in log order (by writing transaction, then id), to catch up after being offline. */
export class Events extends APIResource {
  /** Events after an id (`{ after: lastId }`); continue with the answer's `lastId` while `hasMore`. */
  list(query?: EventListQuery, options?: RequestOptions): Promise<EventPage> {
    return this.http.request({ method: 'GET', path: '/api/events', query, options });
  }
}
