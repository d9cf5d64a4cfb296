import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ApiKey } from './apiKeys.js';
import { AttachmentSnapshot } from './attachments.js';
import { CalendarFeed } from './calendarFeeds.js';
import { Workspace } from './auth.js';
import { CommentSnapshot } from './comments.js';
import { DataJob } from './dataJobs.js';
import { Id, StringEnum, Timestamp, named } from './common.js';
import { CustomField } from './fields.js';
import { Label } from './labels.js';
import { RELATION_VIEWS } from './relations.js';
import { SavedView } from './views.js';
import { Notification } from './notifications.js';
import { NotificationDefaults, NotificationPreferences } from './notificationPreferences.js';
import { Reminder } from './reminders.js';
import { ProjectSnapshot, WorkflowStatus } from './projects.js';
import { TaskSnapshot } from './tasks.js';
import { User } from './users.js';
import { WebhookEndpoint } from './webhookEndpoint.js';

/**
 * Who may see an event: every member of the workspace, its admins only, or
 * the one user it is addressed to (its row carries that `user_id`).
 */
export type EventAudience = 'workspace' | 'admins' | 'recipient';

interface EventEntry<P extends TSchema = TSchema> {
  description: string;
  audience: EventAudience;
  /** Whether webhook endpoints may subscribe to it. */
  webhook: boolean;
  payload: P;
}

const entry = <P extends TSchema>(description: string, audience: EventAudience, webhook: boolean, payload: P): EventEntry<P> => ({
  description,
  audience,
  webhook,
  payload,
});

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A change of one field: its value before and after. */
const Change = Type.Object({ from: Type.Unknown(), to: Type.Unknown() });

const TaskRef = Type.Object({ id: Id, title: Type.String() });

/** Task fields a `task.updated` event reports in `changes` (and a webhook filter may name). */
export const TASK_FIELDS = ['title', 'description', 'status', 'statusCategory', 'priority', 'assignedTo', 'dueDate', 'position', 'projectId', 'identifier', 'labelIds', 'parentId', 'recurrence'] as const;
/** A custom field's change is reported (and filtered on) as `fields.<key>`. */
export const CUSTOM_FIELD_CHANGE = '^fields\\.[a-z][a-z0-9_]{0,39}$';

const UserRef = Type.Object({ id: Id, name: Type.Optional(Type.String()) });
const RelationRef = Type.Object({
  id: Id,
  type: StringEnum(RELATION_VIEWS, { description: 'Read from the event’s task' }),
  taskId: Id,
  relatedTaskId: Id,
  relatedTask: Type.Object({ id: Id, identifier: Type.String(), title: Type.String() }, { description: 'The task at the other end, as it was then' }),
});
const ViewSnapshot = Type.Omit(SavedView, ['can']);
const WorkflowChange = Type.Object(
  {
    added: Type.Optional(WorkflowStatus),
    updated: Type.Optional(Type.Object({ from: WorkflowStatus, to: WorkflowStatus })),
    removed: Type.Optional(WorkflowStatus),
    movedTo: Type.Optional(Nullable(Type.String())),
    reordered: Type.Optional(Type.Array(Type.String())),
    taskIds: Type.Optional(Type.Array(Id, { description: 'Tasks the change moved to another status (a rename, a category change, a removal)' })),
  },
  { description: 'What changed: one of added, updated, removed (with movedTo), reordered' },
);

/**
 * Every event type of the log, once: what it means, who sees it, whether
 * webhooks carry it, and its payload. Visibility (events/visibility.ts),
 * the webhook catalog, the OpenAPI event schemas and the SDK's event union
 * all derive from this table.
 */
export const EVENT_CATALOG = {
  'task.created': entry('A task was created', 'workspace', true, Type.Object({ task: TaskSnapshot })),
  'task.updated': entry(
    'Fields of a task changed; `changes` holds each field’s from/to',
    'workspace',
    true,
    Type.Object({
      task: TaskSnapshot,
      changes: Type.Object(Object.fromEntries(TASK_FIELDS.map((field) => [field, Type.Optional(Change)])), {
        patternProperties: { [CUSTOM_FIELD_CHANGE]: Change },
        description: 'Each changed field; a custom field as `fields.<key>`',
      }),
    }),
  ),
  'task.status_changed': entry('A task moved to another status', 'workspace', true, Type.Object({ task: TaskSnapshot, from: Type.String(), to: Type.String() })),
  'task.assigned': entry('A task was assigned or unassigned', 'workspace', true, Type.Object({ task: TaskSnapshot, from: Nullable(Id), to: Nullable(Id) })),
  'task.deleted': entry('A task was deleted', 'workspace', true, Type.Object({ task: TaskSnapshot })),
  'task.project_changed': entry(
    'A task moved to another project; sent to the project it left (the one it joined gets `task.updated`)',
    'workspace',
    true,
    Type.Object({ task: TaskSnapshot, from: Id, to: Id }),
  ),
  'task.relation_added': entry(
    'A task was linked to another (one event per end, each read from its own task)',
    'workspace',
    true,
    Type.Object({ relation: RelationRef }),
  ),
  'task.relation_removed': entry('A link between two tasks was removed (one event per end)', 'workspace', true, Type.Object({ relation: RelationRef })),
  'task.watcher_added': entry('Someone started watching a task', 'workspace', true, Type.Object({ task: TaskRef, user: UserRef })),
  'task.watcher_removed': entry('Someone stopped watching a task', 'workspace', true, Type.Object({ task: TaskRef, user: UserRef })),
  'task.recurrence_stopped': entry(
    'A recurring task’s series stopped: `stopped` (someone set its recurrence to null), `ended` (its rule has no further occurrence), `failed` (its next occurrence could not be created: its creator was deactivated, or its project archived)',
    'workspace',
    true,
    Type.Object({ task: Nullable(TaskRef), seriesId: Id, reason: StringEnum(['stopped', 'ended', 'failed']) }),
  ),
  'label.created': entry('A label was created', 'workspace', true, Type.Object({ label: Label })),
  'label.updated': entry('A label was renamed, recoloured or limited to other projects', 'workspace', true, Type.Object({ label: Label })),
  'label.deleted': entry('A label was deleted (each task that had it gets a `task.updated`)', 'workspace', true, Type.Object({ label: Label })),
  'field.created': entry('A custom field was defined', 'workspace', true, Type.Object({ field: CustomField })),
  'field.updated': entry('A custom field’s name, options, projects or position changed', 'workspace', true, Type.Object({ field: CustomField })),
  'field.deleted': entry('A custom field was deleted, with its values on every task', 'workspace', true, Type.Object({ field: CustomField })),
  'view.created': entry('A shared saved view was created (or a view was shared)', 'workspace', false, Type.Object({ view: ViewSnapshot })),
  'view.updated': entry('A shared saved view changed', 'workspace', false, Type.Object({ view: ViewSnapshot })),
  'view.deleted': entry('A shared saved view was deleted (or stopped being shared)', 'workspace', false, Type.Object({ view: ViewSnapshot })),
  'project.created': entry('A project was created', 'workspace', true, Type.Object({ project: ProjectSnapshot })),
  'project.updated': entry('A project’s settings changed (name, key, visibility, lead…), or it was restored', 'workspace', true, Type.Object({ project: ProjectSnapshot })),
  'project.archived': entry('A project was archived (or deleted, when `deleted` is true: it held no tasks)', 'workspace', true, Type.Object({ project: ProjectSnapshot, deleted: Type.Optional(Type.Boolean()) })),
  'project.workflow_changed': entry('A project’s workflow changed: a status added, edited, removed or the order', 'workspace', true, Type.Object({ project: ProjectSnapshot, change: WorkflowChange })),
  'project.member_added': entry('A user was added to a project', 'workspace', true, Type.Object({ project: ProjectSnapshot, user: UserRef })),
  'project.member_removed': entry('A user was removed from a project', 'workspace', true, Type.Object({ project: ProjectSnapshot, user: UserRef })),
  'comment.created': entry('A comment was posted on a task', 'workspace', true, Type.Object({ comment: CommentSnapshot, task: TaskRef })),
  'comment.updated': entry('A comment was edited', 'workspace', true, Type.Object({ comment: CommentSnapshot })),
  'comment.deleted': entry('A comment was deleted', 'workspace', true, Type.Object({ comment: CommentSnapshot })),
  'comment.reaction_added': entry(
    'Someone reacted to a comment with an emoji; `count` is how many have reacted so now',
    'workspace',
    true,
    Type.Object({ comment: Type.Object({ id: Id, taskId: Id }), emoji: Type.String(), userId: Id, count: Type.Integer({ minimum: 0 }) }),
  ),
  'comment.reaction_removed': entry(
    'Someone took back their emoji reaction to a comment; `count` is how many still react so',
    'workspace',
    true,
    Type.Object({ comment: Type.Object({ id: Id, taskId: Id }), emoji: Type.String(), userId: Id, count: Type.Integer({ minimum: 0 }) }),
  ),
  'attachment.added': entry('A file was attached to a task or a comment', 'workspace', true, Type.Object({ attachment: AttachmentSnapshot, task: TaskRef })),
  'attachment.removed': entry('An attachment was removed (its stored file goes with it)', 'workspace', true, Type.Object({ attachment: AttachmentSnapshot, task: TaskRef })),
  'user.created': entry('A user joined the workspace', 'workspace', true, Type.Object({ user: User, via: Type.Optional(Type.Literal('embed')) })),
  'user.updated': entry(
    'A user’s name, email, role or password changed; after a password change `sessionsEndedAt` says since when earlier sessions are over',
    'workspace',
    false,
    Type.Object({ user: User, sessionsEndedAt: Type.Optional(Timestamp) }),
  ),
  'user.deactivated': entry('A user was deactivated', 'workspace', false, Type.Object({ user: User })),
  'notification.created': entry('A notification for its recipient', 'recipient', false, Type.Object({ notification: Notification })),
  'notification.read': entry('Notifications of its recipient were marked read', 'recipient', false, Type.Object({ ids: Nullable(Type.Array(Id)) })),
  'notification.archived': entry(
    'Notifications of its recipient were archived (or, with `archived: false`, brought back)',
    'recipient',
    false,
    Type.Object({ ids: Type.Array(Id), archived: Type.Boolean() }),
  ),
  'calendar_feed.created': entry('Its owner created a calendar feed (the secret URL is not in the event)', 'recipient', false, Type.Object({ calendarFeed: CalendarFeed })),
  'calendar_feed.revoked': entry('Its owner revoked a calendar feed: its URL answers 404 from now on', 'recipient', false, Type.Object({ calendarFeed: CalendarFeed })),
  'notification.preferences_updated': entry(
    'Its user’s notification preferences (channels per kind, email digest, time zone) changed, in the app or by an email’s unsubscribe link',
    'recipient',
    false,
    Type.Object({ preferences: NotificationPreferences }),
  ),
  'reminder.created': entry('A reminder was set for its user (by them, a manager, or carried to a recurring task’s next occurrence)', 'recipient', false, Type.Object({ reminder: Reminder })),
  'reminder.deleted': entry('A reminder of its user was removed', 'recipient', false, Type.Object({ reminder: Reminder })),
  'export.progress': entry('Its creator’s export advanced (at most one a second, and at each phase)', 'recipient', false, Type.Object({ job: DataJob })),
  'export.completed': entry('Its creator’s export is ready to download (GET /api/exports/{id} for the link)', 'recipient', false, Type.Object({ job: DataJob })),
  'export.failed': entry('Its creator’s export failed (`job.error` says why) or was cancelled', 'recipient', false, Type.Object({ job: DataJob })),
  'import.progress': entry('Its creator’s import advanced (at most one a second, and at each phase)', 'recipient', false, Type.Object({ job: DataJob })),
  'import.completed': entry('Its creator’s import finished (`job.result` counts what it created and updated)', 'recipient', false, Type.Object({ job: DataJob })),
  'import.failed': entry('Its creator’s import failed (`job.error`, and `job.result.errors` when rows were at fault) or was cancelled', 'recipient', false, Type.Object({ job: DataJob })),
  'api_key.created': entry('An API key was created', 'admins', false, Type.Object({ apiKey: ApiKey })),
  'api_key.revoked': entry('An API key was revoked', 'admins', false, Type.Object({ apiKey: Type.Object({ id: Id, name: Type.String(), prefix: Type.String() }) })),
  'workspace.created': entry('The workspace was created', 'admins', false, Type.Object({ workspace: Workspace, user: User })),
  'workspace.notification_defaults_updated': entry(
    'An admin changed the workspace’s notification defaults',
    'admins',
    false,
    Type.Object({ defaults: NotificationDefaults }),
  ),
  'workspace.updated': entry('The workspace was renamed', 'admins', false, Type.Object({ workspace: Workspace, changes: Type.Object({ name: Change }) })),
  'webhook.endpoint_created': entry('A webhook endpoint was added', 'admins', false, Type.Object({ endpoint: WebhookEndpoint })),
  'webhook.endpoint_updated': entry('A webhook endpoint was changed', 'admins', false, Type.Object({ endpoint: WebhookEndpoint })),
  'webhook.endpoint_deleted': entry('A webhook endpoint was removed', 'admins', false, Type.Object({ endpoint: WebhookEndpoint })),
  'webhook.secret_rotated': entry('A webhook endpoint’s signing secret was rotated', 'admins', false, Type.Object({ endpoint: WebhookEndpoint })),
  'webhook.endpoint_disabled': entry(
    'A webhook endpoint was disabled after failing',
    'admins',
    true,
    Type.Object({ endpoint: WebhookEndpoint, reason: Type.String() }),
  ),
  'webhook.test': entry('Sent on request to try an endpoint; never sent otherwise', 'admins', true, Type.Object({ endpointId: Id, message: Type.String() })),
} as const;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];
/** The payload of each event type, as TypeScript sees it. */
export type EventPayloads = { [T in EventType]: Static<(typeof EVENT_CATALOG)[T]['payload']> };

/** Event types only workspace admins see. */
export const ADMIN_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => EVENT_CATALOG[type].audience === 'admins');
/** Event types addressed to one user (notifications). */
export const RECIPIENT_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => EVENT_CATALOG[type].audience === 'recipient');

/** What webhook endpoints may receive, with what each means (GET /api/webhooks/event-types). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter((type) => EVENT_CATALOG[type].webhook).map((type) => ({
  type,
  description: EVENT_CATALOG[type].description,
}));
export const WEBHOOK_EVENT_TYPE_NAMES: readonly string[] = WEBHOOK_EVENT_TYPES.map((entry) => entry.type);

/** The body of a webhook delivery of one event type: `{ type, timestamp, data }`, `data` being the event's payload. */
export const webhookBodyOf = (type: EventType) =>
  Type.Object(
    { type: Type.Literal(type), timestamp: Timestamp, data: EVENT_CATALOG[type].payload },
    { title: type, description: EVENT_CATALOG[type].description },
  );

/** Any webhook body, told apart by `type` (the SDK's `verifyWebhook` answers this). */
export const WebhookEvent = named('WebhookEvent', Type.Union(WEBHOOK_EVENT_TYPES.map(({ type }) => webhookBodyOf(type))));

/** Each webhook event type with what it means and its body, for the OpenAPI document's `webhooks`. */
export const WEBHOOK_BODIES = Object.fromEntries(
  WEBHOOK_EVENT_TYPES.map(({ type, description }) => [type, { description, body: webhookBodyOf(type) }]),
);
