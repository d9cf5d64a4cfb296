import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { IdParams, problem } from '../schemas/common.js';
import { Label, LabelCreate, LabelListQuery, LabelUpdate } from '../schemas/labels.js';
import type { Services } from '../services/index.js';
import { toLabelDto } from '../services/labels.js';

const LabelList = Type.Object({ data: Type.Array(Label), nextCursor: Type.Null() });

export function registerLabelRoutes(api: Api, services: Services): void {
  const tags = ['Labels'];
  const { labels } = services;

  api.route({
    method: 'get',
    path: '/api/labels',
    operationId: 'listLabels',
    summary: 'Every label of the workspace, by name (at most 500: the list is never paged)',
    tags,
    auth: 'user',
    query: LabelListQuery,
    responses: { 200: { description: 'The labels', schema: LabelList }, 404: problem('No such project') },
    handler: async (ctx, { query }) => {
      ctx.body = await labels.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/labels',
    operationId: 'createLabel',
    summary: 'Create a label (admins and managers)',
    tags,
    auth: 'user',
    body: LabelCreate,
    responses: { 201: { description: 'Created', schema: Label }, 403: problem('Not allowed'), 409: problem('The name is taken, or the workspace has 500 labels'), 422: problem('Unknown project') },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = toLabelDto(await labels.create(caller(ctx), body));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/labels/:id',
    operationId: 'updateLabel',
    summary: 'Rename, recolour, describe or limit a label to projects (admins and managers)',
    tags,
    auth: 'user',
    params: IdParams,
    body: LabelUpdate,
    responses: { 200: { description: 'Updated', schema: Label }, 403: problem('Not allowed'), 404: problem('No such label'), 409: problem('The name is taken'), 422: problem('Unknown project') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toLabelDto(await labels.update(caller(ctx), params.id, body));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/labels/:id',
    operationId: 'deleteLabel',
    summary: 'Delete a label; it is taken off every task, each with a task.updated event (admins and managers)',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 403: problem('Not allowed'), 404: problem('No such label') },
    handler: async (ctx, { params }) => {
      await labels.remove(caller(ctx), params.id);
      ctx.status = 204;
    },
  });
}
