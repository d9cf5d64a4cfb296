import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, Timestamp, named } from './common.js';
import { Color } from './projects.js';

const LabelName = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S', description: 'Unique in the workspace, whatever its case' });
const ProjectIds = Type.Union([Type.Array(Id, { maxItems: 100, uniqueItems: true }), Type.Null()], {
  description: 'The projects whose tasks may carry it; null: every project',
});

export const Label = named(
  'Label',
  Type.Object({
    id: Id,
    workspaceId: Id,
    name: Type.String(),
    color: Color,
    description: Type.String(),
    projectIds: Type.Union([Type.Array(Id), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type LabelDto = Static<typeof Label>;

/** A label as a task answers it. */
export const TaskLabel = named('TaskLabel', Type.Object({ id: Id, name: Type.String(), color: Color }));
export type TaskLabelDto = Static<typeof TaskLabel>;

export const LabelCreate = Strict({
  name: LabelName,
  color: Type.Optional(Color),
  description: Type.Optional(Type.String({ maxLength: 500 })),
  projectIds: Type.Optional(ProjectIds),
});
export type LabelCreateInput = Static<typeof LabelCreate>;

export const LabelUpdate = Strict(
  { name: Type.Optional(LabelName), color: Type.Optional(Color), description: Type.Optional(Type.String({ maxLength: 500 })), projectIds: Type.Optional(ProjectIds) },
  { minProperties: 1 },
);
export type LabelUpdateInput = Static<typeof LabelUpdate>;

export const LabelListQuery = Strict({
  project: Type.Optional(Type.String({ maxLength: 204, description: 'Only labels a task of this project may carry (id, key or `ext:<externalId>`)' })),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'Labels whose name contains this text' })),
});

/** The most labels a workspace holds: every label list is answered whole. */
export const MAX_LABELS = 500;
export const MAX_TASK_LABELS = 20;
