import { caller, type Api } from '../http/api.js';
import { Workspace, WorkspaceUpdate } from '../schemas/auth.js';
import { problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

export function registerWorkspaceRoutes(api: Api, services: Services): void {
  const tags = ['Workspace'];

  api.route({
    method: 'get',
    path: '/api/workspace',
    operationId: 'getWorkspace',
    summary: "The caller's workspace",
    tags,
    auth: 'user',
    responses: { 200: { description: 'The workspace', schema: Workspace } },
    handler: async (ctx) => {
      ctx.body = await services.workspaces.get(caller(ctx));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/workspace',
    operationId: 'updateWorkspace',
    summary: 'Rename the workspace (admins only)',
    description: 'Records a `workspace.updated` event with the name before and after. Sending the current name changes nothing.',
    tags,
    auth: 'user',
    roles: ['admin'],
    body: WorkspaceUpdate,
    responses: { 200: { description: 'The workspace, renamed', schema: Workspace }, 403: problem('Not an admin') },
    handler: async (ctx, { body }) => {
      ctx.body = await services.workspaces.rename(caller(ctx), body.name);
    },
  });
}
