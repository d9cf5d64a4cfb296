import { caller, type Api } from '../http/api.js';
import { IdParams, Problem, problem } from '../schemas/common.js';
import { MarkedRead, Notification, NotificationListPage, NotificationListQuery, TaskIdParams, UnreadCount } from '../schemas/notifications.js';
import type { Services } from '../services/index.js';

export function registerNotificationRoutes(api: Api, services: Services): void {
  const tags = ['Notifications'];

  api.route({
    method: 'get',
    path: '/api/notifications',
    operationId: 'listNotifications',
    summary: 'Your notifications, newest first (or grouped by task)',
    description:
      'Archived notifications are left out unless `archived=true` (which lists only them). With `group=task` the page holds NotificationGroup rows: one per task (a notification without a task is a row of its own), newest group first, counted after the `unread`/`archived` filters.',
    tags,
    auth: 'user',
    query: NotificationListQuery,
    responses: { 200: { description: 'A page of notifications, or of NotificationGroups with `group=task`', schema: NotificationListPage } },
    handler: async (ctx, { query }) => {
      const { group, ...filters } = query;
      ctx.body = group === 'task' ? await services.notifications.listGroups(caller(ctx), filters) : await services.notifications.list(caller(ctx), filters);
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

  api.route({
    method: 'post',
    path: '/api/notifications/tasks/:taskId/read',
    operationId: 'markTaskNotificationsRead',
    summary: 'Mark all your notifications about one task read',
    tags,
    auth: 'user',
    params: TaskIdParams,
    responses: { 200: { description: 'How many changed (0 for a task you have none about)', schema: MarkedRead } },
    handler: async (ctx, { params }) => {
      ctx.body = await services.notifications.markTaskRead(caller(ctx), params.taskId);
    },
  });

  for (const archived of [true, false]) {
    const verb = archived ? 'archive' : 'unarchive';
    api.route({
      method: 'post',
      path: `/api/notifications/:id/${verb}`,
      operationId: archived ? 'archiveNotification' : 'unarchiveNotification',
      summary: archived ? 'Archive one of your notifications: out of the default list and the unread count' : 'Bring back an archived notification',
      tags,
      auth: 'user',
      params: IdParams,
      responses: { 200: { description: 'The notification', schema: Notification }, 404: problem('Not yours or unknown') },
      handler: async (ctx, { params }) => {
        ctx.body = await services.notifications.archive(caller(ctx), params.id, archived);
      },
    });
    api.route({
      method: 'post',
      path: `/api/notifications/tasks/:taskId/${verb}`,
      operationId: archived ? 'archiveTaskNotifications' : 'unarchiveTaskNotifications',
      summary: archived ? 'Archive all your notifications about one task' : 'Bring back your archived notifications about one task',
      tags,
      auth: 'user',
      params: TaskIdParams,
      responses: { 200: { description: 'How many changed', schema: MarkedRead } },
      handler: async (ctx, { params }) => {
        ctx.body = await services.notifications.archiveTask(caller(ctx), params.taskId, archived);
      },
    });
  }
}
