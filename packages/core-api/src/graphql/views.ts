import type { TSchema } from '@sinclair/typebox';
import { StringEnum } from '../schemas/common.js';
import { SavedView, VIEW_LAYOUTS, ViewCreate, ViewListQuery, ViewUpdate, type SavedViewDto, type ViewCreateInput, type ViewUpdateInput } from '../schemas/views.js';
import { compileValidator } from '../schemas/validate.js';
import { toViewDto } from '../services/views.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument, withoutNulls } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { asIs, numericIds } from './inputs.js';
import { toId } from './pagination.js';

const VIEW_ACTIONS = ['update', 'delete'] as const;
const layoutEnum = enumType('ViewLayout', VIEW_LAYOUTS, 'How a saved view shows its tasks');
const actionEnum = enumType('ViewAction', VIEW_ACTIONS, 'What the caller may do with a saved view');

const NAMED: NamedTypes = new Map<TSchema, string>([
  [StringEnum(VIEW_LAYOUTS), 'ViewLayout'],
  [StringEnum(VIEW_LAYOUTS, { default: 'list' }), 'ViewLayout'],
  [StringEnum(VIEW_ACTIONS), 'ViewAction'],
]);

export const viewTypeDefs = /* GraphQL */ `
${layoutEnum.sdl}${actionEnum.sdl}
  ${objectType('type', 'SavedView', SavedView, {
    omit: ['workspaceId', 'ownerId'],
    named: NAMED,
    description: 'Named filters and sort of the task list; tasks(filter: { view: id }) applies them',
    descriptions: { query: 'The filters and sort as GET /api/tasks takes them (label=3&cf.tier=gold&sort=-dueDate)' },
    fields: {
      owner: ': User!',
      project: { type: ': Project', description: 'The project it belongs to; null: every project' },
    },
  })}
  ${objectType('input', 'CreateViewInput', ViewCreate, { named: NAMED })}
  ${objectType('input', 'UpdateViewInput', ViewUpdate, { named: NAMED })}

  extend type Query {
    "Your saved views and the shared ones, in order; with project, those of that project and of none."
    views(project: String): [SavedView!]!
    "One saved view (yours, or a shared one)."
    view(id: ID!): SavedView!
  }

  extend type Mutation {
    "A view is private unless shared; shared views are announced to the workspace."
    createView(input: CreateViewInput!): SavedView!
    "Its owner; managers and admins for shared views."
    updateView(id: ID!, input: UpdateViewInput!): SavedView!
    "Its owner; managers and admins for shared views. Answers the view's id."
    deleteView(id: ID!): ID!
  }
`;

const validate = {
  list: compileValidator(ViewListQuery, 'query'),
  create: compileValidator(ViewCreate, 'body'),
  update: compileValidator(ViewUpdate, 'body'),
};

const input = underArgument('input');

export const viewResolvers = {
  ...layoutEnum.resolvers,
  ...actionEnum.resolvers,
  SavedView: {
    owner: (view: SavedViewDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(view.ownerId),
    project: (view: SavedViewDto, _: unknown, ctx: GraphqlContext) => (view.projectId === null ? null : ctx.loaders.projects.load(view.projectId)),
  },
  Query: {
    views: async (_: unknown, args: { project?: string | null }, ctx: GraphqlContext) => {
      const query = checkArgument<{ project?: string }>(validate.list, withoutNulls(args), asIs);
      return asArguments(asIs, async () => (await ctx.services.views.list(ctx.caller, query)).data);
    },
    view: async (_: unknown, args: { id: string }, ctx: GraphqlContext) => toViewDto(await ctx.services.views.get(ctx.caller, toId(args.id, 'id')), ctx.caller),
  },
  Mutation: {
    createView: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<ViewCreateInput>(validate.create, numericIds(args.input, ['projectId']), input);
      return asArguments(input, async () => toViewDto(await ctx.services.views.create(ctx.caller, body), ctx.caller));
    },
    updateView: (_: unknown, args: { id: string; input: object }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      const body = checkArgument<ViewUpdateInput>(validate.update, numericIds(args.input, ['projectId']), input);
      return asArguments(input, async () => toViewDto(await ctx.services.views.update(ctx.caller, id, body), ctx.caller));
    },
    deleteView: async (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.views.remove(ctx.caller, id);
      return id;
    },
  },
};
