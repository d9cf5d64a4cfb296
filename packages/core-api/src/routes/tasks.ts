import { Type } from '@sinclair/typebox';
import { caller, type Api, type AppContext } from '../http/api.js';
import { DomainError } from '../domain/errors.js';
import { IdParams, Page, Problem, named, problem } from '../schemas/common.js';
import { Activity, ActivityQuery, BulkResult, Task, TaskBulk, TaskRefParams, TaskCountsByStatus, TaskCountsQuery, TaskCreate, TaskDeleteQuery, TaskListQuery, TaskMove, TaskUpdate } from '../schemas/tasks.js';
import type { Services } from '../services/index.js';
import { etag, toTaskDto, type TaskRow } from '../services/taskRows.js';

const ifMatchHeader = {
  'if-match': { description: 'The ETag of the version you edited; a stale one answers 412', schema: Type.String(), required: false },
};
/** A 412 on a task: the problem, with the task as it is now (merge your change into it and retry). */
const StaleTaskProblem = named('StaleTaskProblem', Type.Composite([Problem, Type.Object({ current: Task })]));
const staleTask = (description: string) => ({ description, schema: StaleTaskProblem });

const etagHeader = { ETag: { description: 'The task version, for If-Match', schema: Type.String() } };

/** Reads `If-Match: "v3"` (or W/"v3", or 3) as a version number. */
function expectedVersion(ctx: AppContext): number | undefined {
  const header = ctx.get('if-match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"?v?(\d{1,9})"?$/.exec(header);
  if (!match) {
    throw new DomainError(400, {
      code: 'invalid_if_match',
      detail: 'If-Match must be an ETag this API returned, such as "v3"',
      errors: [{ path: 'If-Match', in: 'header', message: 'is not an ETag of this API' }],
    });
  }
  return Number(match[1]);
}

function sendTask(ctx: AppContext, row: TaskRow, status = 200): void {
  ctx.status = status;
  ctx.set('ETag', etag(row));
  ctx.body = toTaskDto(row, caller(ctx));
}

export function registerTaskRoutes(api: Api, services: Services): void {
  const tags = ['Tasks'];

  api.route({
    method: 'get',
    path: '/api/tasks',
    operationId: 'listTasks',
    summary: 'List tasks with filters, sort and cursor pagination',
    description:
      'Custom-field filters take the form `cf.<key>=a,b` (equals any), `cf.<key>.gte=` and `cf.<key>.lte=` (number and date fields), `cf.<key>.empty=true|false`; `sort=cf.<key>` or `-cf.<key>` orders by a field, tasks without a value last.',
    tags,
    auth: 'user',
    query: TaskListQuery,
    responses: { 200: { description: 'A page of tasks', schema: Page(Task) }, 400: problem('Invalid filter or cursor') },
    handler: async (ctx, { query }) => {
      ctx.body = await services.tasks.list(caller(ctx), query);
    },
  });

  // Before /api/tasks/:id, which would otherwise take `counts` for an id.
  api.route({
    method: 'get',
    path: '/api/tasks/counts',
    operationId: 'countTasks',
    summary: 'How many tasks match the list filters, per status (a board’s column totals)',
    tags,
    auth: 'user',
    query: TaskCountsQuery,
    responses: { 200: { description: 'Counts per status', schema: TaskCountsByStatus } },
    handler: async (ctx, { query }) => {
      ctx.body = await services.tasks.counts(caller(ctx), query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks',
    operationId: 'createTask',
    summary: 'Create a task',
    tags,
    auth: 'user',
    body: TaskCreate,
    responses: {
      201: { description: 'Created', schema: Task, headers: { ...etagHeader, Location: { description: 'The new task’s URL', schema: Type.String() } } },
      400: problem('Invalid input'),
      409: problem('externalId already used, or the project is archived'),
      422: problem('Invalid assignee, project or status'),
    },
    handler: async (ctx, { body }) => {
      const row = await services.tasks.create(caller(ctx), body);
      ctx.set('Location', `/api/tasks/${row.id}`);
      sendTask(ctx, row, 201);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/bulk',
    operationId: 'bulkTasks',
    summary: 'Create, update or upsert (by externalId) up to 100 tasks, with a result per item',
    tags,
    auth: 'user',
    body: TaskBulk,
    responses: { 200: { description: 'One result per item', schema: BulkResult } },
    handler: async (ctx, { body }) => {
      ctx.body = await services.taskBulk.run(caller(ctx), body.items, body.dryRun ?? false);
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks/:id',
    operationId: 'getTask',
    summary: 'Get a task by id or identifier (`CRM-42`, also one it had before moving to another project)',
    tags,
    auth: 'user',
    params: TaskRefParams,
    responses: { 200: { description: 'The task', schema: Task, headers: etagHeader }, 404: problem('No such task') },
    handler: async (ctx, { params }) => {
      sendTask(ctx, await services.tasks.get(caller(ctx), params.id));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/tasks/:id',
    operationId: 'updateTask',
    summary: 'Change some fields of a task',
    tags,
    auth: 'user',
    params: IdParams,
    headers: ifMatchHeader,
    body: TaskUpdate,
    responses: {
      200: { description: 'Updated', schema: Task, headers: etagHeader },
      403: problem('Not allowed'),
      404: problem('No such task'),
      412: staleTask('The task changed since the If-Match version'),
    },
    handler: async (ctx, { params, body }) => {
      sendTask(ctx, await services.tasks.update(caller(ctx), params.id, body, expectedVersion(ctx)));
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/move',
    operationId: 'moveTask',
    summary: 'Move a task to a status column, between two cards',
    tags,
    auth: 'user',
    params: IdParams,
    headers: ifMatchHeader,
    body: TaskMove,
    responses: { 200: { description: 'Moved', schema: Task, headers: etagHeader }, 412: staleTask('Stale version'), 422: problem('Bad neighbour') },
    handler: async (ctx, { params, body }) => {
      sendTask(ctx, await services.tasks.move(caller(ctx), params.id, body, expectedVersion(ctx)));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id',
    operationId: 'deleteTask',
    summary: 'Delete a task (its history stays in the event log); one with subtasks only with cascade=true, which deletes them too',
    tags,
    auth: 'user',
    params: IdParams,
    query: TaskDeleteQuery,
    headers: ifMatchHeader,
    responses: {
      204: { description: 'Deleted' },
      403: problem('Not allowed'),
      404: problem('No such task'),
      409: problem('The task has subtasks (code has_subtasks): send cascade=true to delete them too'),
      412: staleTask('The task changed since the If-Match version'),
    },
    handler: async (ctx, { params, query }) => {
      await services.tasks.remove(caller(ctx), params.id, expectedVersion(ctx), query.cascade ?? false);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks/:id/activity',
    operationId: 'listTaskActivity',
    summary: "A task's history, oldest first",
    tags,
    auth: 'user',
    params: IdParams,
    query: ActivityQuery,
    responses: { 200: { description: 'A page of events', schema: Page(Activity) }, 404: problem('No such task') },
    handler: async (ctx, { params, query }) => {
      ctx.body = await services.tasks.activity(caller(ctx), params.id, query);
    },
  });
}
