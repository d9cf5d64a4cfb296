import { caller, type Api } from '../http/api.js';
import { IdParams, Page, problem } from '../schemas/common.js';
import { CreatedUser, User, UserCreate, UserListQuery, UserUpdate } from '../schemas/users.js';
import type { Services } from '../services/index.js';

export function registerUserRoutes(api: Api, services: Services): void {
  const tags = ['Users'];

  api.route({
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    summary: "List the workspace's users (for assignee pickers and mentions)",
    tags,
    auth: 'user',
    query: UserListQuery,
    responses: { 200: { description: 'A page of users', schema: Page(User) } },
    handler: async (ctx, { query }) => {
      ctx.body = await services.users.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/users/:id',
    operationId: 'getUser',
    summary: 'Get one user',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 200: { description: 'The user', schema: User }, 404: problem('No such user') },
    handler: async (ctx, { params }) => {
      ctx.body = await services.users.get(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'post',
    path: '/api/users',
    operationId: 'createUser',
    summary: 'Invite a user with a role (admins only)',
    description: 'Without a password, a temporary one is generated and returned once.',
    tags,
    auth: 'user',
    roles: ['admin'],
    body: UserCreate,
    responses: { 201: { description: 'Created', schema: CreatedUser }, 403: problem('Not an admin'), 409: problem('Email taken') },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await services.users.create(caller(ctx), body);
    },
  });

  api.route({
    method: 'patch',
    path: '/api/users/:id',
    operationId: 'updateUser',
    summary: "Change a user's name or role, or deactivate them (admins only)",
    tags,
    auth: 'user',
    roles: ['admin'],
    params: IdParams,
    body: UserUpdate,
    responses: {
      200: { description: 'Updated', schema: User },
      403: problem('Not an admin'),
      404: problem('No such user'),
      409: problem('Would leave the workspace without an admin'),
    },
    handler: async (ctx, { params, body }) => {
      ctx.body = await services.users.update(caller(ctx), params.id, body);
    },
  });
}
