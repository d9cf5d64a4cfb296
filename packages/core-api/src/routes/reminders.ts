import { caller, type Api } from '../http/api.js';
import { problem } from '../schemas/common.js';
import { Reminder, ReminderCreate, ReminderList, ReminderParams } from '../schemas/reminders.js';
import { TaskRefParams } from '../schemas/tasks.js';
import type { Services } from '../services/index.js';

/** A task's reminders: each for one user, sent once through their notification channels (kind `reminder`). */
export function registerReminderRoutes(api: Api, services: Services): void {
  const tags = ['Tasks'];
  const { reminders } = services;

  api.route({
    method: 'get',
    path: '/api/tasks/:id/reminders',
    operationId: 'listTaskReminders',
    summary: 'Your reminders on a task (managers and admins: everyone’s)',
    tags,
    auth: 'user',
    params: TaskRefParams,
    responses: { 200: { description: 'The reminders', schema: ReminderList }, 404: problem('No such task') },
    handler: async (ctx, { params }) => {
      ctx.body = await reminders.list(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/reminders',
    operationId: 'createTaskReminder',
    summary: 'Remind yourself (or, managers and admins, someone who sees the task) at a time or a duration before the due date',
    description:
      'Send `at` (a time) or `beforeDue` (an ISO 8601 duration such as `PT1H`, `P1D`). A `beforeDue` reminder moves with the due date and, on a recurring task, is carried to every next occurrence (an `at` one too, as the same time before the due date). At most 10 per user and task.',
    tags,
    auth: 'user',
    params: TaskRefParams,
    body: ReminderCreate,
    responses: {
      201: { description: 'Created', schema: Reminder },
      403: problem('Only managers and admins remind others'),
      404: problem('No such task'),
      409: problem('The user has 10 reminders on this task already (code too_many_reminders)'),
      422: problem('Neither or both of at/beforeDue, a time in the past, or a user who cannot see the task'),
    },
    handler: async (ctx, { params, body }) => {
      ctx.status = 201;
      ctx.body = await reminders.create(caller(ctx), params.id, body);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id/reminders/:reminderId',
    operationId: 'deleteTaskReminder',
    summary: 'Remove one of your reminders (managers and admins: anyone’s)',
    tags,
    auth: 'user',
    params: ReminderParams,
    responses: { 204: { description: 'Removed' }, 404: problem('No such task or reminder') },
    handler: async (ctx, { params }) => {
      await reminders.remove(caller(ctx), params.id, Number(params.reminderId));
      ctx.status = 204;
    },
  });
}
