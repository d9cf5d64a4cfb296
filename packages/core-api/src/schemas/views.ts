import { Type, type Static } from '@sinclair/typebox';
import { Id, Name, Strict, StringEnum, Timestamp, named } from './common.js';

export const VIEW_LAYOUTS = ['board', 'list'] as const;
const ViewQuery = Type.String({
  maxLength: 2000,
  description: 'The list filters and sort as a query string, as GET /api/tasks takes them (`label=3&sort=-dueDate`); no cursor, limit or view',
});

export const SavedView = named(
  'SavedView',
  Type.Object({
    id: Id,
    workspaceId: Id,
    ownerId: Id,
    projectId: Type.Union([Id, Type.Null()]),
    name: Type.String(),
    query: Type.String(),
    layout: StringEnum(VIEW_LAYOUTS),
    shared: Type.Boolean({ description: 'Seen by the whole workspace; otherwise by its owner only' }),
    position: Type.Number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    can: Type.Array(StringEnum(['update', 'delete'])),
  }),
);
export type SavedViewDto = Static<typeof SavedView>;

export const ViewCreate = Strict({
  name: Name,
  projectId: Type.Optional(Type.Union([Id, Type.Null()])),
  query: Type.Optional(ViewQuery),
  layout: Type.Optional(StringEnum(VIEW_LAYOUTS, { default: 'list' })),
  shared: Type.Optional(Type.Boolean({ default: false })),
  position: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
});
export type ViewCreateInput = Static<typeof ViewCreate>;

export const ViewUpdate = Strict(
  {
    name: Type.Optional(Name),
    projectId: Type.Optional(Type.Union([Id, Type.Null()])),
    query: Type.Optional(ViewQuery),
    layout: Type.Optional(StringEnum(VIEW_LAYOUTS)),
    shared: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
  },
  { minProperties: 1 },
);
export type ViewUpdateInput = Static<typeof ViewUpdate>;

export const ViewListQuery = Strict({
  project: Type.Optional(Type.String({ maxLength: 204, description: 'Only views of this project (and those of no project)' })),
});

/** The most views one user owns. */
export const MAX_VIEWS_PER_USER = 200;
