import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, StringEnum, Timestamp, named } from './common.js';
import { StatusCategory } from './projects.js';
import { TaskRefParams } from './tasks.js';

/** The kinds of link a client makes. */
export const RELATION_TYPES = ['blocks', 'relates_to', 'duplicates'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];
/** How a link reads from either end: the target of `blocks` is `blocked_by`. */
export const RELATION_VIEWS = ['blocks', 'blocked_by', 'relates_to', 'duplicates', 'duplicated_by'] as const;
export type RelationView = (typeof RELATION_VIEWS)[number];

export const RelatedTask = named(
  'RelatedTask',
  Type.Object({ id: Id, identifier: Type.String(), title: Type.String(), status: Type.String(), statusCategory: StatusCategory }),
);

export const TaskRelation = named(
  'TaskRelation',
  Type.Object({
    id: Id,
    type: StringEnum(RELATION_VIEWS, { description: 'Read from this task: `blocked_by` means the other task blocks this one' }),
    task: RelatedTask,
    createdBy: Type.Union([Id, Type.Null()]),
    createdAt: Timestamp,
  }),
);
export type TaskRelationDto = Static<typeof TaskRelation>;

export const RelationCreate = Strict({
  type: StringEnum(RELATION_TYPES),
  taskId: Type.Union([Id, Type.String({ pattern: '^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8}$' })], { description: 'The other task: an id or identifier (`CRM-42`)' }),
});
export type RelationCreateInput = Static<typeof RelationCreate>;

export const RelationParams = Strict({ id: TaskRefParams.properties.id, relationId: Id });

export const MAX_RELATIONS_PER_TASK = 200;
