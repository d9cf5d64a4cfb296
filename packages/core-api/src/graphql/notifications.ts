import { Notification, type NotificationDto } from '../schemas/notifications.js';
import { toTaskDto } from '../services/taskRows.js';
import type { GraphqlContext } from './context.js';
import { asArguments, underArgument } from './errors.js';
import { objectType } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';

export const notificationTypeDefs = /* GraphQL */ `
  ${objectType('type', 'Notification', Notification, {
    omit: ['userId', 'actorId'],
    fields: { task: { type: ': Task', description: 'The task, unless it was deleted since' }, actor: ': User' },
  })}
  type NotificationEdge {
    node: Notification!
  }

  type NotificationConnection {
    edges: [NotificationEdge!]!
    nodes: [Notification!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "The caller's notifications, newest first; first ≤ 100."
    notifications(unread: Boolean, first: Int = 50, after: String): NotificationConnection!
    unreadNotificationCount: Int!
  }

  extend type Mutation {
    markNotificationRead(id: ID!): Notification!
    "Answers how many notifications changed."
    markAllNotificationsRead: Int!
  }
`;



export const notificationResolvers = {
  Notification: {
    task: async (notification: NotificationDto, _: unknown, ctx: GraphqlContext) => {
      if (notification.taskId === null) return null;
      const row = await ctx.loaders.tasks.load(notification.taskId);
      return row && toTaskDto(row, ctx.caller);
    },
    actor: (notification: NotificationDto, _: unknown, ctx: GraphqlContext) =>
      notification.actorId === null ? null : ctx.loaders.users.load(notification.actorId),
  },

  Query: {
    notifications: async (_: unknown, args: { unread?: boolean | null; first?: number | null; after?: string | null }, ctx: GraphqlContext) => {
      const limit = pageSize(args.first, 50);
      const page = await asArguments(underArgument('after'), () =>
        ctx.services.notifications.list(ctx.caller, { unread: args.unread ?? undefined, limit, cursor: args.after ?? undefined }),
      );
      return connection(page);
    },
    unreadNotificationCount: async (_: unknown, __: unknown, ctx: GraphqlContext) => (await ctx.services.notifications.unreadCount(ctx.caller)).unread,
  },

  Mutation: {
    markNotificationRead: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.services.notifications.markRead(ctx.caller, toId(args.id, 'id')),
    markAllNotificationsRead: async (_: unknown, __: unknown, ctx: GraphqlContext) => (await ctx.services.notifications.markAllRead(ctx.caller)).updated,
  },
};
