import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Name, Strict, StringEnum, Timestamp, named } from './common.js';

export const STATUS_CATEGORIES = ['backlog', 'unstarted', 'started', 'completed', 'canceled'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];
export const StatusCategory = StringEnum(STATUS_CATEGORIES, {
  description: 'What a status means for analytics, notifications and "done": `completed` is done, `canceled` closed without doing',
});

export const PROJECT_VISIBILITIES = ['workspace', 'private'] as const;
export type ProjectVisibility = (typeof PROJECT_VISIBILITIES)[number];
export const ProjectVisibility = StringEnum(PROJECT_VISIBILITIES, {
  description: '`workspace`: every member sees it; `private`: only its members and workspace admins',
});

export const PROJECT_ACTIONS = ['update', 'archive', 'delete', 'manage_members', 'edit_workflow', 'create_task'] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

export const StatusKey = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$', description: 'Lower-case letters, digits and `_`, starting with a letter' });
export const ProjectKey = Type.String({ minLength: 2, maxLength: 10, pattern: '^[A-Z][A-Z0-9]+$', description: '2–10 characters A–Z and 0–9, starting with a letter' });
export const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'A hex colour such as `#2563eb`' });
const ProjectExternalId = Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' });
const Description = Type.String({ maxLength: 5_000 });

/**
 * How a path or query names a project: its id, its key (`CRM`), or
 * `ext:<externalId>`.
 */
export const ProjectRef = Type.String({ minLength: 1, maxLength: 204, pattern: '^([1-9][0-9]{0,15}|[A-Z][A-Z0-9]{1,9}|ext:[\\x21-\\x7e]{1,200})$', description: 'A project id, key (`CRM`) or `ext:<externalId>`' });
export const ProjectParams = Strict({ project: ProjectRef });

export const WorkflowStatus = named(
  'WorkflowStatus',
  Type.Object({ key: StatusKey, name: Type.String(), color: Color, category: StatusCategory }),
);
export type WorkflowStatusDto = Static<typeof WorkflowStatus>;

export const Project = named(
  'Project',
  Type.Object({
    id: Id,
    workspaceId: Id,
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    color: Color,
    visibility: ProjectVisibility,
    externalId: Type.Union([Type.String(), Type.Null()]),
    leadId: Type.Union([Id, Type.Null()]),
    isDefault: Type.Boolean({ description: 'Tasks created without a projectId go here' }),
    statuses: Type.Array(WorkflowStatus, { description: 'The workflow, in board order' }),
    position: Type.Number(),
    archivedAt: Type.Union([Timestamp, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    can: Type.Array(StringEnum(PROJECT_ACTIONS), { description: 'What the caller may do with this project' }),
  }),
);
export type ProjectDto = Static<typeof Project>;

/** The project as events carry it: every field but the reader-specific `can`. */
export const ProjectSnapshot = named('ProjectSnapshot', Type.Omit(Project, ['can']));
export type ProjectSnapshot = Static<typeof ProjectSnapshot>;

const StatusInput = Strict({
  key: StatusKey,
  name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }),
  color: Type.Optional(Color),
  category: StatusCategory,
});

const editable = {
  name: Type.Optional(Name),
  description: Type.Optional(Description),
  color: Type.Optional(Color),
  visibility: Type.Optional(ProjectVisibility),
  leadId: Type.Optional(Type.Union([Id, Type.Null()])),
  position: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
};

export const ProjectCreate = Strict({
  ...editable,
  key: ProjectKey,
  name: Name,
  externalId: Type.Optional(ProjectExternalId),
  statuses: Type.Optional(Type.Array(StatusInput, { minItems: 1, maxItems: 50, description: 'The workflow; the default is todo, in_progress, in_review, done' })),
});
export type ProjectCreateInput = Static<typeof ProjectCreate>;

export const ProjectUpdate = Strict(
  { ...editable, key: Type.Optional(ProjectKey), archived: Type.Optional(Type.Boolean({ description: 'Archive (true) or restore (false)' })) },
  { minProperties: 1 },
);
export type ProjectUpdateInput = Static<typeof ProjectUpdate>;

/** The body of PUT /api/projects/by-external-id/{externalId}: a key is needed only to create. */
export const ProjectUpsert = Strict({ ...editable, name: Name, key: Type.Optional(ProjectKey), statuses: ProjectCreate.properties.statuses });
export type ProjectUpsertInput = Static<typeof ProjectUpsert>;
export const ExternalIdParams = Strict({ externalId: ProjectExternalId });

export const ProjectListQuery = Strict({
  archived: Type.Optional(Type.Boolean({ description: 'true: only archived projects; false (default): only active ones' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the name or key' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
export type ProjectListInput = Static<typeof ProjectListQuery>;


export const StatusCreate = Strict({ ...StatusInput.properties, color: Type.Optional(Color), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 49, description: 'Index in the workflow; the end by default' })) });
export type StatusCreateInput = Static<typeof StatusCreate>;

export const StatusUpdate = Strict(
  {
    key: Type.Optional(StatusKey),
    name: Type.Optional(StatusInput.properties.name),
    color: Type.Optional(Color),
    category: Type.Optional(StatusCategory),
  },
  { minProperties: 1 },
);
export type StatusUpdateInput = Static<typeof StatusUpdate>;

export const StatusParams = Strict({ project: ProjectRef, key: StatusKey });
export const StatusDeleteQuery = Strict({ moveTo: Type.Optional(StatusKey) });
export const StatusOrder = Strict({ keys: Type.Array(StatusKey, { minItems: 1, maxItems: 50, description: 'Every status key of the project, in the new order' }) });

export const ProjectMember = named(
  'ProjectMember',
  Type.Object({ userId: Id, name: Type.String(), role: StringEnum(['admin', 'manager', 'member']), addedAt: Timestamp }),
);
export const ProjectMemberAdd = Strict({ userId: Id });
export const MemberParams = Strict({ project: ProjectRef, userId: Id });
