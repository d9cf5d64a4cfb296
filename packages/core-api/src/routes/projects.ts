import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { Page, Strict, StringEnum, named, problem } from '../schemas/common.js';
import {
  ExternalIdParams,
  MemberParams,
  Project,
  ProjectCreate,
  ProjectListQuery,
  ProjectMember,
  ProjectMemberAdd,
  ProjectParams,
  ProjectUpdate,
  ProjectUpsert,
  StatusCreate,
  StatusDeleteQuery,
  StatusOrder,
  StatusParams,
  StatusUpdate,
  WorkflowStatus,
} from '../schemas/projects.js';
import type { Services } from '../services/index.js';
import { toProjectDto } from '../services/projects.js';

const RemovedProject = named(
  'RemovedProject',
  Type.Object({
    outcome: StringEnum(['deleted', 'archived'], { description: '`deleted` when the project held no tasks; otherwise it was archived' }),
    project: Project,
  }),
);
const Statuses = Strict({ data: Type.Array(WorkflowStatus) });
const Members = Strict({ data: Type.Array(ProjectMember) });
const REF_NOTE = 'The project may be named by its id, its key (`CRM`, also a former one) or `ext:<externalId>`.';

export function registerProjectRoutes(api: Api, services: Services): void {
  const tags = ['Projects'];
  const { projects, workflow } = services;

  api.route({
    method: 'get',
    path: '/api/projects',
    operationId: 'listProjects',
    summary: 'List the projects you can see, in their order',
    tags,
    auth: 'user',
    query: ProjectListQuery,
    responses: { 200: { description: 'A page of projects', schema: Page(Project) } },
    handler: async (ctx, { query }) => {
      ctx.body = await projects.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/projects',
    operationId: 'createProject',
    summary: 'Create a project (admins and managers)',
    tags,
    auth: 'user',
    body: ProjectCreate,
    responses: { 201: { description: 'Created', schema: Project, headers: { Location: { description: 'The new project’s URL', schema: Type.String() } } }, 403: problem('Members cannot create projects'), 409: problem('Key or externalId taken') },
    handler: async (ctx, { body }) => {
      const row = await projects.create(caller(ctx), body);
      ctx.status = 201;
      ctx.set('Location', `/api/projects/${row.id}`);
      ctx.body = toProjectDto(row, caller(ctx));
    },
  });

  api.route({
    method: 'put',
    path: '/api/projects/by-external-id/:externalId',
    operationId: 'upsertProjectByExternalId',
    summary: 'Create or update the project that mirrors an object of your app (idempotent)',
    description: 'What a host backend calls on first use of a customer, deal or matter. Without a `key`, one is made from the name.',
    tags,
    auth: 'user',
    params: ExternalIdParams,
    body: ProjectUpsert,
    responses: { 200: { description: 'Updated (or unchanged)', schema: Project }, 201: { description: 'Created', schema: Project }, 403: problem('Not allowed') },
    handler: async (ctx, { params, body }) => {
      const { created, project } = await projects.upsertByExternalId(caller(ctx), params.externalId, body);
      ctx.status = created ? 201 : 200;
      ctx.body = toProjectDto(project, caller(ctx));
    },
  });

  api.route({
    method: 'get',
    path: '/api/projects/:project',
    operationId: 'getProject',
    summary: 'Get a project with its workflow',
    description: REF_NOTE,
    tags,
    auth: 'user',
    params: ProjectParams,
    responses: { 200: { description: 'The project', schema: Project }, 404: problem('No such project, or not one you can see') },
    handler: async (ctx, { params }) => {
      ctx.body = toProjectDto(await projects.get(caller(ctx), params.project), caller(ctx));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/projects/:project',
    operationId: 'updateProject',
    summary: 'Change a project’s settings, key, or archive (`archived: true`) and restore it',
    description: `A new key keeps the old one (and the identifiers made with it) resolving. ${REF_NOTE}`,
    tags,
    auth: 'user',
    params: ProjectParams,
    body: ProjectUpdate,
    responses: { 200: { description: 'Updated', schema: Project }, 403: problem('Not allowed'), 404: problem('No such project'), 409: problem('Key taken, or the default project') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toProjectDto(await projects.update(caller(ctx), params.project, body), caller(ctx));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/projects/:project',
    operationId: 'deleteProject',
    summary: 'Delete an empty project; one that holds tasks is archived instead',
    tags,
    auth: 'user',
    params: ProjectParams,
    responses: { 200: { description: 'What happened', schema: RemovedProject }, 403: problem('Not allowed'), 404: problem('No such project'), 409: problem('The default project') },
    handler: async (ctx, { params }) => {
      const { outcome, project } = await projects.remove(caller(ctx), params.project);
      ctx.body = { outcome, project: toProjectDto(project, caller(ctx)) };
    },
  });

  api.route({
    method: 'get',
    path: '/api/projects/:project/statuses',
    operationId: 'listProjectStatuses',
    summary: 'A project’s workflow, in board order',
    tags,
    auth: 'user',
    params: ProjectParams,
    responses: { 200: { description: 'The statuses', schema: Statuses }, 404: problem('No such project') },
    handler: async (ctx, { params }) => {
      ctx.body = { data: (await projects.get(caller(ctx), params.project)).workflow };
    },
  });

  api.route({
    method: 'post',
    path: '/api/projects/:project/statuses',
    operationId: 'addProjectStatus',
    summary: 'Add a status to a project’s workflow',
    tags,
    auth: 'user',
    params: ProjectParams,
    body: StatusCreate,
    responses: { 201: { description: 'The project with its new workflow', schema: Project }, 403: problem('Not allowed'), 409: problem('Key taken') },
    handler: async (ctx, { params, body }) => {
      ctx.status = 201;
      ctx.body = toProjectDto(await workflow.add(caller(ctx), params.project, body), caller(ctx));
    },
  });

  api.route({
    method: 'put',
    path: '/api/projects/:project/statuses/order',
    operationId: 'reorderProjectStatuses',
    summary: 'Put a project’s statuses in a new order',
    tags,
    auth: 'user',
    params: ProjectParams,
    body: StatusOrder,
    responses: { 200: { description: 'The project with its workflow reordered', schema: Project }, 403: problem('Not allowed'), 422: problem('Not every status listed once') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toProjectDto(await workflow.reorder(caller(ctx), params.project, body.keys), caller(ctx));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/projects/:project/statuses/:key',
    operationId: 'updateProjectStatus',
    summary: 'Rename, recolour, re-key or re-categorise a status (its tasks follow)',
    tags,
    auth: 'user',
    params: StatusParams,
    body: StatusUpdate,
    responses: { 200: { description: 'The project with its workflow changed', schema: Project }, 403: problem('Not allowed'), 404: problem('No such project'), 409: problem('Key taken') },
    handler: async (ctx, { params, body }) => {
      ctx.body = toProjectDto(await workflow.update(caller(ctx), params.project, params.key, body), caller(ctx));
    },
  });

  api.route({
    method: 'delete',
    path: '/api/projects/:project/statuses/:key',
    operationId: 'removeProjectStatus',
    summary: 'Remove a status; tasks in it move to `moveTo`, in the same transaction',
    tags,
    auth: 'user',
    params: StatusParams,
    query: StatusDeleteQuery,
    responses: {
      200: { description: 'The project with its workflow changed', schema: Project },
      403: problem('Not allowed'),
      404: problem('No such project'),
      409: problem('Tasks are in the status and no moveTo was given, or it is the last status'),
    },
    handler: async (ctx, { params, query }) => {
      ctx.body = toProjectDto(await workflow.remove(caller(ctx), params.project, params.key, query.moveTo), caller(ctx));
    },
  });

  api.route({
    method: 'get',
    path: '/api/projects/:project/members',
    operationId: 'listProjectMembers',
    summary: 'The members of a project (who sees a private one, besides admins)',
    tags,
    auth: 'user',
    params: ProjectParams,
    responses: { 200: { description: 'The members', schema: Members }, 404: problem('No such project') },
    handler: async (ctx, { params }) => {
      ctx.body = { data: await projects.members(caller(ctx), params.project) };
    },
  });

  api.route({
    method: 'post',
    path: '/api/projects/:project/members',
    operationId: 'addProjectMember',
    summary: 'Add a member to a project (admins, managers, the project’s lead)',
    tags,
    auth: 'user',
    params: ProjectParams,
    body: ProjectMemberAdd,
    responses: { 200: { description: 'The members', schema: Members }, 403: problem('Not allowed'), 404: problem('No such project'), 422: problem('Unknown or deactivated user') },
    handler: async (ctx, { params, body }) => {
      await projects.addMember(caller(ctx), params.project, body.userId);
      ctx.body = { data: await projects.members(caller(ctx), params.project) };
    },
  });

  api.route({
    method: 'delete',
    path: '/api/projects/:project/members/:userId',
    operationId: 'removeProjectMember',
    summary: 'Remove a member from a project',
    tags,
    auth: 'user',
    params: MemberParams,
    responses: { 204: { description: 'Removed' }, 403: problem('Not allowed'), 404: problem('No such project or member') },
    handler: async (ctx, { params }) => {
      await projects.removeMember(caller(ctx), params.project, params.userId);
      ctx.status = 204;
    },
  });
}
