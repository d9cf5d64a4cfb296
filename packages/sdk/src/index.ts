// The public API of @taskbase/sdk. Everything else is internal.
export { createClient, TaskbaseClient } from './client.js';
export type { GraphQLResponse } from './client.js';
export type { ClientOptions, SessionMode, WebSocketConstructor, WebSocketLike } from './core/options.js';
export type { TokenProvider, SessionTokens } from './core/credentials.js';
export type { RequestOptions } from './core/http.js';
export { memoryStorage, localStorageStorage } from './core/storage.js';
export type { TokenStorage } from './core/storage.js';
export {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  TOKEN_EXPIRY_MARGIN_MS,
  DEFAULT_STORAGE_KEY,
  DEFAULT_RECONNECT_BASE_DELAY_MS,
  DEFAULT_RECONNECT_MAX_DELAY_MS,
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
} from './core/constants.js';
export {
  TaskbaseError,
  ValidationError,
  AuthenticationError,
  PermissionError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  ConnectionError,
  TimeoutError,
  AbortError,
  GraphQLError,
} from './core/errors.js';
export type { Problem, FieldError } from './core/errors.js';
export type { Auth, SignedIn } from './resources/auth.js';
export type { Tasks, WriteOptions } from './resources/tasks.js';
export type { Comments } from './resources/comments.js';
export type { Attachments, UploadOptions, UploadBody } from './resources/attachments.js';
export type { Notifications } from './resources/notifications.js';
export type { Analytics } from './resources/analytics.js';
export type { Users } from './resources/users.js';
export type { Projects } from './resources/projects.js';
export type { Labels } from './resources/labels.js';
export type { Fields } from './resources/fields.js';
export type { Views } from './resources/views.js';
export type { CalendarFeeds } from './resources/calendar-feeds.js';
export type { Exports } from './resources/exports.js';
export type { TaskRelations, TaskWatchers } from './resources/task-links.js';
export type { TaskReminders } from './resources/task-reminders.js';
export type { WorkspaceResource } from './resources/workspace.js';
export type { ApiKeys } from './resources/api-keys.js';
export type { Events } from './resources/events.js';
export type { Webhooks } from './resources/webhooks.js';
export type { Imports, PreviewOptions, CreateImportOptions } from './resources/imports.js';
export type { RealtimeClient } from './realtime/client.js';
export type { RealtimeState, RealtimeTopic, RealtimeEvent, RealtimeSubscribed, RealtimeResync, RealtimeError, RealtimeMessage, RealtimeHandler } from './realtime/types.js';
export { verifyWebhook, WebhookVerificationError } from './webhooks/verify.js';
export type { VerifyWebhookOptions } from './webhooks/verify.js';
export type {
  Page,
  Session,
  User,
  Workspace,
  Me,
  UpdatedMe,
  BrowserSession,
  EmbedToken,
  ApiKey,
  CreatedApiKey,
  Task,
  Project,
  WorkflowStatus,
  StatusCategory,
  ProjectMember,
  RemovedProject,
  ProjectRef,
  ProjectListQuery,
  CreateProjectInput,
  UpdateProjectInput,
  UpsertProjectInput,
  AddStatusInput,
  UpdateStatusInput,
  TaskStatus,
  TaskPriority,
  BulkResult,
  Activity,
  Comment,
  Reaction,
  ReactionList,
  Attachment,
  AttachmentListQuery,
  ImportSource,
  ImportPreview,
  ImportJob,
  ImportResult,
  ImportRowError,
  ImportListQuery,
  CsvMapping,
  Notification,
  UnreadCount,
  Event,
  EventPage,
  EventType,
  EventOf,
  WebhookEvent,
  AnalyticsSummary,
  CountsReport,
  TaskCounts,
  TaskCountsQuery,
  ByAssigneeReport,
  ByLabelReport,
  CustomFieldFilters,
  AnalyticsTrend,
  CycleTimeReport,
  RegisterInput,
  SignInInput,
  UpdateMeInput,
  EmbedTokenInput,
  UserListQuery,
  CreateUserInput,
  UpdateUserInput,
  UpdateWorkspaceInput,
  CreateApiKeyInput,
  TaskListQuery,
  CreateTaskInput,
  UpdateTaskInput,
  MoveTaskInput,
  BulkTasksInput,
  ActivityQuery,
  CommentListQuery,
  CreateCommentInput,
  UpdateCommentInput,
  NotificationListQuery,
  NotificationGroupQuery,
  NotificationGroup,
  NotificationPreferences,
  NotificationPreferencesInput,
  NotificationChannels,
  NotificationDefaults,
  NotificationDefaultsInput,
  MarkedNotifications,
  CalendarFeed,
  CreatedCalendarFeed,
  CreateCalendarFeedInput,
  ExportJob,
  DataJobProgress,
  CreateExportInput,
  ExportListQuery,
  TasksCsvQuery,
  EventListQuery,
  AnalyticsRangeQuery,
  WebhookEndpoint,
  CreatedWebhookEndpoint,
  WebhookSecret,
  WebhookDelivery,
  WebhookDeliveryDetail,
  CreateWebhookInput,
  UpdateWebhookInput,
  RotateWebhookSecretInput,
  WebhookListQuery,
  WebhookDeliveryListQuery,
  Label,
  TaskLabel,
  LabelListQuery,
  CreateLabelInput,
  UpdateLabelInput,
  CustomField,
  FieldOption,
  FieldType,
  FieldListQuery,
  CreateFieldInput,
  UpdateFieldInput,
  SavedView,
  ViewListQuery,
  CreateViewInput,
  UpdateViewInput,
  TaskRelation,
  RelationType,
  AddRelationInput,
  Watcher,
  WatcherList,
  AddWatcherInput,
  Recurrence,
  RecurrenceInput,
  RecurrenceMode,
  Reminder,
  ReminderList,
  CreateReminderInput,
  RequestBody,
  QueryParams,
  ResponseBody,
} from './types.js';
export type { paths, components, operations } from './generated/openapi.js';
