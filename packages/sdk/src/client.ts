import { SESSION_PATH } from './core/constants.js';
import { Credentials } from './core/credentials.js';
import { GraphQLError } from './core/errors.js';
import { HttpClient, type RequestOptions } from './core/http.js';
import { resolveOptions, type ClientOptions, type SessionMode } from './core/options.js';
import { RealtimeClient } from './realtime/client.js';
import { Analytics } from './resources/analytics.js';
import { ApiKeys } from './resources/api-keys.js';
import { Auth } from './resources/auth.js';
import { Attachments } from './resources/attachments.js';
import { Exports } from './resources/exports.js';
import { Imports } from './resources/imports.js';
import { Comments } from './resources/comments.js';
import { Events } from './resources/events.js';
import { Notifications } from './resources/notifications.js';
import { Tasks } from './resources/tasks.js';
import { Users } from './resources/users.js';
import { Projects } from './resources/projects.js';
import { Labels } from './resources/labels.js';
import { Fields } from './resources/fields.js';
import { Views } from './resources/views.js';
import { CalendarFeeds } from './resources/calendar-feeds.js';
import { WorkspaceResource } from './resources/workspace.js';
import { Webhooks } from './resources/webhooks.js';
import type { Session } from './types.js';

/** A GraphQL answer without errors. */
export interface GraphQLResponse<T> {
  data: T;
}

/**
 * The Taskbase client: one property per API area, plus realtime and GraphQL.
 * Made by {@link createClient}; `Mode` is its `session` option (it types what
 * a sign-in answers).
 */
export class TaskbaseClient<Mode extends SessionMode = 'token'> {
  readonly auth: Auth<Mode>;
  readonly tasks: Tasks;
  readonly comments: Comments;
  /** Files of tasks and comments. */
  readonly attachments: Attachments;
  readonly notifications: Notifications;
  readonly analytics: Analytics;
  readonly workspace: WorkspaceResource;
  readonly users: Users;
  readonly projects: Projects;
  readonly labels: Labels;
  /** Custom fields. */
  readonly fields: Fields;
  /** Saved views. */
  readonly views: Views;
  /** Secret iCalendar feeds of your tasks with due dates. */
  readonly calendarFeeds: CalendarFeeds;
  readonly apiKeys: ApiKeys;
  readonly events: Events;
  readonly webhooks: Webhooks;
  /** A zip of the workspace (or what you can see) or a CSV of tasks, made in the background. */
  readonly exports: Exports;
  /** Bringing tasks in from files (admins). */
  readonly imports: Imports;
  readonly realtime: RealtimeClient;
  /** @internal */
  readonly http: HttpClient;

  constructor(options: ClientOptions) {
    const resolved = resolveOptions(options);
    let http: HttpClient | undefined;
    const credentials = new Credentials({
      token: resolved.token,
      tokenProvider: resolved.tokenProvider,
      storage: resolved.storage,
      storageKey: resolved.storageKey,
      // A browser session presents its cookie instead of a token.
      refresh: (refreshToken) =>
        http!.request<Session>(
          resolved.session === 'browser'
            ? { method: 'POST', path: `${SESSION_PATH}/refresh`, auth: false, retry: false }
            : { method: 'POST', path: '/api/auth/refresh', body: { refreshToken }, auth: false, retry: false },
        ),
    });
    this.http = http = new HttpClient(resolved, credentials);
    this.auth = new Auth(http, credentials);
    this.tasks = new Tasks(http);
    this.comments = new Comments(http);
    this.attachments = new Attachments(http);
    this.notifications = new Notifications(http);
    this.analytics = new Analytics(http);
    this.workspace = new WorkspaceResource(http);
    this.users = new Users(http);
    this.projects = new Projects(http);
    this.labels = new Labels(http);
    this.fields = new Fields(http);
    this.views = new Views(http);
    this.calendarFeeds = new CalendarFeeds(http);
    this.apiKeys = new ApiKeys(http);
    this.events = new Events(http);
    this.webhooks = new Webhooks(http);
    this.exports = new Exports(http);
    this.imports = new Imports(http);
    this.realtime = new RealtimeClient({
      baseUrl: resolved.baseUrl,
      WebSocket: resolved.WebSocket,
      getToken: () => credentials.get(),
      renewToken: () => credentials.renew(),
      reconnectBaseDelay: resolved.reconnectBaseDelay,
      reconnectMaxDelay: resolved.reconnectMaxDelay,
    });
  }

  /**
   * Runs a GraphQL query or mutation (POST /graphql) and returns its `data`;
   * an answer with `errors` rejects with a {@link GraphQLError}.
   * @example
   * const { tasks } = await client.graphql<{ tasks: { nodes: { id: string }[] } }>('{ tasks { nodes { id } } }');
   */
  async graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<T> {
    const answer = await this.http.request<{ data?: T | null; errors?: GraphQLError['errors'] }>({
      method: 'POST',
      path: '/graphql',
      body: variables === undefined ? { query } : { query, variables },
      // GraphQL has no Idempotency-Key: only queries are safe to repeat.
      retry: !/^\s*mutation\b/.test(query),
      options,
    });
    if (answer.errors?.length) throw new GraphQLError(answer.errors.map((error) => error.message).join('; '), answer.errors, { code: 'graphql_error' });
    return answer.data as T;
  }
}

/**
 * Creates a client. Authenticate with a fixed `token`, a `tokenProvider`, or
 * later through `client.auth.signIn()` (with `session: 'browser'`, an app on
 * the API's origin keeps that sign-in in an HttpOnly cookie).
 * @example
 * const client = createClient({ url: 'https://tasks.example.com', tokenProvider: () => fetchEmbedToken() });
 * const { data } = await client.tasks.list({ status: ['todo'], assignee: 'me' });
 * @example
 * const app = createClient({ url: location.origin, session: 'browser' });
 */
export function createClient(options: ClientOptions & { session: 'browser' }): TaskbaseClient<'browser'>;
export function createClient(options: ClientOptions): TaskbaseClient;
export function createClient(options: ClientOptions): TaskbaseClient<SessionMode> {
  return new TaskbaseClient(options);
}
