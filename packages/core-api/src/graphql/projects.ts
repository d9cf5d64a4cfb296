import type { TSchema } from '@sinclair/typebox';
import {
  PROJECT_ACTIONS,
  PROJECT_VISIBILITIES,
  Project,
  ProjectCreate,
  ProjectListQuery,
  ProjectUpdate,
  ProjectUpsert,
  ProjectVisibility,
  StatusCategory,
  StatusCreate,
  StatusKey,
  StatusUpdate,
  WorkflowStatus,
  type ProjectCreateInput,
  type ProjectDto,
  type ProjectListInput,
  type ProjectUpdateInput,
  type ProjectUpsertInput,
  type StatusCreateInput,
  type StatusUpdateInput,
} from '../schemas/projects.js';
import { StringEnum } from '../schemas/common.js';
import { compileValidator } from '../schemas/validate.js';
import { toProjectDto, type ProjectRow } from '../services/projects.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, invalidArgument, underArgument, withoutNulls } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';

const visibilityEnum = enumType('ProjectVisibility', PROJECT_VISIBILITIES, 'WORKSPACE: every member sees it; PRIVATE: its members and admins');
const actionEnum = enumType('ProjectAction', PROJECT_ACTIONS, 'What the caller may do with a project');
const ProjectAction = StringEnum(PROJECT_ACTIONS);

const NAMED: NamedTypes = new Map<TSchema, string>([
  [StatusKey, 'TaskStatus'],
  [StatusCategory, 'StatusCategory'],
  [ProjectVisibility, 'ProjectVisibility'],
  [ProjectAction, 'ProjectAction'],
  [WorkflowStatus, 'WorkflowStatus'],
]);

export const projectTypeDefs = /* GraphQL */ `
${visibilityEnum.sdl}${actionEnum.sdl}
  ${objectType('type', 'WorkflowStatus', WorkflowStatus, { named: NAMED, description: 'One status of a project’s workflow' })}
  ${objectType('type', 'Project', Project, {
    omit: ['workspaceId', 'leadId'],
    named: NAMED,
    fields: {
      lead: ': User',
      members: { type: ': [ProjectMember!]!', description: 'Who belongs to the project (who sees a private one, besides admins)' },
      can: ': [ProjectAction!]!',
    },
  })}
  type ProjectMember {
    user: User!
    addedAt: DateTime!
  }

  type ProjectEdge {
    node: Project!
  }

  type ProjectConnection {
    edges: [ProjectEdge!]!
    nodes: [Project!]!
    pageInfo: PageInfo!
  }

  input ProjectFilter {
    "true: only archived projects; false (default): only active ones."
    archived: Boolean
    "Words in the name or key."
    q: String
  }

  ${objectType('input', 'WorkflowStatusInput', WorkflowStatus, { named: NAMED })}
  ${objectType('input', 'CreateProjectInput', ProjectCreate, { named: new Map([...NAMED, [WorkflowStatus, 'WorkflowStatusInput']]), fields: { statuses: ': [WorkflowStatusInput!]' } })}
  ${objectType('input', 'UpdateProjectInput', ProjectUpdate, { named: NAMED })}
  ${objectType('input', 'UpsertProjectInput', ProjectUpsert, { named: NAMED, fields: { statuses: ': [WorkflowStatusInput!]' } })}
  ${objectType('input', 'AddStatusInput', StatusCreate, { named: NAMED })}
  ${objectType('input', 'UpdateStatusInput', StatusUpdate, { named: NAMED })}

  "What deleting a project did: deleted when it was empty, archived otherwise."
  type RemovedProject {
    outcome: String!
    project: Project!
  }

  extend type Query {
    "The projects you can see, in their order; first ≤ 100."
    projects(filter: ProjectFilter, first: Int = 50, after: String): ProjectConnection!
    "A project by id, key (CRM) or ext:<externalId>."
    project(ref: String!): Project!
  }

  extend type Mutation {
    createProject(input: CreateProjectInput!): Project!
    updateProject(ref: String!, input: UpdateProjectInput!): Project!
    "Deletes an empty project; one that holds tasks is archived."
    deleteProject(ref: String!): RemovedProject!
    "Creates or updates the project mirroring an object of your app (idempotent)."
    upsertProjectByExternalId(externalId: String!, input: UpsertProjectInput!): Project!
    addProjectStatus(ref: String!, input: AddStatusInput!): Project!
    updateProjectStatus(ref: String!, key: TaskStatus!, input: UpdateStatusInput!): Project!
    "Removes a status; its tasks move to moveTo."
    removeProjectStatus(ref: String!, key: TaskStatus!, moveTo: TaskStatus): Project!
    reorderProjectStatuses(ref: String!, keys: [TaskStatus!]!): Project!
    addProjectMember(ref: String!, userId: ID!): Project!
    removeProjectMember(ref: String!, userId: ID!): Project!
  }
`;

const validate = {
  list: compileValidator(ProjectListQuery, 'query'),
  create: compileValidator(ProjectCreate, 'body'),
  update: compileValidator(ProjectUpdate, 'body'),
  upsert: compileValidator(ProjectUpsert, 'body'),
  addStatus: compileValidator(StatusCreate, 'body'),
  updateStatus: compileValidator(StatusUpdate, 'body'),
};


const input = underArgument('input');

/** A project argument: an id, a key or ext:<externalId>, checked as REST checks its path. */
function ref(value: string): string {
  if (!/^([1-9][0-9]{0,15}|[A-Z][A-Z0-9]{1,9}|ext:[\x21-\x7e]{1,200})$/.test(value)) throw invalidArgument('ref', 'must be a project id, key or ext:<externalId>');
  return value;
}

const dto = (ctx: GraphqlContext) => (row: ProjectRow) => toProjectDto(row, ctx.caller);

export const projectResolvers = {
  ...visibilityEnum.resolvers,
  ...actionEnum.resolvers,
  Project: {
    lead: (project: ProjectDto, _: unknown, ctx: GraphqlContext) => (project.leadId === null ? null : ctx.loaders.users.load(project.leadId)),
    members: async (project: ProjectDto, _: unknown, ctx: GraphqlContext) => await ctx.services.projects.members(ctx.caller, project.id),
  },
  ProjectMember: {
    user: (member: { userId: number }, _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(member.userId),
  },
  Query: {
    projects: (_: unknown, args: { filter?: object | null; first?: number | null; after?: string | null }, ctx: GraphqlContext) => {
      const rename = (path: string) => ({ cursor: 'after' })[path] ?? `filter.${path}`;
      const query = checkArgument<ProjectListInput>(validate.list, { ...withoutNulls(args.filter), ...(args.after != null ? { cursor: args.after } : {}) }, rename);
      return asArguments(rename, async () => connection(await ctx.services.projects.list(ctx.caller, { ...query, limit: pageSize(args.first, 50) })));
    },
    project: async (_: unknown, args: { ref: string }, ctx: GraphqlContext) => dto(ctx)(await ctx.services.projects.get(ctx.caller, ref(args.ref))),
  },
  Mutation: {
    createProject: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<ProjectCreateInput>(validate.create, leadId(args.input), input);
      return asArguments(input, async () => dto(ctx)(await ctx.services.projects.create(ctx.caller, body)));
    },
    updateProject: (_: unknown, args: { ref: string; input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<ProjectUpdateInput>(validate.update, leadId(args.input), input);
      return asArguments(input, async () => dto(ctx)(await ctx.services.projects.update(ctx.caller, ref(args.ref), body)));
    },
    deleteProject: async (_: unknown, args: { ref: string }, ctx: GraphqlContext) => {
      const { outcome, project } = await ctx.services.projects.remove(ctx.caller, ref(args.ref));
      return { outcome, project: dto(ctx)(project) };
    },
    upsertProjectByExternalId: (_: unknown, args: { externalId: string; input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<ProjectUpsertInput>(validate.upsert, leadId(args.input), input);
      return asArguments(input, async () => dto(ctx)((await ctx.services.projects.upsertByExternalId(ctx.caller, args.externalId, body)).project));
    },
    addProjectStatus: (_: unknown, args: { ref: string; input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<StatusCreateInput>(validate.addStatus, args.input, input);
      return asArguments(input, async () => dto(ctx)(await ctx.services.workflow.add(ctx.caller, ref(args.ref), body)));
    },
    updateProjectStatus: (_: unknown, args: { ref: string; key: string; input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<StatusUpdateInput>(validate.updateStatus, args.input, input);
      return asArguments(input, async () => dto(ctx)(await ctx.services.workflow.update(ctx.caller, ref(args.ref), args.key, body)));
    },
    removeProjectStatus: async (_: unknown, args: { ref: string; key: string; moveTo?: string | null }, ctx: GraphqlContext) =>
      dto(ctx)(await ctx.services.workflow.remove(ctx.caller, ref(args.ref), args.key, args.moveTo ?? undefined)),
    reorderProjectStatuses: async (_: unknown, args: { ref: string; keys: string[] }, ctx: GraphqlContext) =>
      dto(ctx)(await ctx.services.workflow.reorder(ctx.caller, ref(args.ref), args.keys)),
    addProjectMember: async (_: unknown, args: { ref: string; userId: string }, ctx: GraphqlContext) => {
      await ctx.services.projects.addMember(ctx.caller, ref(args.ref), toId(args.userId, 'userId'));
      return dto(ctx)(await ctx.services.projects.get(ctx.caller, args.ref));
    },
    removeProjectMember: async (_: unknown, args: { ref: string; userId: string }, ctx: GraphqlContext) => {
      await ctx.services.projects.removeMember(ctx.caller, ref(args.ref), toId(args.userId, 'userId'));
      return dto(ctx)(await ctx.services.projects.get(ctx.caller, args.ref));
    },
  },
};

/** `leadId` arrives as an ID string. */
function leadId(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  if (typeof out.leadId === 'string' && /^[1-9][0-9]{0,15}$/.test(out.leadId)) out.leadId = Number(out.leadId);
  return out;
}

