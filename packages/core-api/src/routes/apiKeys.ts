import { caller, type Api } from '../http/api.js';
import { ApiKey, ApiKeyCreate, CreatedApiKey } from '../schemas/apiKeys.js';
import { IdParams, Page, Problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

export function registerApiKeyRoutes(api: Api, services: Services): void {
  const tags = ['API keys'];
  const roles = ['admin'] as const;

  api.route({
    method: 'get',
    path: '/api/api-keys',
    operationId: 'listApiKeys',
    summary: "List the workspace's API keys (never their secrets)",
    tags,
    auth: 'user',
    roles,
    responses: { 200: { description: 'Keys', schema: Page(ApiKey) } },
    handler: async (ctx) => {
      ctx.body = await services.apiKeys.list(caller(ctx));
    },
  });

  api.route({
    method: 'post',
    path: '/api/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key; the secret is in this response only',
    tags,
    auth: 'user',
    roles,
    body: ApiKeyCreate,
    responses: { 201: { description: 'Created', schema: CreatedApiKey } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await services.apiKeys.create(caller(ctx), body);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/api-keys/:id',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key; tokens it minted expire on their own',
    tags,
    auth: 'user',
    roles,
    params: IdParams,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key', schema: Problem } },
    handler: async (ctx, { params }) => {
      await services.apiKeys.revoke(caller(ctx), params.id);
      ctx.status = 204;
    },
  });
}
