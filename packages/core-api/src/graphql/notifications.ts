import { Notification, NotificationGroup, type NotificationDto, type NotificationGroupDto } from '../schemas/notifications.js';
import { toTaskDto } from '../services/taskRows.js';
import type { GraphqlContext } from './context.js';
import { asArguments, invalidArgument, underArgument } from './errors.js';
import { objectType } from './fromSchemas.js';
import { MAX_PAGE_SIZE, connection, pageSize, toId } from './pagination.js';

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

  ${objectType('type', 'NotificationGroup', NotificationGroup, {
    description: "The bell's row for one task: its notifications counted, their kinds and the newest one",
    fields: {
      taskId: ': ID',
      task: { type: ': Task', description: 'Null without a task, or when it was deleted or is no longer visible to you' },
      latest: ': Notification!',
    },
  })}
  type NotificationGroupEdge {
    node: NotificationGroup!
  }

  type NotificationGroupConnection {
    edges: [NotificationGroupEdge!]!
    nodes: [NotificationGroup!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "The caller's notifications, newest first; first ≤ 100. Archived ones only with archived: true."
    notifications(unread: Boolean, archived: Boolean = false, first: Int = 50, after: String): NotificationConnection!
    "The caller's notifications grouped by task, newest group first (GET /api/notifications?group=task)."
    notificationGroups(unread: Boolean, archived: Boolean = false, first: Int = 50, after: String): NotificationGroupConnection!
    unreadNotificationCount: Int!
  }

  extend type Mutation {
    markNotificationRead(id: ID!): Notification!
    "Answers how many notifications changed."
    markAllNotificationsRead: Int!
    "Marks the caller's notifications about one task read; answers how many changed."
    markTaskNotificationsRead(taskId: ID!): Int!
    "Archives (archived: false brings back) the caller's notifications with these ids and/or about this task; answers how many changed."
    archiveNotifications(ids: [ID!], taskId: ID, archived: Boolean = true): Int!
  }
`;



interface ListArgs {
  unread?: boolean | null;
  archived?: boolean | null;
  first?: number | null;
  after?: string | null;
}

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

  NotificationGroup: {
    task: async (group: NotificationGroupDto, _: unknown, ctx: GraphqlContext) => {
      if (group.task === null) return null;
      const row = await ctx.loaders.tasks.load(group.task.id);
      return row && toTaskDto(row, ctx.caller);
    },
  },

  Query: {
    notifications: async (_: unknown, args: ListArgs, ctx: GraphqlContext) => {
      const limit = pageSize(args.first, 50);
      const page = await asArguments(underArgument('after'), () =>
        ctx.services.notifications.list(ctx.caller, { unread: args.unread ?? undefined, archived: args.archived ?? undefined, limit, cursor: args.after ?? undefined }),
      );
      return connection(page);
    },
    notificationGroups: async (_: unknown, args: ListArgs, ctx: GraphqlContext) => {
      const limit = pageSize(args.first, 50);
      const page = await asArguments(underArgument('after'), () =>
        ctx.services.notifications.listGroups(ctx.caller, { unread: args.unread ?? undefined, archived: args.archived ?? undefined, limit, cursor: args.after ?? undefined }),
      );
      return connection(page);
    },
    unreadNotificationCount: async (_: unknown, __: unknown, ctx: GraphqlContext) => (await ctx.services.notifications.unreadCount(ctx.caller)).unread,
  },

  Mutation: {
    markNotificationRead: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.services.notifications.markRead(ctx.caller, toId(args.id, 'id')),
    markAllNotificationsRead: async (_: unknown, __: unknown, ctx: GraphqlContext) => (await ctx.services.notifications.markAllRead(ctx.caller)).updated,
    markTaskNotificationsRead: async (_: unknown, args: { taskId: string }, ctx: GraphqlContext) =>
      (await ctx.services.notifications.markTaskRead(ctx.caller, toId(args.taskId, 'taskId'))).updated,
    archiveNotifications: async (_: unknown, args: { ids?: string[] | null; taskId?: string | null; archived?: boolean | null }, ctx: GraphqlContext) => {
      if (!args.ids?.length && (args.taskId === null || args.taskId === undefined)) throw invalidArgument('ids', 'name notifications (ids) or a task (taskId)');
      if ((args.ids?.length ?? 0) > MAX_PAGE_SIZE) throw invalidArgument('ids', `at most ${MAX_PAGE_SIZE} ids`);
      const archived = args.archived ?? true;
      const ids = [...new Set((args.ids ?? []).map((id, index) => toId(id, `ids[${index}]`)))];
      const taskId = args.taskId === null || args.taskId === undefined ? undefined : toId(args.taskId, 'taskId');
      return (await ctx.services.notifications.archiveMany(ctx.caller, { ids, ...(taskId === undefined ? {} : { taskId }) }, archived)).updated;
    },
  },
};
