import type { Topic } from '../../src/events/topics.js';

/**
 * Who calls. "A" is the workspace under test; its fixtures are owned by
 * `member` (tasks it created, comments it wrote, notifications it received).
 * `peer` is another member of A with no tie to those fixtures. `foreign` is
 * the admin of workspace B, sending A's real ids.
 */
export const PRINCIPALS = [
  'anonymous',
  /** Claims to be A's admin, signed with the wrong secret. */
  'badToken',
  /** A's admin, signed with the right secret, expired. */
  'expiredToken',
  /** A once-valid token of a user A has since deactivated. */
  'deactivated',
  /** A's API key presented as a bearer token: it is not a user's token. */
  'apiKey',
  'admin',
  'manager',
  'member',
  'peer',
  'foreign',
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** The principals that hold a valid user token; every rule has a column for each. */
export type Column = 'admin' | 'manager' | 'member' | 'peer' | 'foreign';
export const COLUMNS: readonly Column[] = ['admin', 'manager', 'member', 'peer', 'foreign'];
export const isColumn = (principal: Principal): principal is Column => (COLUMNS as readonly string[]).includes(principal);

/**
 * An outcome. `ok`: 2xx (GraphQL: no error; realtime: receives A's event).
 * `own`: 2xx with nothing of workspace A in it (realtime: subscribed, but
 * only its own events arrive). `limited`: 2xx, but only the caller's share:
 * none of the member's notifications, no task figures (the caller owns no
 * task), no admin-only events. A number: that HTTP status (GraphQL: the
 * matching error code; realtime: 404 is a `not_found` subscribe error).
 */
export type Outcome = 'ok' | 'own' | 'limited' | 401 | 403 | 404 | 422;
export type Columns = Record<Column, Outcome>;

export type RestRule =
  /** No authentication: every principal gets the same (successful) answer. */
  | { auth: 'public' }
  /** Only an API key opens it; user tokens, valid or not, are refused with 401. */
  | { auth: 'apiKey' }
  | ({ auth: 'user' } & Columns);

// Shared policies, so REST and GraphQL visibly apply the same ones.
/** Anyone signed in; B's admin sees only B. */
const anyone: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 'ok', foreign: 'own' };
/** An object of A any of A's users may reach; B gets 404, never 403, so ids do not leak. */
const anyonesObject: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 'ok', foreign: 404 };
/** Admin-only, workspace-wide (lists, creation). */
const adminsOnly: Columns = { admin: 'ok', manager: 403, member: 403, peer: 403, foreign: 'own' };
/** Admin-only, one object of A. */
const adminsObject: Columns = { admin: 'ok', manager: 403, member: 403, peer: 403, foreign: 404 };
/** A reminder of A's member: its user, managers and admins; no one else finds it. */
const removeReminder: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 404, foreign: 404 };
/** Changing a task: managers and admins, or a member involved in it. */
const changeTask: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 403, foreign: 404 };
/** Editing a comment: its author only. */
const editComment: Columns = { admin: 403, manager: 403, member: 'ok', peer: 403, foreign: 404 };
/** Deleting a comment: its author, managers and admins. */
const deleteComment: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 403, foreign: 404 };
/** Removing an attachment: its uploader (A's member), managers and admins. */
const removeAttachment: Columns = deleteComment;
/** A notification is its recipient's alone: anyone else gets 404. */
const recipientOnly: Columns = { admin: 404, manager: 404, member: 'ok', peer: 404, foreign: 404 };
/** Your own notifications only: A's other users have none of the member's. */
const ownNotifications: Columns = { admin: 'limited', manager: 'limited', member: 'ok', peer: 'limited', foreign: 'own' };
/** Your own calendar feeds only: A's other users have none of the member's. */
const ownCalendarFeeds: Columns = ownNotifications;
/** Exports: their creator's, and every one of the workspace for its admins. */
const ownExports: Columns = { admin: 'ok', manager: 'limited', member: 'ok', peer: 'limited', foreign: 'own' };
/** One export of A's member: the member and A's admins; no one else finds it. */
const memberOrAdmins: Columns = { admin: 'ok', manager: 404, member: 'ok', peer: 404, foreign: 404 };
/** Members' figures cover the tasks they created or are assigned to; `peer` has none. */
const taskFigures: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 'limited', foreign: 'own' };
/** The event log: only admins see key, workspace and webhook administration. */
const eventLog: Columns = { admin: 'ok', manager: 'limited', member: 'limited', peer: 'limited', foreign: 'own' };
/** Creating a task assigned to A's member: B's admin cannot assign to someone outside B. */
const createAssignedTask: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 'ok', foreign: 422 };
/** Creating a project: managers and admins. */
const createProject: Columns = { admin: 'ok', manager: 'ok', member: 403, peer: 403, foreign: 'own' };
/** Editing a project, its workflow or members: managers, admins and its lead (A's member leads the fixtures). */
const changeProject: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 403, foreign: 404 };
/** Archiving or deleting a project: managers and admins, not its lead. */
const archiveProject: Columns = { admin: 'ok', manager: 'ok', member: 403, peer: 403, foreign: 404 };

/** Labels and custom fields: admins and managers shape them (B's admin, in B). */
const configureTasks: Columns = createProject;
/** One label or field of A: admins and managers change it. */
const changeConfiguration: Columns = archiveProject;
/** A view A's member shared: its owner, and managers and admins. */
const changeSharedView: Columns = { admin: 'ok', manager: 'ok', member: 'ok', peer: 403, foreign: 404 };

const user = (columns: Columns): RestRule => ({ auth: 'user', ...columns });

/**
 * Every REST operation, keyed `METHOD /openapi/path`. The matrix test fails
 * for a documented operation missing here and for an entry the document no
 * longer has.
 */
export const REST_RULES: Record<string, RestRule> = {
  'POST /api/auth/register': { auth: 'public' },
  'POST /api/auth/login': { auth: 'public' },
  'POST /api/auth/refresh': { auth: 'public' },
  'POST /api/auth/logout': { auth: 'public' },
  'POST /api/auth/session': { auth: 'public' },
  'GET /api/auth/demo': { auth: 'public' },
  'POST /api/auth/session/refresh': { auth: 'public' },
  'DELETE /api/auth/session': { auth: 'public' },
  'GET /api/auth/me': user(anyone),
  'PATCH /api/auth/me': user(anyone),
  'POST /api/auth/embed-token': { auth: 'apiKey' },

  'GET /api/workspace': user(anyone),
  'PATCH /api/workspace': user(adminsOnly),

  'GET /api/users': user(anyone),
  'POST /api/users': user(adminsOnly),
  'GET /api/users/{id}': user(anyonesObject),
  'PATCH /api/users/{id}': user(adminsObject),

  'GET /api/api-keys': user(adminsOnly),
  'POST /api/api-keys': user(adminsOnly),
  'DELETE /api/api-keys/{id}': user(adminsObject),

  'GET /api/projects': user(anyone),
  'POST /api/projects': user(createProject),
  'PUT /api/projects/by-external-id/{externalId}': user(createProject),
  'GET /api/projects/{project}': user(anyonesObject),
  'PATCH /api/projects/{project}': user(changeProject),
  'DELETE /api/projects/{project}': user(archiveProject),
  'GET /api/projects/{project}/statuses': user(anyonesObject),
  'POST /api/projects/{project}/statuses': user(changeProject),
  'PUT /api/projects/{project}/statuses/order': user(changeProject),
  'PATCH /api/projects/{project}/statuses/{key}': user(changeProject),
  'DELETE /api/projects/{project}/statuses/{key}': user(changeProject),
  'GET /api/projects/{project}/members': user(anyonesObject),
  'POST /api/projects/{project}/members': user(changeProject),
  'DELETE /api/projects/{project}/members/{userId}': user(changeProject),

  'GET /api/tasks': user(anyone),
  'GET /api/tasks/counts': user(anyone),
  'POST /api/tasks': user(createAssignedTask),
  // Per item: the item's error is the outcome (the request itself answers 200).
  'POST /api/tasks/bulk': user(changeTask),
  'GET /api/tasks/{id}': user(anyonesObject),
  'PATCH /api/tasks/{id}': user(changeTask),
  'DELETE /api/tasks/{id}': user(changeTask),
  'POST /api/tasks/{id}/move': user(changeTask),
  'GET /api/tasks/{id}/activity': user(anyonesObject),

  'GET /api/tasks/{id}/relations': user(anyonesObject),
  'POST /api/tasks/{id}/relations': user(changeTask),
  'DELETE /api/tasks/{id}/relations/{relationId}': user(changeTask),
  // Anyone who sees a task may watch it; removing someone else (A's member, here) is for managers and admins.
  'GET /api/tasks/{id}/watchers': user(anyonesObject),
  'POST /api/tasks/{id}/watchers': user(anyonesObject),
  'DELETE /api/tasks/{id}/watchers/{userId}': user(changeTask),
  // Anyone who sees a task sets their own reminders; someone else's (A's member's) is for managers and admins, and not there for others.
  'GET /api/tasks/{id}/reminders': user(anyonesObject),
  'POST /api/tasks/{id}/reminders': user(anyonesObject),
  'DELETE /api/tasks/{id}/reminders/{reminderId}': user(removeReminder),

  'GET /api/labels': user(anyone),
  'POST /api/labels': user(configureTasks),
  'PATCH /api/labels/{id}': user(changeConfiguration),
  'DELETE /api/labels/{id}': user(changeConfiguration),
  'GET /api/fields': user(anyone),
  'POST /api/fields': user(configureTasks),
  'PATCH /api/fields/{key}': user(changeConfiguration),
  'DELETE /api/fields/{key}': user(changeConfiguration),
  'GET /api/views': user(anyone),
  'POST /api/views': user(anyone),
  'GET /api/views/{id}': user(anyonesObject),
  'PATCH /api/views/{id}': user(changeSharedView),
  'DELETE /api/views/{id}': user(changeSharedView),

  'GET /api/tasks/{id}/comments': user(anyonesObject),
  'POST /api/tasks/{id}/comments': user(anyonesObject),
  'PATCH /api/tasks/{id}/comments/{commentId}': user(editComment),
  'DELETE /api/tasks/{id}/comments/{commentId}': user(deleteComment),
  'POST /api/tasks/{id}/comments/{commentId}/reactions': user(anyonesObject),
  'GET /api/tasks/{id}/attachments': user(anyonesObject),
  'POST /api/tasks/{id}/attachments': user(anyonesObject),
  'POST /api/tasks/{id}/comments/{commentId}/attachments': user(editComment),
  'GET /api/tasks/{id}/attachments/{attachmentId}': user(anyonesObject),
  'DELETE /api/tasks/{id}/attachments/{attachmentId}': user(removeAttachment),
  'GET /api/attachments/{attachmentId}/content': user(anyonesObject),
  'POST /api/imports/preview': user(adminsOnly),
  // Imports: admins only, each workspace's own (B's admin imports into B, and finds none of A's).
  'POST /api/imports': user(adminsOnly),
  'GET /api/imports': user(adminsOnly),
  'GET /api/imports/{id}': user(adminsObject),
  'POST /api/imports/{id}/cancel': user(adminsObject),
  // The signed URL is the credential: whoever holds it gets the bytes, whatever token they send.
  'GET /api/files/{fileId}': { auth: 'public' },

  'GET /api/notifications': user(ownNotifications),
  'GET /api/notifications/unread-count': user(ownNotifications),
  'POST /api/notifications/read-all': user(anyone),
  // Preferences are the caller's own; the workspace's defaults are read by anyone, changed by admins.
  'GET /api/notifications/preferences': user(anyone),
  'PUT /api/notifications/preferences': user(anyone),
  'GET /api/workspace/notification-defaults': user(anyone),
  'PUT /api/workspace/notification-defaults': user(adminsOnly),
  'POST /api/notifications/{id}/read': user(recipientOnly),
  // Per task: each caller changes only their own notifications (none, for anyone but A's member).
  'POST /api/notifications/tasks/{taskId}/read': user(anyone),
  'POST /api/notifications/tasks/{taskId}/archive': user(anyone),
  'POST /api/notifications/tasks/{taskId}/unarchive': user(anyone),
  'POST /api/notifications/{id}/archive': user(recipientOnly),
  'POST /api/notifications/{id}/unarchive': user(recipientOnly),
  // Calendar feeds are their owner's alone; the .ics URL's secret is its only credential.
  'GET /api/calendar/feeds': user(ownCalendarFeeds),
  'POST /api/calendar/feeds': user(anyone),
  'DELETE /api/calendar/feeds/{id}': user(recipientOnly),
  'GET /api/calendar/{secret}.ics': { auth: 'public' },
  // Exports: anyone exports what they can see; the signed download URL is the file's only credential.
  'POST /api/exports': user(anyone),
  'GET /api/exports': user(ownExports),
  'GET /api/exports/{id}': user(memberOrAdmins),
  'GET /api/exports/{id}/download': { auth: 'public' },
  'GET /api/tasks.csv': user(anyone),

  'GET /api/events': user(eventLog),

  'GET /api/analytics/summary': user(taskFigures),
  'GET /api/analytics/counts': user(taskFigures),
  'GET /api/analytics/by-assignee': user(taskFigures),
  'GET /api/analytics/by-label': user(taskFigures),
  'GET /api/analytics/trend': user(taskFigures),
  'GET /api/analytics/cycle-time': user(taskFigures),

  'GET /api/webhooks/event-types': user(adminsOnly),
  'GET /api/webhooks': user(adminsOnly),
  'POST /api/webhooks': user(adminsOnly),
  'GET /api/webhooks/{id}': user(adminsObject),
  'PATCH /api/webhooks/{id}': user(adminsObject),
  'DELETE /api/webhooks/{id}': user(adminsObject),
  'GET /api/webhooks/{id}/secret': user(adminsObject),
  'POST /api/webhooks/{id}/rotate-secret': user(adminsObject),
  'POST /api/webhooks/{id}/test': user(adminsObject),
  'GET /api/webhooks/{id}/deliveries': user(adminsObject),
  'GET /api/webhooks/{id}/deliveries/{deliveryId}': user(adminsObject),
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/resend': user(adminsObject),
};

/** Events only admins may see, on every channel (as src/events/visibility.ts canSee decides). */
export const ADMIN_ONLY_EVENT = /^(api_key|workspace|webhook)\./;

/** What a REST rule expects of a principal. */
export function expectedRest(rule: RestRule, principal: Principal): Outcome {
  if (rule.auth === 'public') return 'ok';
  if (rule.auth === 'apiKey') return principal === 'apiKey' ? 'ok' : 401;
  return isColumn(principal) ? rule[principal] : 401;
}

/**
 * Every root field of the GraphQL schema, keyed `Type.field`. Without a
 * valid user token every one answers UNAUTHENTICATED (HTTP 401).
 * Subscriptions: `ok` receives A's event, `own` only its own events.
 */
export const GRAPHQL_RULES: Record<string, Columns> = {
  'Query.tasks': anyone,
  'Query.taskCounts': anyone,
  'Query.task': anyonesObject,
  'Query.projects': anyone,
  'Query.project': anyonesObject,
  'Query.me': anyone,
  'Query.user': anyonesObject,
  'Query.users': anyone,
  'Query.notifications': ownNotifications,
  'Query.notificationPreferences': anyone,
  'Query.notificationDefaults': anyone,
  'Mutation.updateNotificationPreferences': anyone,
  'Mutation.updateNotificationDefaults': adminsOnly,
  'Query.unreadNotificationCount': ownNotifications,
  'Query.notificationGroups': ownNotifications,
  'Query.calendarFeeds': ownCalendarFeeds,
  'Query.exports': ownExports,
  'Query.export': memberOrAdmins,
  'Query.imports': adminsOnly,
  'Query.import': adminsObject,
  'Query.analytics': taskFigures,
  'Query.labels': anyone,
  'Query.fields': anyone,
  'Query.views': anyone,
  'Query.view': anyonesObject,

  'Mutation.createTask': createAssignedTask,
  'Mutation.updateTask': changeTask,
  'Mutation.moveTask': changeTask,
  'Mutation.deleteTask': changeTask,
  'Mutation.createProject': createProject,
  'Mutation.upsertProjectByExternalId': createProject,
  'Mutation.updateProject': changeProject,
  'Mutation.deleteProject': archiveProject,
  'Mutation.addProjectStatus': changeProject,
  'Mutation.updateProjectStatus': changeProject,
  'Mutation.removeProjectStatus': changeProject,
  'Mutation.reorderProjectStatuses': changeProject,
  'Mutation.addProjectMember': changeProject,
  'Mutation.removeProjectMember': changeProject,
  'Mutation.createComment': anyonesObject,
  'Mutation.updateComment': editComment,
  'Mutation.deleteComment': deleteComment,
  'Mutation.toggleReaction': anyonesObject,
  'Mutation.deleteAttachment': removeAttachment,
  'Mutation.markNotificationRead': recipientOnly,
  'Mutation.markAllNotificationsRead': anyone,
  'Mutation.markTaskNotificationsRead': anyone,
  'Mutation.archiveNotifications': anyone,
  'Mutation.createCalendarFeed': anyone,
  'Mutation.startExport': anyone,
  'Mutation.revokeCalendarFeed': recipientOnly,
  'Mutation.addTaskRelation': changeTask,
  'Mutation.removeTaskRelation': changeTask,
  // Anyone who sees a task may watch it; removing someone else (A's member, here) is for managers and admins.
  'Mutation.watchTask': anyonesObject,
  'Mutation.unwatchTask': changeTask,
  'Mutation.createTaskReminder': anyonesObject,
  'Mutation.deleteTaskReminder': removeReminder,
  'Mutation.createLabel': configureTasks,
  'Mutation.updateLabel': changeConfiguration,
  'Mutation.deleteLabel': changeConfiguration,
  'Mutation.createField': configureTasks,
  'Mutation.updateField': changeConfiguration,
  'Mutation.deleteField': changeConfiguration,
  'Mutation.createView': anyone,
  'Mutation.updateView': changeSharedView,
  'Mutation.deleteView': changeSharedView,

  // Filtered to A's task: B's admin must receive nothing of it.
  'Subscription.taskChanged': anyone,
  // The member's notification reaches the member alone.
  'Subscription.notificationAdded': { admin: 'own', manager: 'own', member: 'ok', peer: 'own', foreign: 'own' },
};

export function expectedGraphql(columns: Columns, principal: Principal): Outcome {
  return isColumn(principal) ? columns[principal] : 401;
}

/** The GraphQL error code an HTTP-status outcome stands for (as src/graphql/errors.ts maps them). */
export const GRAPHQL_CODES: Record<Exclude<Outcome, 'ok' | 'own' | 'limited'>, string> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  422: 'VALIDATION_FAILED',
};

/**
 * Every realtime topic kind the hub accepts, with its name (`<id>` is A's
 * task). Keyed by the hub's own Topic type, so a new kind does not compile
 * until it has a rule here. The event is a change to A's task (created by
 * `member`), which also notifies `member`.
 */
export const TOPIC_RULES: Record<Topic['kind'], { pattern: string; columns: Columns; silent?: true }> = {
  tasks: { pattern: 'tasks', columns: anyone },
  task: { pattern: 'task:<id>', columns: anyonesObject },
  // <id> here is the project of A's task (A's default project).
  project: { pattern: 'project:<id>', columns: anyonesObject },
  notifications: { pattern: 'notifications', columns: { admin: 'own', manager: 'own', member: 'ok', peer: 'own', foreign: 'own' } },
  // The subscriber's own exports and imports only: neither A's change nor a sentinel task ever reaches it (`silent`).
  jobs: { pattern: 'jobs', columns: { admin: 'own', manager: 'own', member: 'own', peer: 'own', foreign: 'own' }, silent: true },
};

/** How a socket without a valid user token is refused: an error frame per subscribe, or a close code. */
export const SOCKET_REFUSALS: Record<Exclude<Principal, Column>, { error: string } | { close: number; reason: string }> = {
  anonymous: { error: 'unauthenticated' },
  badToken: { close: 4401, reason: 'invalid token' },
  expiredToken: { close: 4401, reason: 'token expired' },
  deactivated: { close: 4403, reason: 'account deactivated' },
  apiKey: { close: 4401, reason: 'invalid token' },
};
