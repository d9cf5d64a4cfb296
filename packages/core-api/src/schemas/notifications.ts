import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Page, StringEnum, Strict, Timestamp, named } from './common.js';

export const Notification = named(
  'Notification',
  Type.Object({
    id: Id,
    userId: Id,
    taskId: Type.Union([Id, Type.Null()]),
    actorId: Type.Union([Id, Type.Null()]),
    type: Type.String({ description: 'task.assigned, task.status_changed, comment.created, comment.mention, task.due_soon, task.overdue, task.reminder, task.watched_change' }),
    kind: Type.String({ description: 'The preference it counts under: assigned, mentioned, commented, status_changed, due_soon, overdue, reminder, watched_change, or other' }),
    message: Type.String(),
    read: Type.Boolean(),
    archived: Type.Boolean({ description: 'Archived: out of the default list and the unread count (`archived=true` lists them)' }),
    createdAt: Timestamp,
  }),
);

export type NotificationDto = Static<typeof Notification>;

export const NotificationListQuery = Strict({
  unread: Type.Optional(Type.Boolean({ description: 'Only unread notifications' })),
  archived: Type.Optional(Type.Boolean({ default: false, description: 'true lists only archived notifications; by default they are left out' })),
  group: Type.Optional(StringEnum(['task'] as const, { description: '`task`: one row per task (NotificationGroup), newest group first' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

export const UnreadCount = named('UnreadCount', Type.Object({ unread: Type.Integer() }));
export const MarkedRead = Type.Object({ updated: Type.Integer() });

/**
 * The bell's row for one task: its notifications counted, their kinds and
 * the newest one. A notification without a task is a group of its own.
 */
export const NotificationGroup = named(
  'NotificationGroup',
  Type.Object({
    taskId: Type.Union([Id, Type.Null()]),
    task: Type.Union([Type.Object({ id: Id, identifier: Type.String(), title: Type.String() }), Type.Null()], {
      description: 'Null without a task, or when the task was deleted or is no longer visible to you',
    }),
    count: Type.Integer({ minimum: 1 }),
    unread: Type.Integer({ minimum: 0 }),
    kinds: Type.Array(Type.String(), { description: 'The kinds of the group’s notifications, sorted' }),
    latest: Notification,
  }),
);
export type NotificationGroupDto = Static<typeof NotificationGroup>;

/** `GET /api/notifications` answers notifications, or groups with `group=task`. */
export const NotificationListPage = Type.Union([Page(Notification), Page(NotificationGroup)]);

export const TaskIdParams = Strict({ taskId: Id });
