import type { TSchema } from '@sinclair/typebox';
import { RECURRENCE_MODES, Recurrence, RecurrenceInput, RecurrenceModeSchema } from '../schemas/recurrence.js';
import { Reminder, ReminderCreate, type ReminderCreateInput } from '../schemas/reminders.js';
import type { TaskDto } from '../schemas/tasks.js';
import { compileValidator } from '../schemas/validate.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { numericIds } from './inputs.js';
import { toId } from './pagination.js';

const modeEnum = enumType('RecurrenceMode', RECURRENCE_MODES, 'AFTER_COMPLETION: completing the latest occurrence creates the next; SCHEDULE: the next is created when the latest one’s time comes, done or not');

/** The named types of a task's series, for Task and its inputs. */
export const RECURRENCE_TYPES: NamedTypes = new Map<TSchema, string>([
  [Recurrence, 'Recurrence'],
  [RecurrenceInput, 'RecurrenceInput'],
  [RecurrenceModeSchema, 'RecurrenceMode'],
]);

/** Recurring tasks (Task.recurrence, set through createTask/updateTask; null stops a series) and reminders. */
export const recurrenceTypeDefs = /* GraphQL */ `
${modeEnum.sdl}
  ${objectType('type', 'Recurrence', Recurrence, { named: RECURRENCE_TYPES, description: 'A recurring task’s series: its rule, evaluated in its creator’s time zone' })}
  ${objectType('input', 'RecurrenceInput', RecurrenceInput, { named: RECURRENCE_TYPES, description: 'Makes a task repeat, or changes its series’ rule from the latest occurrence on' })}
  ${objectType('type', 'Reminder', Reminder, { description: 'A reminder for one user, sent once through their notification channels' })}
  ${objectType('input', 'CreateReminderInput', ReminderCreate, {
    fields: { userId: { type: ': ID', description: 'Whom to remind; yourself when left out (managers and admins may remind anyone who sees the task)' } },
    description: 'Either at (a time) or beforeDue (an ISO 8601 duration, moving with the due date and carried to every occurrence)',
  })}

  extend type Task {
    "Your reminders on it (managers and admins: everyone's)."
    reminders: [Reminder!]!
  }

  extend type Mutation {
    "Sets a reminder on a task. VALIDATION_FAILED naming input.at, input.beforeDue or input.userId; FORBIDDEN for others' reminders unless a manager or admin; CONFLICT (too_many_reminders) past 10 per user and task."
    createTaskReminder(taskId: ID!, input: CreateReminderInput!): Reminder!
    "Removes a reminder (yours; managers and admins: anyone's); answers its id."
    deleteTaskReminder(taskId: ID!, id: ID!): ID!
  }
`;

const validateCreate = compileValidator(ReminderCreate, 'body');

export const recurrenceResolvers = {
  ...modeEnum.resolvers,

  Task: {
    reminders: async (task: TaskDto, _: unknown, ctx: GraphqlContext) => (await ctx.services.reminders.list(ctx.caller, task.id)).data,
  },

  Mutation: {
    createTaskReminder: (_: unknown, args: { taskId: string; input: object }, ctx: GraphqlContext) => {
      const taskId = toId(args.taskId, 'taskId');
      const input = checkArgument<ReminderCreateInput>(validateCreate, numericIds(args.input, ['userId']), underArgument('input'));
      return asArguments(underArgument('input'), () => ctx.services.reminders.create(ctx.caller, taskId, input));
    },
    deleteTaskReminder: async (_: unknown, args: { taskId: string; id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.reminders.remove(ctx.caller, toId(args.taskId, 'taskId'), id);
      return id;
    },
  },
};
