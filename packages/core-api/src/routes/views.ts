import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { IdParams, problem } from '../schemas/common.js';
import { SavedView, ViewCreate, ViewListQuery, ViewUpdate } from '../schemas/views.js';
import type { Services } from '../services/index.js';
import { toViewDto } from '../services/views.js';

const ViewList = Type.Object({ data: Type.Array(SavedView), nextCursor: Type.Null() });

export function registerViewRoutes(api: Api, services: Services): void {
  const tags = ['Saved views'];
  const { views } = services;

  api.route({
    method: 'get',
    path: '/api/views',
    operationId: 'listViews',
    summary: 'Your saved views and the shared ones, in order',
    tags,
    auth: 'user',
    query: ViewListQuery,
    responses: { 200: { description: 'The views', schema: ViewList }, 404: problem('No such project') },
    handler: async (ctx, { query }) => {
      ctx.body = await views.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/views/:id',
    operationId: 'getView',
    summary: 'One saved view',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 200: { description: 'The view', schema: SavedView }, 404: problem('No such view') },
    handler: async (ctx, { params }) => {
      ctx.body = toViewDto(await views.get(caller(ctx), params.id), caller(ctx));
    },
  });

  api.route({
    method: 'post',
    path: '/api/views',
    operationId: 'createView',
    summary: 'Save the list’s filters and sort as a view; `shared` shows it to the workspace',
    tags,
    auth: 'user',
    body: ViewCreate,
    responses: { 201: { description: 'Created', schema: SavedView }, 409: problem('You own 200 views'), 422: problem('An invalid query or project') },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = toViewDto(await views.create(caller(ctx), body), caller(ctx));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/views/:id',
    operationId: 'updateView',
    summary: 'Change a view (its owner; managers and admins for shared views)',
    tags,
    auth: 'user',
    params: IdParams,
    body: ViewUpdate,
    responses: { 200: { description: 'Updated', schema: SavedView }, 403: problem('Not allowed'), 404: problem('No such view'), 422: problem('An invalid query or project') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toViewDto(await views.update(caller(ctx), params.id, body), caller(ctx));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/views/:id',
    operationId: 'deleteView',
    summary: 'Delete a view (its owner; managers and admins for shared views)',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 403: problem('Not allowed'), 404: problem('No such view') },
    handler: async (ctx, { params }) => {
      await views.remove(caller(ctx), params.id);
      ctx.status = 204;
    },
  });
}
