/**
 * API shapes, all derived from the generated OpenAPI types: nothing here is
 * typed by hand, so a server change shows up as a type error.
 */
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];
type OperationId = keyof operations;

/** The JSON body an operation takes. */
export type RequestBody<Op extends OperationId> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters an operation takes. */
export type QueryParams<Op extends OperationId> = operations[Op] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body of an operation's success answer. */
export type ResponseBody<Op extends OperationId> = {
  [S in keyof operations[Op]['responses']]: S extends 200 | 201 ? (operations[Op]['responses'][S] extends { content: { 'application/json': infer R } } ? R : never) : never;
}[keyof operations[Op]['responses']];

/** A page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type Session = Schemas['Session'];
export type User = Schemas['User'];
export type Workspace = Schemas['Workspace'];
export type Me = Schemas['Me'];
/** What `PATCH /api/auth/me` answers: after a password change, also the new `session` (the client adopts it). */
export type UpdatedMe = Schemas['UpdatedMe'];
/** A sign-in of a browser session: the refresh token is in the API's HttpOnly cookie, not here. */
export type BrowserSession = ResponseBody<'startBrowserSession'>;
export type EmbedToken = Schemas['EmbedToken'];
export type ApiKey = Schemas['ApiKey'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Task = Schemas['Task'];
export type Project = Schemas['Project'];
export type WorkflowStatus = Schemas['WorkflowStatus'];
export type StatusCategory = WorkflowStatus['category'];
export type ProjectMember = Schemas['ProjectMember'];
export type RemovedProject = Schemas['RemovedProject'];
/** A project's id, its key (`'CRM'`) or `'ext:<externalId>'`. */
export type ProjectRef = number | string;
export type ProjectListQuery = QueryParams<'listProjects'>;
export type CreateProjectInput = RequestBody<'createProject'>;
export type UpdateProjectInput = RequestBody<'updateProject'>;
export type UpsertProjectInput = RequestBody<'upsertProjectByExternalId'>;
export type AddStatusInput = RequestBody<'addProjectStatus'>;
export type UpdateStatusInput = RequestBody<'updateProjectStatus'>;
/** How many tasks match, per status. */
export type TaskCounts = Schemas['TaskCountsByStatus'];
export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];
export type BulkResult = Schemas['BulkResult'];
export type Activity = Schemas['Activity'];
export type Comment = Schemas['Comment'];
/** One emoji's reactions to a comment: how many, and whether yours is one. */
export type Reaction = Schemas['Reaction'];
/** A file of a task or of one of its comments; `url` and `thumbnailUrl` are signed and short-lived. */
export type Attachment = Schemas['Attachment'];
export type Notification = Schemas['Notification'];
export type UnreadCount = Schemas['UnreadCount'];
export type Event = Schemas['Event'];
export type EventPage = Schemas['EventPage'];
/** An event type of the log, e.g. `task.updated`. */
export type EventType = Event['event'];
/** The event of one type: `EventOf<'task.created'>['data']['task']` is typed. */
export type EventOf<T extends EventType> = Extract<Event, { event: T }>;
/** A webhook body, `{ type, timestamp, data }`, told apart by `type` (what `verifyWebhook` answers). */
export type WebhookEvent = Schemas['WebhookEvent'];
export type AnalyticsSummary = Schemas['AnalyticsSummary'];
export type CountsReport = Schemas['CountsReport'];
export type ByAssigneeReport = Schemas['ByAssigneeReport'];
export type ByLabelReport = Schemas['ByLabelReport'];
export type AnalyticsTrend = Schemas['AnalyticsTrend'];
export type CycleTimeReport = Schemas['CycleTimeReport'];

export type RegisterInput = RequestBody<'register'>;
export type SignInInput = RequestBody<'login'>;
export type UpdateMeInput = RequestBody<'updateMe'>;
export type EmbedTokenInput = RequestBody<'createEmbedToken'>;
export type UserListQuery = QueryParams<'listUsers'>;
export type CreateUserInput = RequestBody<'createUser'>;
export type UpdateUserInput = RequestBody<'updateUser'>;
export type UpdateWorkspaceInput = RequestBody<'updateWorkspace'>;
export type CreateApiKeyInput = RequestBody<'createApiKey'>;
/** Custom-field filters: `'cf.tier': 'gold,silver'`, `'cf.deal_value.gte': 1000`, `'cf.vip.empty': false`. */
export type CustomFieldFilters = { [filter: `cf.${string}`]: string | number | boolean | undefined };
export type TaskListQuery = QueryParams<'listTasks'> & CustomFieldFilters;
/** The list's filters, for `tasks.counts`. */
export type TaskCountsQuery = QueryParams<'countTasks'> & CustomFieldFilters;
export type CreateTaskInput = RequestBody<'createTask'>;
export type UpdateTaskInput = RequestBody<'updateTask'>;
export type MoveTaskInput = RequestBody<'moveTask'>;
export type BulkTasksInput = RequestBody<'bulkTasks'>;
export type ActivityQuery = QueryParams<'listTaskActivity'>;
export type CommentListQuery = QueryParams<'listComments'>;
export type CreateCommentInput = RequestBody<'createComment'>;
export type UpdateCommentInput = RequestBody<'updateComment'>;
export type AttachmentListQuery = QueryParams<'listAttachments'>;
/** What toggling a reaction answers: the comment's reactions after it. */
export type ReactionList = ResponseBody<'toggleReaction'>;
export type NotificationListQuery = Omit<QueryParams<'listNotifications'>, 'group'>;
export type NotificationGroupQuery = Omit<QueryParams<'listNotifications'>, 'group'>;
/** The bell's row for one task (`client.notifications.listGroups`). */
export type NotificationGroup = Schemas['NotificationGroup'];
/** Your notification preferences: per kind, in the app and by email; the email digest; your time zone. */
export type NotificationPreferences = Schemas['NotificationPreferences'];
export type NotificationPreferencesInput = RequestBody<'updateNotificationPreferences'>;
export type NotificationChannels = Schemas['NotificationChannels'];
/** The workspace's defaults (admins change them), and where emails to embedded users link a task. */
export type NotificationDefaults = Schemas['NotificationDefaults'];
export type NotificationDefaultsInput = RequestBody<'updateNotificationDefaults'>;
/** How many notifications a per-task call changed. */
export type MarkedNotifications = ResponseBody<'markTaskNotificationsRead'>;
export type CalendarFeed = Schemas['CalendarFeed'];
/** A new calendar feed, with its secret `url` (shown only now). */
export type CreatedCalendarFeed = Schemas['CreatedCalendarFeed'];
export type CreateCalendarFeedInput = RequestBody<'createCalendarFeed'>;
/** An export in the background (`client.exports`): its progress, then `download` (a signed URL, valid 15 minutes). */
export type ExportJob = Schemas['ExportJob'];
/** What a background export or import has done so far. */
export type DataJobProgress = Schemas['DataJobProgress'];
export type CreateExportInput = RequestBody<'createExport'>;
export type ExportListQuery = QueryParams<'listExports'>;
/** What `client.tasks.csv` takes: the task list's filters, without paging. */
export type TasksCsvQuery = QueryParams<'exportTasksCsv'>;
export type EventListQuery = QueryParams<'listEvents'>;
export type AnalyticsRangeQuery = QueryParams<'getAnalyticsSummary'>;

export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type CreatedWebhookEndpoint = Schemas['CreatedWebhookEndpoint'];
export type WebhookSecret = Schemas['WebhookSecret'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail'];
export type CreateWebhookInput = RequestBody<'createWebhookEndpoint'>;
export type UpdateWebhookInput = RequestBody<'updateWebhookEndpoint'>;
export type RotateWebhookSecretInput = RequestBody<'rotateWebhookSecret'>;
export type WebhookListQuery = QueryParams<'listWebhookEndpoints'>;
export type WebhookDeliveryListQuery = QueryParams<'listWebhookDeliveries'>;

/** A label of the workspace; a task carries `{ id, name, color }` of each of its own (`TaskLabel`). */
export type Label = Schemas['Label'];
export type TaskLabel = Schemas['TaskLabel'];
export type LabelListQuery = QueryParams<'listLabels'>;
export type CreateLabelInput = RequestBody<'createLabel'>;
export type UpdateLabelInput = RequestBody<'updateLabel'>;
/** A custom field; a task holds its value in `task.fields[field.key]`. */
export type CustomField = Schemas['CustomField'];
/** A choice of a `select` or `multi_select` field (values store its `id`). */
export type FieldOption = Schemas['FieldOption'];
export type FieldType = CustomField['type'];
export type FieldListQuery = QueryParams<'listFields'>;
export type CreateFieldInput = RequestBody<'createField'>;
export type UpdateFieldInput = RequestBody<'updateField'>;
export type SavedView = Schemas['SavedView'];
export type ViewListQuery = QueryParams<'listViews'>;
export type CreateViewInput = RequestBody<'createView'>;
export type UpdateViewInput = RequestBody<'updateView'>;
/** A link between two tasks, read from the side of the task it was listed for. */
export type TaskRelation = Schemas['TaskRelation'];
export type RelationType = TaskRelation['type'];
export type AddRelationInput = RequestBody<'addTaskRelation'>;
export type Watcher = Schemas['Watcher'];
/** A task's watchers and whether the caller is one (what every watchers call answers). */
export type WatcherList = Schemas['WatcherList'];
export type AddWatcherInput = RequestBody<'addTaskWatcher'>;
/** A recurring task's series as a task shows it (`task.recurrence`); set it with `recurrence: { rule, mode }` on create/update, `null` stops it. */
export type Recurrence = Schemas['Recurrence'];
export type RecurrenceInput = Schemas['RecurrenceInput'];
export type RecurrenceMode = Recurrence['mode'];
/** A reminder for one user on one task. */
export type Reminder = Schemas['Reminder'];
export type ReminderList = Schemas['ReminderList'];
export type CreateReminderInput = RequestBody<'createTaskReminder'>;
/** What an import file is: a Taskbase export's zip, a CSV (with a column mapping), a Trello board's JSON, Asana's CSV export. */
export type ImportSource = operations['previewImport']['requestBody']['content']['multipart/form-data']['source'];
/** A look into an import file: a CSV's columns, first rows and suggested mapping; for other sources the tasks found. */
export type ImportPreview = Schemas['ImportPreview'];
/** An import in the background: its progress, and once done what it made and every refused record by line. */
export type ImportJob = Schemas['ImportJob'];
export type ImportResult = Schemas['ImportResult'];
export type ImportRowError = Schemas['ImportRowError'];
export type ImportListQuery = QueryParams<'listImports'>;
/** A CSV's column mapping: column header → target (`title`, `status`, `fields.<key>`, `ignore`, …). */
export type CsvMapping = Record<string, string>;
