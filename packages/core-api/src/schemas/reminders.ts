import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, Timestamp, named } from './common.js';
import { TaskRefParams } from './tasks.js';

/** How many reminders one user may have on one task. */
export const MAX_REMINDERS_PER_USER = 10;

const Duration = Type.String({
  maxLength: 40,
  pattern: '^P(?!$)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$',
  description: 'An ISO 8601 duration in weeks, days, hours, minutes, seconds (`PT30M`, `P1D`, `P1DT2H`), at most 366 days',
});

export const Reminder = named(
  'Reminder',
  Type.Object({
    id: Id,
    taskId: Id,
    userId: Id,
    at: Type.Union([Timestamp, Type.Null()], { description: 'A fixed time (null for a `beforeDue` reminder)' }),
    beforeDue: Type.Union([Type.String(), Type.Null()], { description: 'How long before the due date (null for an `at` reminder)' }),
    fireAt: Type.Union([Timestamp, Type.Null()], { description: 'When it goes out; null while the task has no due date' }),
    sentAt: Type.Union([Timestamp, Type.Null()]),
    createdBy: Type.Union([Id, Type.Null()]),
    createdAt: Timestamp,
  }),
);
export type ReminderDto = Static<typeof Reminder>;

export const ReminderList = named('ReminderList', Type.Object({ data: Type.Array(Reminder) }));

export const ReminderCreate = Strict({
  at: Type.Optional(Timestamp),
  beforeDue: Type.Optional(Duration),
  userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991, description: 'Whom to remind; yourself when left out (managers and admins may remind anyone who sees the task)' })),
});
export type ReminderCreateInput = Static<typeof ReminderCreate>;

export const ReminderParams = Strict({
  id: TaskRefParams.properties.id,
  reminderId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
});
