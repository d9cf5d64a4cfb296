import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, StringEnum, Timestamp, named } from './common.js';
import { Color } from './projects.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'multi_select', 'user', 'checkbox', 'url'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FieldKey = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$', description: 'Lower-case letters, digits and `_`, starting with a letter; fixed once made' });
export const FieldKeyParams = Strict({ key: FieldKey });
const OptionId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Stable: values keep it when the option is renamed' });

export const FieldOption = named('FieldOption', Type.Object({ id: OptionId, name: Type.String(), color: Color }));
export type FieldOptionDto = Static<typeof FieldOption>;

/** An option as written: without an id it is a new one (its id is made from its name). */
const FieldOptionInput = Strict({
  id: Type.Optional(OptionId),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  color: Type.Optional(Color),
});
const Options = Type.Array(FieldOptionInput, { maxItems: 100, description: 'select and multi_select: the choices, in order' });
const ProjectIds = Type.Union([Type.Array(Id, { maxItems: 100, uniqueItems: true }), Type.Null()], {
  description: 'The projects whose tasks have it; null: every project',
});

export const CustomField = named(
  'CustomField',
  Type.Object({
    id: Id,
    workspaceId: Id,
    key: Type.String(),
    name: Type.String(),
    type: StringEnum(FIELD_TYPES),
    description: Type.String(),
    options: Type.Array(FieldOption),
    projectIds: Type.Union([Type.Array(Id), Type.Null()]),
    position: Type.Number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type CustomFieldDto = Static<typeof CustomField>;

const FieldName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 500 });

export const FieldCreate = Strict({
  key: FieldKey,
  name: FieldName,
  type: StringEnum(FIELD_TYPES),
  description: Type.Optional(Description),
  options: Type.Optional(Options),
  projectIds: Type.Optional(ProjectIds),
  position: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
});
export type FieldCreateInput = Static<typeof FieldCreate>;

export const FieldUpdate = Strict(
  {
    name: Type.Optional(FieldName),
    description: Type.Optional(Description),
    options: Type.Optional(Type.Array(FieldOptionInput, { maxItems: 100, description: 'The whole list: options left out are removed (and cleared from tasks)' })),
    projectIds: Type.Optional(ProjectIds),
    position: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
  },
  { minProperties: 1 },
);
export type FieldUpdateInput = Static<typeof FieldUpdate>;

export const FieldListQuery = Strict({
  project: Type.Optional(Type.String({ maxLength: 204, description: 'Only fields tasks of this project have (id, key or `ext:<externalId>`)' })),
});

export const MAX_FIELDS = 100;
/** Longest text a text field holds (its index takes a value whole). */
export const MAX_FIELD_TEXT = 500;
export const MAX_FIELD_URL = 1000;
