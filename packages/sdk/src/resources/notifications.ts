import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { Notification, NotificationListQuery, Page, ResponseBody, UnreadCount } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/notifications`: the caller's notifications. */
export class Notifications extends APIResource {
  /** One page of notifications, newest first; `{ unread: true }` for unread ones. */
  list(query?: NotificationListQuery, options?: RequestOptions): Promise<Page<Notification>> {
    return this.http.request({ method: 'GET', path: '/api/notifications', query, options });
  }

  /** How many notifications are unread. */
  unreadCount(options?: RequestOptions): Promise<UnreadCount> {
    return this.http.request({ method: 'GET', path: '/api/notifications/unread-count', options });
  }

  /** Marks one notification read. */
  markRead(id: number, options?: RequestOptions): Promise<ResponseBody<'markNotificationRead'>> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/${id}/read`, options });
  }

  /** Marks every notification read. */
  markAllRead(options?: RequestOptions): Promise<ResponseBody<'markAllNotificationsRead'>> {
    return this.http.request({ method: 'POST', path: '/api/notifications/read-all', options });
  }
}
