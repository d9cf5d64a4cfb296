import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CalendarFeed, CreateCalendarFeedInput, CreatedCalendarFeed, Page } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/calendar/feeds`: secret iCalendar URLs of your tasks with due dates,
 * for calendar apps. The URL is only in `create`'s answer; `revoke` ends it.
 */
export class CalendarFeeds extends APIResource {
  /** Your feeds, newest first (never their URLs). */
  list(options?: RequestOptions): Promise<Page<CalendarFeed>> {
    return this.http.request({ method: 'GET', path: '/api/calendar/feeds', options });
  }

  /** Creates a feed: `{ scope: 'assigned' | 'watching' | 'project', projectId?, name? }`; keep `url`, it is shown once. */
  create(input: CreateCalendarFeedInput, options?: RequestOptions): Promise<CreatedCalendarFeed> {
    return this.http.request({ method: 'POST', path: '/api/calendar/feeds', body: input, options });
  }

  /** Revokes a feed: its URL answers 404 from now on. */
  revoke(id: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/calendar/feeds/${id}`, options });
  }
}
