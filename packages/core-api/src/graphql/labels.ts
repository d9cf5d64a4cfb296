import { Label, LabelCreate, LabelListQuery, LabelUpdate, type LabelCreateInput, type LabelDto, type LabelUpdateInput } from '../schemas/labels.js';
import { compileValidator } from '../schemas/validate.js';
import { toLabelDto } from '../services/labels.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument, withoutNulls } from './errors.js';
import { objectType } from './fromSchemas.js';
import { asIs, numericIds } from './inputs.js';
import { toId } from './pagination.js';

export const labelTypeDefs = /* GraphQL */ `
  ${objectType('type', 'Label', Label, {
    omit: ['workspaceId'],
    description: 'A workspace label; tasks carry up to 20',
    descriptions: { projectIds: 'The projects whose tasks may carry it; null: every project' },
    fields: { projects: { type: ': [Project!]', description: 'projectIds as projects (those you see); null: every project' } },
  })}
  ${objectType('input', 'CreateLabelInput', LabelCreate)}
  ${objectType('input', 'UpdateLabelInput', LabelUpdate)}

  extend type Query {
    "Every label of the workspace (at most 500, never paged), by name; with project, those its tasks may carry; q: name contains."
    labels(project: String, q: String): [Label!]!
  }

  extend type Mutation {
    "Admins and managers."
    createLabel(input: CreateLabelInput!): Label!
    "Admins and managers."
    updateLabel(id: ID!, input: UpdateLabelInput!): Label!
    "Takes the label off every task (each gets a task.updated event) and answers its id. Admins and managers."
    deleteLabel(id: ID!): ID!
  }
`;

const validate = {
  list: compileValidator(LabelListQuery, 'query'),
  create: compileValidator(LabelCreate, 'body'),
  update: compileValidator(LabelUpdate, 'body'),
};

const input = underArgument('input');

export const labelResolvers = {
  Label: {
    projects: async (label: LabelDto, _: unknown, ctx: GraphqlContext) =>
      label.projectIds === null ? null : (await ctx.loaders.projects.loadMany(label.projectIds)).filter((project) => project && !(project instanceof Error)),
  },
  Query: {
    labels: async (_: unknown, args: { project?: string | null; q?: string | null }, ctx: GraphqlContext) => {
      const query = checkArgument<{ project?: string; q?: string }>(validate.list, withoutNulls(args), asIs);
      return asArguments(asIs, async () => (await ctx.services.labels.list(ctx.caller, query)).data);
    },
  },
  Mutation: {
    createLabel: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<LabelCreateInput>(validate.create, numericIds(args.input, ['projectIds']), input);
      return asArguments(input, async () => toLabelDto(await ctx.services.labels.create(ctx.caller, body)));
    },
    updateLabel: (_: unknown, args: { id: string; input: object }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      const body = checkArgument<LabelUpdateInput>(validate.update, numericIds(args.input, ['projectIds']), input);
      return asArguments(input, async () => toLabelDto(await ctx.services.labels.update(ctx.caller, id, body)));
    },
    deleteLabel: async (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.labels.remove(ctx.caller, id);
      return id;
    },
  },
};
