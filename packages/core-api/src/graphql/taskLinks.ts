import type { TSchema } from '@sinclair/typebox';
import { RELATION_TYPES, RELATION_VIEWS, RelatedTask, RelationCreate, TaskRelation, type RelationCreateInput, type TaskRelationDto } from '../schemas/relations.js';
import type { TaskDto } from '../schemas/tasks.js';
import { compileValidator } from '../schemas/validate.js';
import { Watcher, WatcherList, type WatcherDto } from '../schemas/watchers.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, invalidArgument, underArgument } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { numericIds } from './inputs.js';
import { toId } from './pagination.js';
import { TASK_ENUMS } from './tasks.js';

const viewEnum = enumType('TaskRelationType', RELATION_VIEWS, 'A link read from one of its tasks: the far end of BLOCKS reads BLOCKED_BY, of DUPLICATES DUPLICATED_BY');
const kindEnum = enumType('NewTaskRelationType', RELATION_TYPES, 'The links a client makes');

const NAMED: NamedTypes = new Map<TSchema, string>([
  ...TASK_ENUMS,
  [TaskRelation.properties.type, 'TaskRelationType'],
  [RelationCreate.properties.type, 'NewTaskRelationType'],
  [RelatedTask, 'RelatedTask'],
  [Watcher, 'Watcher'],
]);

/** Relations and watchers of a task: fields of Task (a detail view's, one query each) and their mutations. */
export const taskLinkTypeDefs = /* GraphQL */ `
${viewEnum.sdl}${kindEnum.sdl}
  ${objectType('type', 'RelatedTask', RelatedTask, { named: NAMED, fields: { status: ': TaskStatus!' }, description: 'The task at the other end of a link' })}
  ${objectType('type', 'TaskRelation', TaskRelation, { named: NAMED, omit: ['createdBy'], fields: { creator: { type: ': User', description: 'Who made the link' } } })}
  ${objectType('input', 'AddTaskRelationInput', RelationCreate, {
    named: NAMED,
    fields: { taskId: { type: ': ID!', description: 'The other task: an id or identifier (CRM-42)' } },
  })}
  ${objectType('type', 'Watcher', Watcher, { fields: { user: ': User' }, description: 'Someone notified of a task’s changes' })}
  ${objectType('type', 'WatcherList', WatcherList, { named: NAMED, descriptions: { data: 'The watchers, first to start watching first (REST’s shape, not a connection: never paged)' } })}

  extend type Task {
    "Its links to other tasks, both ways, each read from this task."
    relations: [TaskRelation!]!
    "Who watches it, and whether you do."
    watchers: WatcherList!
  }

  extend type Mutation {
    "Links a task (id or identifier) to another. CONFLICT (relation_exists) when already linked this way; VALIDATION_FAILED naming input.taskId for the task itself, a task you cannot see or a blocking cycle."
    addTaskRelation(taskId: ID!, input: AddTaskRelationInput!): TaskRelation!
    "Removes a link, from either of its tasks; answers the link's id."
    removeTaskRelation(taskId: ID!, relationId: ID!): ID!
    "Starts watching a task: yourself, or (managers and admins) userId."
    watchTask(taskId: ID!, userId: ID): WatcherList!
    "Stops watching a task: yourself, or (managers and admins) removes userId."
    unwatchTask(taskId: ID!, userId: ID): WatcherList!
  }
`;

const validate = { add: compileValidator(RelationCreate, 'body') };

/** A task argument: an id, or an identifier such as CRM-42. */
function taskRef(value: string, argument: string): number | string {
  if (/^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8}$/.test(value)) return value;
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw invalidArgument(argument, 'must be a task id or identifier (CRM-42)');
  return toId(value, argument);
}

const input = underArgument('input');

export const taskLinkResolvers = {
  ...viewEnum.resolvers,
  ...kindEnum.resolvers,
  Task: {
    relations: async (task: TaskDto, _: unknown, ctx: GraphqlContext) => (await ctx.services.relations.list(ctx.caller, task.id)).data,
    watchers: (task: TaskDto, _: unknown, ctx: GraphqlContext) => ctx.services.watchers.list(ctx.caller, task.id),
  },
  TaskRelation: {
    creator: (relation: TaskRelationDto, _: unknown, ctx: GraphqlContext) => (relation.createdBy === null ? null : ctx.loaders.users.load(relation.createdBy)),
  },
  Watcher: {
    user: (watcher: WatcherDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(watcher.userId),
  },
  Mutation: {
    addTaskRelation: (_: unknown, args: { taskId: string; input: object }, ctx: GraphqlContext) => {
      const task = taskRef(args.taskId, 'taskId');
      const body = checkArgument<RelationCreateInput>(validate.add, numericIds(args.input, ['taskId']), input);
      return asArguments(input, () => ctx.services.relations.add(ctx.caller, task, body));
    },
    removeTaskRelation: async (_: unknown, args: { taskId: string; relationId: string }, ctx: GraphqlContext) => {
      const relationId = toId(args.relationId, 'relationId');
      await ctx.services.relations.remove(ctx.caller, taskRef(args.taskId, 'taskId'), relationId);
      return relationId;
    },
    watchTask: (_: unknown, args: { taskId: string; userId?: string | null }, ctx: GraphqlContext) => {
      const task = taskRef(args.taskId, 'taskId');
      const userId = args.userId == null ? undefined : toId(args.userId, 'userId');
      return ctx.services.watchers.add(ctx.caller, task, userId);
    },
    unwatchTask: (_: unknown, args: { taskId: string; userId?: string | null }, ctx: GraphqlContext) => {
      const task = taskRef(args.taskId, 'taskId');
      const userId = args.userId == null ? 'me' : toId(args.userId, 'userId');
      return ctx.services.watchers.remove(ctx.caller, task, userId);
    },
  },
};
