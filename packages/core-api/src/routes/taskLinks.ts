import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { problem } from '../schemas/common.js';
import { RelationCreate, RelationParams, TaskRelation } from '../schemas/relations.js';
import { TaskRefParams } from '../schemas/tasks.js';
import { WatcherAdd, WatcherList, WatcherParams } from '../schemas/watchers.js';
import type { Services } from '../services/index.js';

const RelationList = Type.Object({ data: Type.Array(TaskRelation), nextCursor: Type.Null() });

/** A task's links to other tasks and its watchers. */
export function registerTaskLinkRoutes(api: Api, services: Services): void {
  const tags = ['Tasks'];
  const { relations, watchers } = services;

  api.route({
    method: 'get',
    path: '/api/tasks/:id/relations',
    operationId: 'listTaskRelations',
    summary: 'A task’s links, both ways, each read from this task (`blocked_by`, `duplicated_by` for the far end)',
    tags,
    auth: 'user',
    params: TaskRefParams,
    responses: { 200: { description: 'The links', schema: RelationList }, 404: problem('No such task') },
    handler: async (ctx, { params }) => {
      ctx.body = await relations.list(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/relations',
    operationId: 'addTaskRelation',
    summary: 'Link a task to another: blocks, relates_to or duplicates',
    tags,
    auth: 'user',
    params: TaskRefParams,
    body: RelationCreate,
    responses: {
      201: { description: 'Linked', schema: TaskRelation },
      403: problem('Not allowed to change this task'),
      404: problem('No such task'),
      409: problem('Already linked this way, or 200 links'),
      422: problem('The task itself, a task you cannot see, or a blocking cycle'),
    },
    handler: async (ctx, { params, body }) => {
      ctx.status = 201;
      ctx.body = await relations.add(caller(ctx), params.id, body);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id/relations/:relationId',
    operationId: 'removeTaskRelation',
    summary: 'Remove a link (from either of its tasks)',
    tags,
    auth: 'user',
    params: RelationParams,
    responses: { 204: { description: 'Removed' }, 403: problem('Not allowed to change this task'), 404: problem('No such task or link') },
    handler: async (ctx, { params }) => {
      await relations.remove(caller(ctx), params.id, params.relationId);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks/:id/watchers',
    operationId: 'listTaskWatchers',
    summary: 'Who watches a task (and whether you do): they are notified of its changes',
    tags,
    auth: 'user',
    params: TaskRefParams,
    responses: { 200: { description: 'The watchers', schema: WatcherList }, 404: problem('No such task') },
    handler: async (ctx, { params }) => {
      ctx.body = await watchers.list(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/watchers',
    operationId: 'addTaskWatcher',
    summary: 'Watch a task (managers and admins may add anyone who sees it)',
    tags,
    auth: 'user',
    params: TaskRefParams,
    body: WatcherAdd,
    responses: { 200: { description: 'The watchers now', schema: WatcherList }, 403: problem('Not allowed'), 404: problem('No such task'), 422: problem('Not a user who sees the task') },
    handler: async (ctx, { params, body }) => {
      ctx.body = await watchers.add(caller(ctx), params.id, body.userId);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id/watchers/:userId',
    operationId: 'removeTaskWatcher',
    summary: 'Stop watching a task (`me`), or (managers and admins) remove a watcher',
    tags,
    auth: 'user',
    params: WatcherParams,
    responses: { 200: { description: 'The watchers now', schema: WatcherList }, 403: problem('Not allowed'), 404: problem('No such task') },
    handler: async (ctx, { params }) => {
      ctx.body = await watchers.remove(caller(ctx), params.id, params.userId === 'me' ? 'me' : Number(params.userId));
    },
  });
}
