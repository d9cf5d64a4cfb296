import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Strict, Timestamp, named } from './common.js';

export const Notification = named(
  'Notification',
  Type.Object({
    id: Id,
    userId: Id,
    taskId: Type.Union([Id, Type.Null()]),
    actorId: Type.Union([Id, Type.Null()]),
    type: Type.String({ description: 'task.assigned, task.status_changed, comment.created, comment.mention, task.due_soon, task.overdue' }),
    message: Type.String(),
    read: Type.Boolean(),
    createdAt: Timestamp,
  }),
);

export type NotificationDto = Static<typeof Notification>;

export const NotificationListQuery = Strict({
  unread: Type.Optional(Type.Boolean({ description: 'Only unread notifications' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});

export const UnreadCount = named('UnreadCount', Type.Object({ unread: Type.Integer() }));
export const MarkedRead = Type.Object({ updated: Type.Integer() });
