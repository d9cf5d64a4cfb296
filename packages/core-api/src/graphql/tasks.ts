import { compileValidator } from '../schemas/validate.js';
import type { TSchema } from '@sinclair/typebox';
import { STATUS_CATEGORIES, StatusCategory } from '../schemas/projects.js';
import {
  TASK_ACTIONS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  Task,
  TaskAction,
  TaskCreate,
  TaskListQuery,
  TaskMove,
  TaskPriority,
  TaskStatus,
  TaskUpdate,
  type TaskCreateInput,
  type TaskListInput,
  type TaskMoveInput,
  type TaskUpdateInput,
} from '../schemas/tasks.js';
import { toTaskDto } from '../services/taskRows.js';
import { TaskLabel } from '../schemas/labels.js';
import type { TaskDto } from '../schemas/tasks.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { numericIds } from './inputs.js';
import { listArgument, listSort, restFilter, taskFilterTypeDefs } from './taskFilter.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';
import { RECURRENCE_TYPES } from './recurrence.js';

const categoryEnum = enumType('StatusCategory', STATUS_CATEGORIES, 'What a status means: BACKLOG, UNSTARTED, STARTED, COMPLETED (done) or CANCELED');
const priorityEnum = enumType('TaskPriority', TASK_PRIORITIES);
const actionEnum = enumType('TaskAction', TASK_ACTIONS, 'What the caller may do with a task');
/** The task schemas' enums, by the GraphQL names resolvers and other areas use. */
export const TASK_ENUMS: NamedTypes = new Map<TSchema, string>([
  [TaskStatus, 'TaskStatus'],
  [StatusCategory, 'StatusCategory'],
  [TaskPriority, 'TaskPriority'],
  [TaskAction, 'TaskAction'],
]);

/** The REST task, with relations instead of foreign keys, and its comments and history as connections. */
const TASK_TYPE = objectType('type', 'Task', Task, {
  omit: ['workspaceId', 'assignedTo', 'createdBy', 'parentId'],
  named: new Map([...TASK_ENUMS, ...RECURRENCE_TYPES]),
  descriptions: { version: 'Increments on every change; send it back as expectedVersion' },
  fields: {
    project: ': Project!',
    labels: ': [TaskLabel!]!',
    subtasks: { type: ': SubtaskCount!', description: 'How many subtasks it has, and how many of them are completed' },
    parent: { type: ': Task', description: 'The task this one is a subtask of' },
    assignee: ': User',
    creator: ': User!',
    comments: {
      type: '(first: Int = 20, after: String, newestFirst: Boolean = false): CommentConnection!',
      description: "The task's comments, oldest first (or newest first); first ≤ 100",
    },
    activity: { type: '(first: Int = 50, after: String): ActivityConnection!', description: "The task's history, oldest first; first ≤ 100" },
  },
});

export const taskTypeDefs = /* GraphQL */ `
${categoryEnum.sdl}${priorityEnum.sdl}${actionEnum.sdl}
  enum TaskOrder {
    CREATED_AT_ASC
    CREATED_AT_DESC
    UPDATED_AT_ASC
    UPDATED_AT_DESC
    DUE_DATE_ASC
    DUE_DATE_DESC
    PRIORITY_ASC
    PRIORITY_DESC
    POSITION_ASC
    POSITION_DESC
  }

  ${TASK_TYPE}
  ${objectType('type', 'TaskLabel', TaskLabel)}
  ${objectType('type', 'SubtaskCount', Task.properties.subtasks)}
  type TaskEdge {
    node: Task!
  }

  type TaskConnection {
    edges: [TaskEdge!]!
    nodes: [Task!]!
    pageInfo: PageInfo!
  }

  "One entry of a task's history, from the event log."
  type Activity {
    id: ID!
    type: String!
    actor: User
    taskId: ID
    payload: JSON!
    createdAt: DateTime!
  }

  type ActivityEdge {
    node: Activity!
  }

  type ActivityConnection {
    edges: [ActivityEdge!]!
    nodes: [Activity!]!
    pageInfo: PageInfo!
  }

${taskFilterTypeDefs}
  ${objectType('input', 'CreateTaskInput', TaskCreate, { named: new Map([...TASK_ENUMS, ...RECURRENCE_TYPES]) })}
  ${objectType('input', 'UpdateTaskInput', TaskUpdate, { named: new Map([...TASK_ENUMS, ...RECURRENCE_TYPES]) })}
  ${objectType('input', 'MoveTaskInput', TaskMove, { named: TASK_ENUMS, description: 'Moves a card to a status column, between two cards' })}
  "How many tasks of each default status match a filter (see statuses for every status)."
  type TaskStatusTotals {
${TASK_STATUSES.map((status) => `    ${status}: Int!`).join('\n')}
  }

  "How many tasks of one status match a filter."
  type StatusTotal {
    status: TaskStatus!
    count: Int!
  }

  "How many tasks of each status category match a filter."
  type CategoryTotals {
${STATUS_CATEGORIES.map((category) => `    ${category}: Int!`).join('\n')}
  }

  type TaskTotals {
    byStatus: TaskStatusTotals!
    "Every status with tasks (with a project filter: every status of its workflow), in no set order."
    statuses: [StatusTotal!]!
    byCategory: CategoryTotals!
    total: Int!
  }

  extend type Query {
    "How many tasks match the filter, per status (a board's column totals)."
    taskCounts(filter: TaskFilter): TaskTotals!
    """
    Tasks with the REST list's filters; first ≤ 100. Order by orderBy (default CREATED_AT_DESC, or the sort
    of filter.view) or by a custom field with orderByField: its key, with a - prefix for descending
    (-due_on); tasks without a value come last. The two cannot be combined.
    """
    tasks(filter: TaskFilter, orderBy: TaskOrder, orderByField: String, first: Int = 50, after: String): TaskConnection!
    "A task by id or identifier (CRM-42)."
    task(id: ID!): Task!
  }

  extend type Mutation {
    createTask(input: CreateTaskInput!): Task!
    "With expectedVersion, a stale write answers CONFLICT and changes nothing."
    updateTask(id: ID!, input: UpdateTaskInput!, expectedVersion: Int): Task!
    moveTask(id: ID!, input: MoveTaskInput!, expectedVersion: Int): Task!
    "Answers the deleted task's id. A task with subtasks is refused (CONFLICT, reason has_subtasks) unless cascade, which deletes its whole subtree."
    deleteTask(id: ID!, expectedVersion: Int, cascade: Boolean = false): ID!
  }
`;

const validate = {
  create: compileValidator(TaskCreate, 'body'),
  update: compileValidator(TaskUpdate, 'body'),
  move: compileValidator(TaskMove, 'body'),
  list: compileValidator(TaskListQuery, 'query'),
};


/** ID fields of task inputs. */
const ID_FIELDS = ['assignedTo', 'projectId', 'parentId', 'labelIds'];

/** A task argument: an id, or an identifier such as CRM-42. */
function taskRef(value: string): number | string {
  return /^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8}$/.test(value) ? value : toId(value, 'id');
}

const ORDER: Record<string, TaskListInput['sort']> = {
  CREATED_AT_ASC: 'createdAt',
  CREATED_AT_DESC: '-createdAt',
  UPDATED_AT_ASC: 'updatedAt',
  UPDATED_AT_DESC: '-updatedAt',
  DUE_DATE_ASC: 'dueDate',
  DUE_DATE_DESC: '-dueDate',
  PRIORITY_ASC: 'priority',
  PRIORITY_DESC: '-priority',
  POSITION_ASC: 'position',
  POSITION_DESC: '-position',
};

type ActivityRow = { actorId: number | null };


export const taskResolvers = {
  ...categoryEnum.resolvers,
  ...priorityEnum.resolvers,
  ...actionEnum.resolvers,
  TaskOrder: Object.fromEntries(Object.keys(ORDER).map((key) => [key, key])),

  TaskTotals: {
    byStatus: (totals: { byStatus: Record<string, number> }) => ({ ...Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])), ...totals.byStatus }),
    statuses: (totals: { byStatus: Record<string, number> }) => Object.entries(totals.byStatus).map(([status, count]) => ({ status, count })),
  },

  Task: {
    project: (task: TaskDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.projects.load(task.projectId),
    assignee: (task: TaskDto, _: unknown, ctx: GraphqlContext) => (task.assignedTo === null ? null : ctx.loaders.users.load(task.assignedTo)),
    creator: (task: TaskDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(task.createdBy),
    parent: (task: TaskDto, _: unknown, ctx: GraphqlContext) =>
      task.parentId === null ? null : ctx.loaders.tasks.load(task.parentId).then((row) => row && toTaskDto(row, ctx.caller)),
    comments: (task: TaskDto, args: { first?: number | null; after?: string | null; newestFirst?: boolean | null }, ctx: GraphqlContext) => {
      const key = { taskId: task.id, first: pageSize(args.first, 20), after: args.after ?? undefined, newestFirst: args.newestFirst ?? false };
      return asArguments(underArgument('after'), async () => connection(await ctx.loaders.comments.load(key)));
    },
    activity: (task: TaskDto, args: { first?: number | null; after?: string | null }, ctx: GraphqlContext) =>
      asArguments(underArgument('after'), async () =>
        connection(await ctx.services.tasks.activity(ctx.caller, task.id, { limit: pageSize(args.first, 50), cursor: args.after ?? undefined })),
      ),
  },

  Activity: {
    actor: (row: ActivityRow, _: unknown, ctx: GraphqlContext) => (row.actorId === null ? null : ctx.loaders.users.load(row.actorId)),
  },

  Query: {
    tasks: (_: unknown, args: { filter?: Record<string, unknown> | null; orderBy?: string | null; orderByField?: string | null; first?: number | null; after?: string | null }, ctx: GraphqlContext) => {
      const limit = pageSize(args.first, 50);
      const sort = listSort(ORDER, args.orderBy, args.orderByField);
      const rename = listArgument(args.orderByField != null ? 'orderByField' : 'orderBy');
      const input = checkArgument<TaskListInput>(
        validate.list,
        { ...restFilter(args.filter), ...(sort ? { sort } : {}), ...(args.after != null ? { cursor: args.after } : {}) },
        rename,
      );
      return asArguments(rename, async () => connection(await ctx.services.tasks.list(ctx.caller, { ...input, limit })));
    },
    task: async (_: unknown, args: { id: string }, ctx: GraphqlContext) =>
      toTaskDto(await ctx.services.tasks.get(ctx.caller, taskRef(args.id)), ctx.caller),
    taskCounts: (_: unknown, args: { filter?: Record<string, unknown> | null }, ctx: GraphqlContext) => {
      const input = checkArgument<TaskListInput>(validate.list, restFilter(args.filter), listArgument());
      return asArguments(listArgument(), () => ctx.services.tasks.counts(ctx.caller, input));
    },
  },

  Mutation: {
    createTask: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const input = checkArgument<TaskCreateInput>(validate.create, numericIds(args.input, ID_FIELDS), underArgument('input'));
      return asArguments(underArgument('input'), async () => toTaskDto(await ctx.services.tasks.create(ctx.caller, input), ctx.caller));
    },
    updateTask: (_: unknown, args: { id: string; input: object; expectedVersion?: number | null }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      const input = checkArgument<TaskUpdateInput>(validate.update, numericIds(args.input, ID_FIELDS), underArgument('input'));
      return asArguments(underArgument('input'), async () =>
        toTaskDto(await ctx.services.tasks.update(ctx.caller, id, input, args.expectedVersion ?? undefined), ctx.caller),
      );
    },
    moveTask: (_: unknown, args: { id: string; input: object; expectedVersion?: number | null }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      const input = checkArgument<TaskMoveInput>(validate.move, numericIds(args.input, ['afterId', 'beforeId']), underArgument('input'));
      return asArguments(underArgument('input'), async () =>
        toTaskDto(await ctx.services.tasks.move(ctx.caller, id, input, args.expectedVersion ?? undefined), ctx.caller),
      );
    },
    deleteTask: async (_: unknown, args: { id: string; expectedVersion?: number | null; cascade?: boolean | null }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.tasks.remove(ctx.caller, id, args.expectedVersion ?? undefined, args.cascade ?? false);
      return id;
    },
  },
};
