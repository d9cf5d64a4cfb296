import type { TObject, TSchema } from '@sinclair/typebox';
import { StringEnum } from '../schemas/common.js';
import {
  CustomField,
  FIELD_TYPES,
  FieldCreate,
  FieldKeyParams,
  FieldListQuery,
  FieldOption,
  FieldUpdate,
  type FieldCreateInput,
  type FieldUpdateInput,
} from '../schemas/fields.js';
import { compileValidator } from '../schemas/validate.js';
import { toFieldDto } from '../services/customFields.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument, withoutNulls } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { asIs, numericIds } from './inputs.js';

const typeEnum = enumType('CustomFieldType', FIELD_TYPES, 'What a custom field holds; its value in Task.fields is a string (TEXT, DATE as YYYY-MM-DD, URL), a number, an option id (SELECT), option ids (MULTI_SELECT), a user id (USER) or a boolean (CHECKBOX)');
/** An option as written (the schemas keep it inside FieldCreate). */
const OptionInput = (FieldCreate.properties.options as unknown as { items: TObject }).items;

const NAMED: NamedTypes = new Map<TSchema, string>([
  [StringEnum(FIELD_TYPES), 'CustomFieldType'],
  [FieldOption, 'FieldOption'],
  [OptionInput, 'FieldOptionInput'],
]);

export const fieldTypeDefs = /* GraphQL */ `
${typeEnum.sdl}
  ${objectType('type', 'FieldOption', FieldOption, { description: 'A choice of a SELECT or MULTI_SELECT field' })}
  ${objectType('type', 'CustomField', CustomField, {
    omit: ['workspaceId'],
    named: NAMED,
    description: 'A custom field: tasks hold its value in Task.fields under its key',
    descriptions: { projectIds: 'The projects whose tasks have it; null: every project' },
  })}
  ${objectType('input', 'FieldOptionInput', OptionInput, { named: NAMED, description: 'An option as written: without an id it is a new one (its id is made from its name)' })}
  ${objectType('input', 'CreateFieldInput', FieldCreate, { named: NAMED })}
  ${objectType('input', 'UpdateFieldInput', FieldUpdate, { named: NAMED, description: 'The type and key never change' })}

  extend type Query {
    "Every custom field of the workspace (at most 100, never paged), in order; with project, those its tasks have."
    fields(project: String): [CustomField!]!
  }

  extend type Mutation {
    "Admins and managers."
    createField(input: CreateFieldInput!): CustomField!
    "Options are sent whole: an option keeps its id, left-out ones are removed and cleared from tasks. Admins and managers."
    updateField(key: String!, input: UpdateFieldInput!): CustomField!
    "Deletes the field and its value on every task, and answers its key. Admins and managers."
    deleteField(key: String!): String!
  }
`;

const validate = {
  list: compileValidator(FieldListQuery, 'query'),
  key: compileValidator(FieldKeyParams, 'path'),
  create: compileValidator(FieldCreate, 'body'),
  update: compileValidator(FieldUpdate, 'body'),
};

const input = underArgument('input');
const fieldKey = (key: string) => checkArgument<{ key: string }>(validate.key, { key }, asIs).key;

export const fieldResolvers = {
  ...typeEnum.resolvers,
  Query: {
    fields: async (_: unknown, args: { project?: string | null }, ctx: GraphqlContext) => {
      const query = checkArgument<{ project?: string }>(validate.list, withoutNulls(args), asIs);
      return asArguments(asIs, async () => (await ctx.services.fields.list(ctx.caller, query)).data);
    },
  },
  Mutation: {
    createField: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<FieldCreateInput>(validate.create, numericIds(args.input, ['projectIds']), input);
      return asArguments(input, async () => toFieldDto(await ctx.services.fields.create(ctx.caller, body)));
    },
    updateField: (_: unknown, args: { key: string; input: object }, ctx: GraphqlContext) => {
      const key = fieldKey(args.key);
      const body = checkArgument<FieldUpdateInput>(validate.update, numericIds(args.input, ['projectIds']), input);
      return asArguments(input, async () => toFieldDto(await ctx.services.fields.update(ctx.caller, key, body)));
    },
    deleteField: async (_: unknown, args: { key: string }, ctx: GraphqlContext) => {
      const key = fieldKey(args.key);
      await ctx.services.fields.remove(ctx.caller, key);
      return key;
    },
  },
};
