import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type {
  MarkedNotifications,
  Notification,
  NotificationGroup,
  NotificationGroupQuery,
  NotificationListQuery,
  NotificationPreferences,
  NotificationPreferencesInput,
  Page,
  ResponseBody,
  UnreadCount,
} from '../types.js';
import { APIResource } from './resource.js';

/** `/api/notifications`: the caller's notifications. */
export class Notifications extends APIResource {
  /** Your preferences (your choices over the workspace's defaults); `emailAvailable` is false when the server sends no email. */
  getPreferences(options?: RequestOptions): Promise<NotificationPreferences> {
    return this.http.request({ method: 'GET', path: '/api/notifications/preferences', options });
  }

  /** Changes your preferences: `channels` merges kind by kind, channel by channel (`{ commented: { email: true } }`). */
  updatePreferences(input: NotificationPreferencesInput, options?: RequestOptions): Promise<NotificationPreferences> {
    return this.http.request({ method: 'PUT', path: '/api/notifications/preferences', body: input, options });
  }

  /** One page of notifications, newest first; `{ unread: true }` for unread ones, `{ archived: true }` for the archived ones. */
  list(query?: NotificationListQuery, options?: RequestOptions): Promise<Page<Notification>> {
    return this.http.request({ method: 'GET', path: '/api/notifications', query: { ...query, group: undefined }, options });
  }

  /** One page of notifications grouped by task (one row per task, newest group first), with counts, kinds and the newest one. */
  listGroups(query?: NotificationGroupQuery, options?: RequestOptions): Promise<Page<NotificationGroup>> {
    return this.http.request({ method: 'GET', path: '/api/notifications', query: { ...query, group: 'task' }, options });
  }

  /** Marks your notifications about one task read. */
  markTaskRead(taskId: number, options?: RequestOptions): Promise<MarkedNotifications> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/tasks/${taskId}/read`, options });
  }

  /** Archives one notification: out of the default list and the unread count. */
  archive(id: number, options?: RequestOptions): Promise<Notification> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/${id}/archive`, options });
  }

  /** Brings back an archived notification. */
  unarchive(id: number, options?: RequestOptions): Promise<Notification> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/${id}/unarchive`, options });
  }

  /** Archives all your notifications about one task. */
  archiveTask(taskId: number, options?: RequestOptions): Promise<MarkedNotifications> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/tasks/${taskId}/archive`, options });
  }

  /** Brings back your archived notifications about one task. */
  unarchiveTask(taskId: number, options?: RequestOptions): Promise<MarkedNotifications> {
    return this.http.request({ method: 'POST', path: path`/api/notifications/tasks/${taskId}/unarchive`, options });
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
