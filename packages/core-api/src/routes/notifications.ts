import { caller, type Api } from '../http/api.js';
import { IdParams, Page, Problem } from '../schemas/common.js';
import { MarkedRead, Notification, NotificationListQuery, UnreadCount } from '../schemas/notifications.js';
import type { Services } from '../services/index.js';

export function registerNotificationRoutes(api: Api, services: Services): void {
  const tags = ['Notifications'];

  api.route({
    method: 'get',
    path: '/api/notifications',
    operationId: 'listNotifications',
    summary: 'Your notifications, newest first',
    tags,
    auth: 'user',
    query: NotificationListQuery,
    responses: { 200: { description: 'A page of notifications', schema: Page(Notification) } },
    handler: async (ctx, { query }) => {
      ctx.body = await services.notifications.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/notifications/unread-count',
    operationId: 'countUnreadNotifications',
    summary: 'How many of your notifications are unread',
    tags,
    auth: 'user',
    responses: { 200: { description: 'The count', schema: UnreadCount } },
    handler: async (ctx) => {
      ctx.body = await services.notifications.unreadCount(caller(ctx));
    },
  });

  api.route({
    method: 'post',
    path: '/api/notifications/read-all',
    operationId: 'markAllNotificationsRead',
    summary: 'Mark all your notifications read',
    tags,
    auth: 'user',
    responses: { 200: { description: 'How many changed', schema: MarkedRead } },
    handler: async (ctx) => {
      ctx.body = await services.notifications.markAllRead(caller(ctx));
    },
  });

  api.route({
    method: 'post',
    path: '/api/notifications/:id/read',
    operationId: 'markNotificationRead',
    summary: 'Mark one of your notifications read',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 200: { description: 'The notification', schema: Notification }, 404: { description: 'Not yours or unknown', schema: Problem } },
    handler: async (ctx, { params }) => {
      ctx.body = await services.notifications.markRead(caller(ctx), params.id);
    },
  });
}
