import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { problem } from '../schemas/common.js';
import { CustomField, FieldCreate, FieldKeyParams, FieldListQuery, FieldUpdate } from '../schemas/fields.js';
import type { Services } from '../services/index.js';
import { toFieldDto } from '../services/customFields.js';

const FieldList = Type.Object({ data: Type.Array(CustomField), nextCursor: Type.Null() });

export function registerFieldRoutes(api: Api, services: Services): void {
  const tags = ['Custom fields'];
  const { fields } = services;

  api.route({
    method: 'get',
    path: '/api/fields',
    operationId: 'listFields',
    summary: 'Every custom field of the workspace, in order (at most 100: the list is never paged)',
    tags,
    auth: 'user',
    query: FieldListQuery,
    responses: { 200: { description: 'The custom fields', schema: FieldList }, 404: problem('No such project') },
    handler: async (ctx, { query }) => {
      ctx.body = await fields.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/fields',
    operationId: 'createField',
    summary: 'Define a custom field (admins and managers)',
    tags,
    auth: 'user',
    body: FieldCreate,
    responses: { 201: { description: 'Created', schema: CustomField }, 403: problem('Not allowed'), 409: problem('The key is taken, or the workspace has 100 fields'), 422: problem('Options on a type without them, or an unknown project') },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = toFieldDto(await fields.create(caller(ctx), body));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/fields/:key',
    operationId: 'updateField',
    summary: 'Rename a field, edit its options (sent whole; values keep an option’s id), projects or position (admins and managers)',
    tags,
    auth: 'user',
    params: FieldKeyParams,
    body: FieldUpdate,
    responses: { 200: { description: 'Updated', schema: CustomField }, 403: problem('Not allowed'), 404: problem('No such field'), 422: problem('Invalid options or project') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toFieldDto(await fields.update(caller(ctx), params.key, body));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/fields/:key',
    operationId: 'deleteField',
    summary: 'Delete a custom field and its value on every task (admins and managers)',
    tags,
    auth: 'user',
    params: FieldKeyParams,
    responses: { 204: { description: 'Deleted' }, 403: problem('Not allowed'), 404: problem('No such field') },
    handler: async (ctx, { params }) => {
      await fields.remove(caller(ctx), params.key);
      ctx.status = 204;
    },
  });
}
