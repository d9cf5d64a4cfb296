import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Strict, StringEnum, Timestamp, named } from './common.js';
import { ProjectRef, STATUS_CATEGORIES, StatusCategory, StatusKey } from './projects.js';
import { TaskLabel, MAX_TASK_LABELS } from './labels.js';
import { Recurrence, RecurrenceInput } from './recurrence.js';

/** The statuses of the default workflow (every project starts with them). */
export const TASK_STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
/** A key of the task's project's workflow. */
export type TaskStatus = string;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const TaskStatus = Type.String({ ...StatusKey, description: 'A status key of the task’s project’s workflow' });
export const TaskPriority = StringEnum(TASK_PRIORITIES);
export const TASK_ACTIONS = ['update', 'move', 'assign', 'delete', 'comment'] as const;
export const TaskAction = StringEnum(TASK_ACTIONS);

const Title = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const Description = Type.String({ maxLength: 20_000 });
const NullableId = Type.Union([Id, Type.Null()]);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const ExternalId = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' });
const Position = Type.Number({ minimum: -1e15, maximum: 1e15 });

export const Task = named(
  'Task',
  Type.Object({
    id: Id,
    workspaceId: Id,
    projectId: Id,
    number: Type.Integer({ description: 'The task’s number in its project' }),
    identifier: Type.String({ description: 'The project key and number, such as `CRM-42`; accepted wherever a task id is' }),
    title: Type.String(),
    description: Type.String({ description: 'Markdown (CommonMark and GitHub’s extensions)' }),
    descriptionHtml: Type.String({ description: 'The description rendered to sanitized HTML: safe to insert as is. Attachment images use `/api/attachments/{id}/content`; swap in their signed `url`' }),
    status: TaskStatus,
    statusCategory: StatusCategory,
    priority: TaskPriority,
    assignedTo: NullableId,
    createdBy: Id,
    dueDate: NullableTimestamp,
    position: Type.Number({ description: 'Order within its status column, ascending' }),
    version: Type.Integer({ description: 'Increments on every change; send it back in If-Match' }),
    externalId: Type.Union([Type.String(), Type.Null()]),
    completedAt: NullableTimestamp,
    labels: Type.Array(TaskLabel),
    parentId: Type.Union([Id, Type.Null()], { description: 'The task this one is a subtask of' }),
    subtasks: Type.Object({ total: Type.Integer({ minimum: 0 }), completed: Type.Integer({ minimum: 0, description: 'Subtasks in a `completed` status' }) }),
    blockedBy: Type.Integer({ minimum: 0, description: 'Open tasks (not completed or canceled) that block this one' }),
    fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Custom-field values by field key; a field without a value is left out' }),
    recurrence: Type.Union([Recurrence, Type.Null()], { description: 'The series this task is an occurrence of, while it repeats (null: not recurring, or stopped)' }),
    recurrenceOf: Type.Union([Id, Type.Null()], { description: 'The id of the series this task is an occurrence of (stays after the series stops)' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    can: Type.Array(TaskAction, { description: 'What the caller may do with this task' }),
  }),
);
export type TaskDto = Static<typeof Task>;

/** The task as events carry it and the database stores it: every field but the reader-specific `can`. */
export const TaskSnapshot = named('TaskSnapshot', Type.Omit(Task, ['can']));
export type TaskSnapshot = Static<typeof TaskSnapshot>;

/** The fields a client writes on a task, each optional: create, update and bulk items take them all. */
const editable = {
  title: Type.Optional(Title),
  description: Type.Optional(Description),
  status: Type.Optional(TaskStatus),
  priority: Type.Optional(TaskPriority),
  assignedTo: Type.Optional(NullableId),
  dueDate: Type.Optional(NullableTimestamp),
  position: Type.Optional(Position),
  labelIds: Type.Optional(Type.Array(Id, { maxItems: MAX_TASK_LABELS, uniqueItems: true, description: 'The task’s labels, whole: replaces the list' })),
  parentId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Makes it a subtask of a task of the same project (null: top level)' })),
  fields: Type.Optional(
    Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }), Type.Unknown(), {
      maxProperties: 100,
      description: 'Custom-field values by key; only the keys sent change, null clears one',
    }),
  ),
};

const ProjectId = Type.Optional(Type.Integer({ ...Id, description: 'The task’s project; the workspace’s default project when left out' }));

/** Makes the task recurring, changes its series' rule for future occurrences, or (null) stops the series. */
const RecurrenceField = Type.Optional(Type.Union([RecurrenceInput, Type.Null()], { description: 'Makes the task repeat (its series), changes the rule for future occurrences, or with null stops the series' }));

export const TaskCreate = Strict({ ...editable, title: Title, projectId: ProjectId, externalId: Type.Optional(ExternalId), recurrence: RecurrenceField });
export type TaskCreateInput = Static<typeof TaskCreate>;

export const TaskUpdate = Strict(
  { ...editable, projectId: Type.Optional(Type.Integer({ ...Id, description: 'Moves the task to another project: its status maps by category and it gets that project’s next number' })), recurrence: RecurrenceField },
  { minProperties: 1 },
);
export type TaskUpdateInput = Static<typeof TaskUpdate>;

/** A task in a path: its id, or its identifier (`CRM-42`). */
export const TaskRefParams = Strict({
  id: Type.String({ pattern: '^([1-9][0-9]{0,15}|[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8})$', description: 'A task id, or an identifier such as `CRM-42`' }),
});

export const TaskDeleteQuery = Strict({
  cascade: Type.Optional(Type.Boolean({ default: false, description: 'Also delete its subtasks (at every depth); without it a task with subtasks is refused' })),
});

export const TaskMove = Strict({
  status: Type.Optional(TaskStatus),
  afterId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'The card that will be above this one' })),
  beforeId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'The card that will be below this one' })),
});
export type TaskMoveInput = Static<typeof TaskMove>;

export const TASK_SORTS = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'dueDate',
  '-dueDate',
  'priority',
  '-priority',
  'position',
  '-position',
] as const;

const UserRef = Type.String({ pattern: '^(me|[1-9][0-9]{0,15})$', description: '`me` or a user id' });

const LabelRef = Type.String({ minLength: 1, maxLength: 50 });

const listFilters = {
  project: Type.Optional(ProjectRef),
  status: Type.Optional(Type.Array(TaskStatus, { maxItems: 50, description: 'Comma-separated status keys' })),
  statusCategory: Type.Optional(Type.Array(StatusCategory, { maxItems: 5, description: 'Comma-separated status categories' })),
  priority: Type.Optional(Type.Array(TaskPriority, { maxItems: 4, description: 'Comma-separated priorities' })),
  assignee: Type.Optional(Type.String({ pattern: '^(me|none|[1-9][0-9]{0,15})$', description: '`me`, `none` or a user id' })),
  createdBy: Type.Optional(UserRef),
  dueBefore: Type.Optional(Timestamp),
  dueAfter: Type.Optional(Timestamp),
  overdue: Type.Optional(Type.Boolean({ description: 'Only open tasks (not completed or canceled) past their due date' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to find in title or description (prefix match)' })),
  label: Type.Optional(Type.Array(LabelRef, { maxItems: 20, description: 'Tasks with any of these labels (ids or names, comma-separated)' })),
  labelAll: Type.Optional(Type.Array(LabelRef, { maxItems: 20, description: 'Tasks with all of these labels (ids or names, comma-separated)' })),
  parent: Type.Optional(Type.String({ pattern: '^(none|[1-9][0-9]{0,15}|[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8})$', description: 'Subtasks of this task (id or identifier); `none`: top-level tasks only' })),
  view: Type.Optional(Type.Integer({ ...Id, description: 'A saved view: its filters and sort apply, under any given here' })),
  sort: Type.Optional(
    Type.String({
      pattern: `^(${TASK_SORTS.join('|')}|-?cf\\.[a-z][a-z0-9_]{0,39})$`,
      description: `Default \`-createdAt\` (a saved view's own sort, with \`view\`). One of ${TASK_SORTS.join(', ')}, or \`cf.<key>\` / \`-cf.<key>\` (a custom field, tasks without a value last)`,
    }),
  ),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
};

/**
 * Custom-field filters: `cf.<key>=a,b` (equals any), `cf.<key>.gte=` and
 * `cf.<key>.lte=` (number, date), `cf.<key>.empty=true|false`.
 */
export const CUSTOM_FIELD_FILTER = '^cf\\.[a-z][a-z0-9_]{0,39}(\\.(gte|lte|empty))?$';

export const TaskListQuery = Type.Object(listFilters, {
  additionalProperties: false,
  patternProperties: { [CUSTOM_FIELD_FILTER]: Type.String({ maxLength: 2000 }) },
  maxProperties: 40,
});
export type TaskListInput = Static<typeof TaskListQuery> & { [filter: `cf.${string}`]: string | undefined };

/** The list's filters without its paging and order: what GET /api/tasks/counts counts. */
export const TaskCountsQuery = Type.Omit(TaskListQuery, ['sort', 'limit', 'cursor'], {
  additionalProperties: false,
  patternProperties: { [CUSTOM_FIELD_FILTER]: Type.String({ maxLength: 2000 }) },
  maxProperties: 40,
});
export type TaskCountsInput = Omit<TaskListInput, 'sort' | 'limit' | 'cursor'>;

export const TaskCountsByStatus = named(
  'TaskCountsByStatus',
  Type.Object({
    byStatus: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Per status key; with `project`, every status of its workflow is listed' }),
    byCategory: Type.Object(
      Object.fromEntries(STATUS_CATEGORIES.map((category) => [category, Type.Integer({ minimum: 0 })])) as Record<(typeof STATUS_CATEGORIES)[number], ReturnType<typeof Type.Integer>>,
    ),
    total: Type.Integer({ minimum: 0 }),
  }),
);
export type TaskCountsByStatusDto = Static<typeof TaskCountsByStatus>;

// Strict: an unknown field would otherwise reach the update as a column (workspaceId, createdBy, version…).
export const BulkItem = Strict({ id: Type.Optional(Id), externalId: Type.Optional(ExternalId), projectId: ProjectId, ...editable });

export const TaskBulk = Strict({
  items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100, description: 'Each item: a task to create, or to update by `id` or upsert by `externalId`' }),
  dryRun: Type.Optional(Type.Boolean({ default: false })),
});

export const BulkResult = named(
  'BulkResult',
  Type.Object({
    dryRun: Type.Boolean(),
    results: Type.Array(
      Type.Object({
        index: Type.Integer(),
        status: StringEnum(['created', 'updated', 'unchanged', 'error']),
        task: Type.Optional(Task),
        error: Type.Optional(
          Type.Object({
            code: Type.String(),
            detail: Type.String(),
            errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), in: Type.String(), message: Type.String() }))),
          }),
        ),
      }),
    ),
    summary: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), failed: Type.Integer() }),
  }),
);

export const Activity = named(
  'Activity',
  Type.Object({
    id: Id,
    type: Type.String(),
    actorId: NullableId,
    taskId: NullableId,
    payload: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Timestamp,
  }),
);

export const ActivityQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
