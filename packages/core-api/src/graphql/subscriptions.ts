import { GraphQLError } from 'graphql';
import type { BusEvent } from '../events/bus.js';
import { canSee } from '../events/visibility.js';
import { inTopic, type Topic } from '../events/topics.js';
import type { TaskDto } from '../schemas/tasks.js';
import { allowedTaskActions } from '../services/policy.js';
import { BusSubscription } from './busSubscription.js';
import type { GraphqlContext } from './context.js';
import { invalidArgument } from './errors.js';
import { toId } from './pagination.js';

export const subscriptionTypeDefs = /* GraphQL */ `
  "A change to a task, to its comments, reactions or attachments, or to what tasks are read with (labels, custom fields, shared views), as the event log recorded it."
  type TaskChange {
    eventId: ID!
    "task.created, task.updated, task.status_changed, task.assigned, task.deleted, task.project_changed, task.relation_added, task.relation_removed, task.watcher_added, task.watcher_removed, comment.created, comment.updated, comment.deleted, comment.reaction_added, comment.reaction_removed, attachment.added, attachment.removed; label.*, field.* and view.* (shared views), whose taskId is null"
    type: String!
    taskId: ID
    "The task as the event recorded it (task events only)."
    task: Task
    actor: User
    "The event's payload."
    data: JSON!
    createdAt: DateTime!
  }

  input TaskChangeFilter {
    "Only this task's changes."
    taskId: ID
    "Only this project's tasks, comments and attachments (and its own changes: workflow, members), with labels, custom fields and shared views of no project or of this one."
    projectId: ID
    "Only task events whose task has one of these statuses."
    status: [TaskStatus!]
    "Only task events whose task is assigned to: me, none or a user id."
    assignee: String
  }

  type Subscription {
    "Changes to the workspace's tasks, comments (reactions included) and attachments, and to its labels, custom fields and shared views, live (SSE). A taskId, status or assignee filter leaves label, field and view events out."
    taskChanged(filter: TaskChangeFilter): TaskChange!
    "The caller's new notifications, live (SSE)."
    notificationAdded: Notification!
  }
`;

/** Where a subscription's events come from, and the caller it must keep checking. */
function sourceOf(ctx: GraphqlContext) {
  if (!ctx.bus) throw new GraphQLError('Subscriptions are not available on this server', { extensions: { code: 'UNAVAILABLE' } });
  return { bus: ctx.bus, knex: ctx.services.knex, auth: ctx.auth, streams: ctx.streams };
}

interface TaskChangeFilter {
  taskId?: string | null;
  projectId?: string | null;
  status?: string[] | null;
  assignee?: string | null;
}

type Snapshot = Omit<TaskDto, 'can'>;

/** A full task snapshot (task events), as opposed to the `{ id, title }` comment events carry. */
function snapshotOf(event: BusEvent): Snapshot | undefined {
  const task = event.payload.task as Partial<Snapshot> | undefined;
  return task && typeof task.version === 'number' ? (task as Snapshot) : undefined;
}

function taskMatcher(filter: TaskChangeFilter, userId: number): (event: BusEvent) => boolean {
  const assignee = filter.assignee ?? undefined;
  if (assignee !== undefined && !/^(me|none|[1-9][0-9]{0,15})$/.test(assignee)) {
    throw invalidArgument('filter.assignee', 'must be me, none or a user id');
  }
  const assigneeId = assignee === 'me' ? userId : assignee === 'none' ? null : Number(assignee);
  const statuses = filter.status ?? undefined;
  if (statuses === undefined && assignee === undefined) return () => true;
  return (event) => {
    const task = snapshotOf(event);
    if (!task) return false;
    if (statuses && !statuses.includes(task.status)) return false;
    return assignee === undefined || task.assignedTo === assigneeId;
  };
}

export const subscriptionResolvers = {
  TaskChange: {
    actor: (change: { actorId: number | null }, _: unknown, ctx: GraphqlContext) =>
      change.actorId === null ? null : ctx.loaders.users.load(change.actorId),
  },

  Subscription: {
    taskChanged: {
      subscribe: (_: unknown, args: { filter?: TaskChangeFilter | null }, ctx: GraphqlContext) => {
        const filter = args.filter ?? {};
        const topic: Topic =
          filter.taskId != null
            ? { kind: 'task', taskId: toId(filter.taskId, 'filter.taskId') }
            : filter.projectId != null
              ? { kind: 'project', projectId: toId(filter.projectId, 'filter.projectId') }
              : { kind: 'tasks' };
        const matches = taskMatcher(filter, ctx.caller.userId);
        const viewer = ctx.caller;
        return BusSubscription.open(sourceOf(ctx), (event) =>
          canSee(viewer, event) && inTopic(topic, viewer, event) && matches(event) ? event : undefined,
        );
      },
      resolve: (event: BusEvent, _: unknown, ctx: GraphqlContext) => {
        ctx.resetLoaders();
        const snapshot = snapshotOf(event);
        return {
          eventId: event.id,
          type: event.type,
          taskId: event.taskId,
          task: snapshot ? { ...snapshot, can: allowedTaskActions(ctx.caller, snapshot) } : null,
          actorId: event.actorId,
          data: event.payload,
          createdAt: event.createdAt,
        };
      },
    },
    notificationAdded: {
      subscribe: (_: unknown, __: unknown, ctx: GraphqlContext) => {
        const viewer = ctx.caller;
        const topic: Topic = { kind: 'notifications' };
        return BusSubscription.open(sourceOf(ctx), (event) =>
          event.type === 'notification.created' && canSee(viewer, event) && inTopic(topic, viewer, event) ? event : undefined,
        );
      },
      resolve: (event: BusEvent, _: unknown, ctx: GraphqlContext) => {
        ctx.resetLoaders();
        return event.payload.notification;
      },
    },
  },
};
