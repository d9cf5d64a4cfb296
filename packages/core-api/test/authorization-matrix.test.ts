import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopic, type Topic } from '../src/events/topics.js';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import {
  ADMIN_ONLY_EVENT,
  COLUMNS,
  GRAPHQL_CODES,
  GRAPHQL_RULES,
  PRINCIPALS,
  REST_RULES,
  SOCKET_REFUSALS,
  TOPIC_RULES,
  expectedGraphql,
  expectedRest,
  isColumn,
  type Column,
  type Outcome,
  type Principal,
  type RestRule,
} from './support/access-rules.js';
import { TestClient, createTeam, isProblem, multipartFile, uniqueEmail, type Team, type TestResponse } from './support/client.js';
import { gql } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';
import { TestSocket } from './support/ws.js';

/*
 * The authorization matrix: every REST operation of the served OpenAPI
 * document, every root GraphQL field and every realtime topic, called by
 * every principal of access-rules.ts, judged against that file's rules.
 *
 * Refused calls target shared fixtures of workspace A, which must be
 * unchanged afterwards; allowed writes get a fresh fixture each, so that
 * deleting or editing one never disturbs another case.
 */

const PASSWORD = 'correct horse battery';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const HOOK_URL = 'http://127.0.0.1:9/hook';
/**
 * Endpoints are created disabled: no worker then fans events out to them or
 * claims their deliveries (other test files' workers share a PostgreSQL),
 * so nothing but this test changes them between two snapshots.
 */
const HOOK = { url: HOOK_URL, enabled: false };

/** Objects of workspace A a call can target; all owned by A's member where ownership exists. */
type Kind =
  | 'task'
  | 'comment'
  | 'user'
  | 'apiKey'
  | 'webhook'
  | 'delivery'
  | 'notification'
  | 'project'
  | 'projectStatus'
  | 'projectMember'
  | 'externalProject'
  | 'relation'
  | 'watcher'
  | 'label'
  | 'field'
  | 'view'
  | 'attachment'
  | 'calendarFeed'
  | 'reminder'
  | 'export'
  | 'import';
/** Path parameters (and body ids) a fixture provides: `{id}`, `{commentId}`, `{deliveryId}`, `{project}`, `{key}`… */
type Params = Record<string, number | string>;

interface CallContext {
  principal: Principal;
  params: Params;
}

interface RestRecipe {
  /** The fixture whose ids fill the path (and body). */
  target?: Kind;
  /** The query string, or one made from the fixture (a signed URL's). */
  query?: string | ((params: Params) => string);
  body?: (context: CallContext) => unknown;
  /** The body is one file, as multipart/form-data (a marked text file, or this text with these text parts). */
  upload?: boolean | { text: string; fields: Record<string, string> };
  /** A redirect is the answer, not followed. */
  redirect?: 'manual';
  /** Request headers besides the principal's token (a cookie, a CSRF header). */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  /** The outcome's status when the HTTP status is not it (bulk reports per item). */
  status?: (response: TestResponse) => number;
  /** The `data` of a list: whose ids must not be A's when B's admin reads it. */
  lists?: Kind | 'event';
  /** Figures of the caller's workspace: B has no tasks or notifications, so for B every number is 0. */
  figures?: boolean;
  /** What a `limited` caller must not see in the answer. */
  limited?: (body: any) => string[];
}

interface GraphqlRecipe {
  target?: Kind;
  document: string;
  variables?: () => Record<string, unknown>;
  /** The connection nodes in `data`, and whose ids they must not be for B. */
  nodes?: { of: (data: any) => any[]; kind: Kind };
  figures?: boolean;
  limited?: (data: any) => string[];
}

/** Item errors of a bulk request, as statuses (the request itself answers 200). */
function bulkItemStatus(response: TestResponse): number {
  const item = response.body?.results?.[0];
  if (response.status !== 200 || item?.status !== 'error') return response.status;
  return ({ not_found: 404, forbidden: 403 } as Record<string, number>)[item.error.code] ?? 422;
}

/** Signed URLs change with their expiry window, not with the data: left out of "did A change?". */
const withoutSignedUrls = (key: string, value: unknown) => (key === 'url' || key === 'thumbnailUrl' ? undefined : value);

const fail = (what: string, response: { status: number; body: unknown }): never => {
  throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
};

const brief = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body) ?? '').slice(0, 200);

/** Runs `run` over items, `size` at a time, keeping order. */
async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

/** Every number anywhere in a value. */
function numbersIn(value: unknown, found: number[] = []): number[] {
  if (typeof value === 'number') found.push(value);
  else if (Array.isArray(value)) for (const item of value) numbersIn(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) numbersIn(item, found);
  return found;
}

/** Every `workspaceId` property anywhere in a value. */
function workspaceIdsIn(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) workspaceIdsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'workspaceId') found.push(item);
      else workspaceIdsIn(item, found);
    }
  }
  return found;
}

/** A GraphQL subscription over SSE, read with fetch; events are recorded as they arrive. */
class EventStream {
  readonly events: any[] = [];
  /** The body of a response that did not open a stream. */
  refusal: any;
  private rest = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(baseUrl: string, token: string | undefined, query: string, variables: Record<string, unknown>): Promise<EventStream> {
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    const stream = new EventStream(response.status, abort);
    if (response.status === 200) void stream.read(response.body!);
    // A refusal is a whole response: JSON, or a one-event stream (yoga answers 401 both ways).
    else stream.refusal = response.headers.get('content-type')?.startsWith('text/event-stream') ? stream.parse(await response.text())[0] : await response.json();
    return stream;
  }

  /** The `next` events of SSE text; whatever follows the last blank line is kept for the next chunk. */
  private parse(text: string): any[] {
    const messages = text.split('\n\n');
    this.rest = messages.pop()!;
    return messages
      .filter((message) => message.startsWith('event: next'))
      .map((message) => JSON.parse(message.split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.events.push(...this.parse(this.rest + decoder.decode(value, { stream: true })));
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // aborted by close()
    }
  }

  async until(match: (event: any) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some(match)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

/**
 * A live feed one principal holds (a socket topic or an SSE stream) and what
 * it should see of a change to A's task: `ok` receives it; `own` receives
 * its own sentinel and not A's change; `silent` (no sentinel can reach it)
 * holds nothing of A's change once every other feed has been served.
 */
interface Feed {
  label: string;
  principal: Column;
  expect: 'ok' | 'own' | 'silent';
  /** Task ids of the events received so far. */
  taskIds(): number[];
  waitFor(taskId: number, what: string): Promise<void>;
}

describe(`authorization matrix (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let a: Team;
  let b: Team;
  /** In every name and title of A, so any of A's data in a response is easy to spot. */
  const marker = `mx${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const tokens = {} as Record<Principal, string | undefined>;
  const names = {} as Record<Column, string>;
  const workspaceNames = {} as Record<Column, string>;
  /** User ids of the principals of A, for sentinels (peer is replaced by each matrix). */
  const userIds = {} as Record<'admin' | 'manager' | 'member' | 'peer', number>;
  const shared = {} as Record<Kind, Params>;
  /** Ids of A's objects by kind, for the "nothing of A" checks. */
  const aIds = Object.fromEntries(
    ['task', 'comment', 'user', 'apiKey', 'webhook', 'delivery', 'notification', 'project', 'projectStatus', 'projectMember', 'externalProject', 'relation', 'watcher', 'label', 'field', 'view', 'attachment', 'calendarFeed', 'reminder', 'export', 'import'].map(
      (k) => [k, new Set<number>()],
    ),
  ) as Record<
    Kind,
    Set<number>
  >;
  const streams: EventStream[] = [];
  const sockets: TestSocket[] = [];

  const body = async (what: string, pending: Promise<TestResponse>) => {
    const response = await pending;
    return response.status >= 200 && response.status < 300 ? response.body : fail(what, response);
  };
  const remember = (kind: Kind, id: number) => (aIds[kind].add(id), id);

  /** Creates a fresh object of A, owned by A's member where ownership exists. */
  const make: Record<Kind, () => Promise<Params>> = {
    // A project A's member leads (so the member may edit it, not archive it).
    project: async () => {
      const key = `M${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
      const project = await body('create project', client.post('/api/projects', { key, name: `Project ${marker}`, leadId: a.member.id }, { token: a.admin.token }));
      return { project: remember('project', project.id) };
    },
    projectStatus: async () => {
      const { project } = await make.project();
      await body('add status', client.post(`/api/projects/${project}/statuses`, { key: 'extra', name: `Extra ${marker}`, category: 'started' }, { token: a.admin.token }));
      return { project: project!, key: 'extra' };
    },
    projectMember: async () => {
      const { project } = await make.project();
      await body('add member', client.post(`/api/projects/${project}/members`, { userId: a.manager.id }, { token: a.admin.token }));
      return { project: project!, userId: a.manager.id };
    },
    externalProject: async () => ({ externalId: `matrix-${randomUUID()}` }),
    // A link between two of the member's tasks.
    relation: async () => {
      const { id } = await make.task();
      const other = await make.task();
      const relation = await body('link tasks', client.post(`/api/tasks/${id}/relations`, { type: 'relates_to', taskId: other.id }, { token: a.member.token }));
      return { id: id!, relationId: remember('relation', relation.id) };
    },
    // The member watches the tasks it creates.
    watcher: async () => ({ id: (await make.task()).id!, userId: a.member.id }),
    // A reminder A's member set for itself on a task of its own.
    reminder: async () => {
      const id = (await make.task()).id!;
      const reminder = await body('remind', client.post(`/api/tasks/${id}/reminders`, { beforeDue: 'PT1H' }, { token: a.member.token }));
      return { id, reminderId: remember('reminder', reminder.id) };
    },
    label: async () => {
      const label = await body('create label', client.post('/api/labels', { name: `Label ${marker} ${randomUUID().slice(0, 8)}` }, { token: a.admin.token }));
      return { id: remember('label', label.id) };
    },
    field: async () => {
      const key = `f${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const field = await body('create field', client.post('/api/fields', { key, name: `Field ${marker}`, type: 'text' }, { token: a.admin.token }));
      remember('field', field.id);
      return { key };
    },
    // A view A's member made and shared.
    view: async () => {
      const view = await body('create view', client.post('/api/views', { name: `View ${marker}`, query: 'priority=high', shared: true }, { token: a.member.token }));
      return { id: remember('view', view.id) };
    },
    task: async () => {
      const task = await body('create task', client.post('/api/tasks', { title: `Task ${marker}` }, { token: a.member.token }));
      return { id: remember('task', task.id) };
    },
    // A file A's member attached to a task of its own.
    attachment: async () => {
      const id = (await make.task()).id!;
      const attachment = await body('attach', client.post(`/api/tasks/${id}/attachments`, undefined, { token: a.member.token, ...(await multipartFile(`File ${marker}`, 'matrix.txt')) }));
      const [, fileQuery] = attachment.url.split('?');
      return { id, attachmentId: remember('attachment', attachment.id), fileId: attachment.id, fileQuery };
    },
    comment: async () => {
      const id = (await make.task()).id!;
      const comment = await body('comment', client.post(`/api/tasks/${id}/comments`, { comment: `Comment ${marker}` }, { token: a.member.token }));
      return { id, commentId: remember('comment', comment.id) };
    },
    user: async () => {
      const created = await body(
        'invite user',
        client.post('/api/users', { name: `Target ${marker}`, email: uniqueEmail('target'), role: 'member', password: PASSWORD }, { token: a.admin.token }),
      );
      return { id: remember('user', created.user.id) };
    },
    apiKey: async () => {
      const created = await body('create key', client.post('/api/api-keys', { name: `Key ${marker}` }, { token: a.admin.token }));
      return { id: remember('apiKey', created.apiKey.id) };
    },
    webhook: async () => {
      const created = await body('create webhook', client.post('/api/webhooks', { ...HOOK, description: `Hook ${marker}` }, { token: a.admin.token }));
      return { id: remember('webhook', created.endpoint.id) };
    },
    delivery: async () => {
      const id = (await make.webhook()).id!;
      const delivery = await body('queue test delivery', client.post(`/api/webhooks/${id}/test`, undefined, { token: a.admin.token }));
      return { id, deliveryId: remember('delivery', delivery.id) };
    },
    notification: async () => {
      // Assigning a task to the member notifies the member, in the same transaction.
      const task = await body('assign task', client.post('/api/tasks', { title: `Notice ${marker}`, assignedTo: a.member.id }, { token: a.admin.token }));
      remember('task', task.id);
      const list = await body('list notifications', client.get('/api/notifications?limit=100', { token: a.member.token }));
      const notification = list.data.find((n: any) => n.taskId === task.id);
      if (!notification) throw new Error(`no notification for task ${task.id}`);
      return { id: remember('notification', notification.id), taskId: task.id };
    },
    export: async () => {
      // Run to its end (by a runner of A's jobs alone), so that its download URL exists and it counts against no limit.
      const started = await body('start export', client.post('/api/exports', { format: 'csv', filters: { q: marker } }, { token: a.member.token }));
      const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, a.workspaceId);
      runner.handle('export', server.services.exports.run);
      await runner.runOnce();
      const job = await body('read export', client.get(`/api/exports/${started.id}`, { token: a.member.token }));
      if (!job.download) throw new Error(`export ${started.id} did not finish: ${JSON.stringify(job)}`);
      return { id: remember('export', job.id), downloadQuery: String(job.download.url).split('?')[1]! };
    },
    import: async () => {
      // Queued only (no runner here): a dry run of a one-row CSV, started by A's admin (imports are admins').
      const form = await multipartFile('Title\nMatrix\n', 'matrix.csv', { source: 'csv', mapping: '{"Title":"title"}', dryRun: 'true' });
      const started = await body('start import', client.post('/api/imports', undefined, { token: a.admin.token, ...form }));
      return { id: remember('import', started.id) };
    },
    calendarFeed: async () => {
      const feed = await body('create calendar feed', client.post('/api/calendar/feeds', { scope: 'assigned', name: `Feed ${marker}` }, { token: a.member.token }));
      return { id: remember('calendarFeed', feed.id), secret: String(feed.url).split('/').pop()!.replace(/\.ics$/, '') };
    },
  };

  /**
   * Checks of what a caller may not see. Figures: B's admin, `peer`, and for
   * notifications A's admin and manager, own no task and have no
   * notification, so any figure of theirs but 0 is someone else's.
   */
  const nonZeroFigures = (value: unknown) => (numbersIn(value).some((n) => n !== 0) ? [`its figures are not all 0: ${brief(value)}`] : []);
  /** Filled with the member's notification ids at the start of each matrix. */
  const memberNotifications = new Set<number>();
  /** A's member's exports (the fixtures), which only the member and A's admins may list. */
  const membersExports = (items: any[]) => items.filter((e) => aIds.export.has(Number(e.id))).map((e) => `it shows the member's export ${e.id}`);
  /** A's member's calendar feeds (the fixtures), which no one else may list. */
  const membersFeeds = (items: any[]) => items.filter((f) => aIds.calendarFeed.has(Number(f.id))).map((f) => `it shows the member's calendar feed ${f.id}`);
  const membersNotifications = (items: any[]) =>
    items.filter((n) => memberNotifications.has(Number(n.id))).map((n) => `it shows the member's notification ${n.id}`);
  const adminOnlyEvents = (types: string[]) => {
    const shown = [...new Set(types.filter((type) => ADMIN_ONLY_EVENT.test(type)))];
    return shown.length ? [`it shows admin-only events: ${shown.join(', ')}`] : [];
  };
  const loadMemberNotifications = async () => {
    const list = await body('member lists notifications', client.get('/api/notifications?limit=100', { token: a.member.token }));
    for (const n of list.data) memberNotifications.add(n.id);
  };

  /** A refresh token nobody else uses, so each refresh/logout case has its own. */
  const freshRefreshToken = async () =>
    (await body('login', client.post('/api/auth/login', { email: a.member.email, password: PASSWORD }))).refreshToken as string;

  const REST_RECIPES: Record<string, RestRecipe> = {
    'POST /api/auth/register': {
      body: () => ({ name: 'Matrix Registrant', email: uniqueEmail('register'), password: PASSWORD, workspaceName: 'Matrix elsewhere' }),
    },
    'POST /api/auth/login': { body: () => ({ email: a.member.email, password: PASSWORD }) },
    'POST /api/auth/refresh': { body: async () => ({ refreshToken: await freshRefreshToken() }) },
    'POST /api/auth/logout': { body: async () => ({ refreshToken: await freshRefreshToken() }) },
    // The matrix's database has no demo workspace: the same 404 for everyone is this route's whole answer.
    'GET /api/auth/demo': { status: (response) => (response.status === 404 && response.body.code === 'not_found' ? 200 : response.status) },
    'POST /api/auth/session': { body: () => ({ email: a.member.email, password: PASSWORD }), headers: () => ({ 'x-taskbase-session': '1' }) },
    'POST /api/auth/session/refresh': { headers: async () => ({ 'x-taskbase-session': '1', cookie: `tb_refresh=${await freshRefreshToken()}` }) },
    'DELETE /api/auth/session': { headers: async () => ({ 'x-taskbase-session': '1', cookie: `tb_refresh=${await freshRefreshToken()}` }) },
    'GET /api/auth/me': {},
    // Renames the caller to its own name: allowed, and changes nothing.
    'PATCH /api/auth/me': { body: ({ principal }) => ({ name: isColumn(principal) ? names[principal] : 'Nobody' }) },
    'POST /api/auth/embed-token': { body: () => ({ externalId: `matrix-${marker}`, name: 'Embedded' }) },

    'GET /api/workspace': {},
    // Renames the caller's workspace to its own name: allowed to admins, and changes nothing.
    'PATCH /api/workspace': { body: ({ principal }) => ({ name: isColumn(principal) ? workspaceNames[principal] : 'Nobody' }) },

    'GET /api/users': { query: 'limit=100', lists: 'user' },
    'POST /api/users': { body: () => ({ name: 'Invited', email: uniqueEmail('invited'), role: 'member', password: PASSWORD }) },
    'GET /api/users/{id}': { target: 'user' },
    'PATCH /api/users/{id}': { target: 'user', body: () => ({ role: 'admin' }) },

    'GET /api/api-keys': { lists: 'apiKey' },
    'POST /api/api-keys': { body: () => ({ name: 'Matrix key', maxRole: 'admin' }) },
    'DELETE /api/api-keys/{id}': { target: 'apiKey' },

    'GET /api/projects': { query: 'limit=100', lists: 'project' },
    'POST /api/projects': { body: () => ({ key: `N${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`, name: 'Matrix project' }) },
    'PUT /api/projects/by-external-id/{externalId}': { target: 'externalProject', body: () => ({ name: 'Matrix mirrored project' }) },
    'GET /api/projects/{project}': { target: 'project' },
    'PATCH /api/projects/{project}': { target: 'project', body: () => ({ name: 'Taken over', visibility: 'private' }) },
    'DELETE /api/projects/{project}': { target: 'project' },
    'GET /api/projects/{project}/statuses': { target: 'project' },
    'POST /api/projects/{project}/statuses': { target: 'project', body: () => ({ key: 'matrix', name: 'Matrix', category: 'started' }) },
    'PUT /api/projects/{project}/statuses/order': { target: 'project', body: () => ({ keys: ['done', 'in_review', 'in_progress', 'todo'] }) },
    'PATCH /api/projects/{project}/statuses/{key}': { target: 'projectStatus', body: () => ({ name: 'Taken over' }) },
    'DELETE /api/projects/{project}/statuses/{key}': { target: 'projectStatus' },
    'GET /api/projects/{project}/members': { target: 'projectMember' },
    'POST /api/projects/{project}/members': { target: 'project', body: () => ({ userId: a.other.id }) },
    'DELETE /api/projects/{project}/members/{userId}': { target: 'projectMember' },

    'GET /api/tasks': { query: 'limit=100', lists: 'task' },
    // Counts over the caller's own workspace: B, which has no tasks, sees only zeros.
    'GET /api/tasks/counts': { figures: true },
    // Assigned to A's member: B's admin holds a valid id of A but may not use it.
    'POST /api/tasks': { body: () => ({ title: 'Matrix task', assignedTo: a.member.id }) },
    'POST /api/tasks/bulk': { target: 'task', body: ({ params }) => ({ items: [{ id: params.id, priority: 'urgent' }] }), status: bulkItemStatus },
    'GET /api/tasks/{id}': { target: 'task' },
    'PATCH /api/tasks/{id}': { target: 'task', body: () => ({ title: 'Taken over', priority: 'urgent' }) },
    'DELETE /api/tasks/{id}': { target: 'task' },
    'POST /api/tasks/{id}/move': { target: 'task', body: () => ({ status: 'done' }) },
    'GET /api/tasks/{id}/activity': { target: 'task' },

    'GET /api/tasks/{id}/relations': { target: 'relation' },
    // A fresh task of the member to link to each time, so no call finds the link already made.
    // Allowed calls link to a fresh task of the member each (so none finds the link made); refused ones, which must
    // change nothing of A, to an existing one.
    'POST /api/tasks/{id}/relations': {
      target: 'task',
      body: async ({ principal }) => ({ type: 'blocks', taskId: ['admin', 'manager', 'member'].includes(principal) ? (await make.task()).id : shared.watcher.id }),
    },
    'DELETE /api/tasks/{id}/relations/{relationId}': { target: 'relation' },
    'GET /api/tasks/{id}/watchers': { target: 'watcher' },
    'POST /api/tasks/{id}/watchers': { target: 'task', body: () => ({}) },
    'DELETE /api/tasks/{id}/watchers/{userId}': { target: 'watcher' },
    'GET /api/tasks/{id}/reminders': { target: 'reminder' },
    'POST /api/tasks/{id}/reminders': { target: 'task', body: () => ({ beforeDue: 'PT1H' }) },
    'DELETE /api/tasks/{id}/reminders/{reminderId}': { target: 'reminder' },

    'GET /api/labels': { lists: 'label' },
    'POST /api/labels': { body: () => ({ name: `Matrix label ${randomUUID().slice(0, 8)}` }) },
    'PATCH /api/labels/{id}': { target: 'label', body: () => ({ color: '#123456' }) },
    'DELETE /api/labels/{id}': { target: 'label' },
    'GET /api/fields': { lists: 'field' },
    'POST /api/fields': { body: () => ({ key: `m${randomUUID().replace(/-/g, '').slice(0, 12)}`, name: 'Matrix field', type: 'number' }) },
    'PATCH /api/fields/{key}': { target: 'field', body: () => ({ name: 'Taken over' }) },
    'DELETE /api/fields/{key}': { target: 'field' },
    'GET /api/views': { lists: 'view' },
    'POST /api/views': { body: () => ({ name: 'Matrix view', query: 'priority=low' }) },
    'GET /api/views/{id}': { target: 'view' },
    'PATCH /api/views/{id}': { target: 'view', body: () => ({ name: 'Taken over' }) },
    'DELETE /api/views/{id}': { target: 'view' },

    'GET /api/tasks/{id}/comments': { target: 'comment' },
    'POST /api/tasks/{id}/comments': { target: 'task', body: () => ({ comment: 'Matrix comment' }) },
    'PATCH /api/tasks/{id}/comments/{commentId}': { target: 'comment', body: () => ({ comment: 'Taken over' }) },
    'DELETE /api/tasks/{id}/comments/{commentId}': { target: 'comment' },
    'POST /api/tasks/{id}/comments/{commentId}/reactions': { target: 'comment', body: () => ({ emoji: '👍' }) },
    'GET /api/tasks/{id}/attachments': { target: 'attachment', lists: 'attachment' },
    'POST /api/tasks/{id}/attachments': { target: 'task', upload: true },
    'POST /api/tasks/{id}/comments/{commentId}/attachments': { target: 'comment', upload: true },
    'GET /api/tasks/{id}/attachments/{attachmentId}': { target: 'attachment' },
    'DELETE /api/tasks/{id}/attachments/{attachmentId}': { target: 'attachment' },
    // The redirect to a signed URL is its success.
    'GET /api/attachments/{attachmentId}/content': { target: 'attachment', redirect: 'manual', status: (response) => (response.status === 302 ? 200 : response.status) },
    'GET /api/files/{fileId}': { target: 'attachment', query: (params) => String(params.fileQuery) },
    // A file of no one's: the preview echoes its header, which must not be taken for A's data.
    'POST /api/imports/preview': { upload: { text: 'Title,Due date\nMatrix,2026-01-02\n', fields: { source: 'csv' } } },

    'GET /api/notifications': { query: 'limit=100', lists: 'notification', limited: (b) => membersNotifications(b.data) },
    'GET /api/notifications/unread-count': { figures: true, limited: nonZeroFigures },
    'POST /api/notifications/read-all': { figures: true },
    'GET /api/notifications/preferences': {},
    'PUT /api/notifications/preferences': { body: () => ({ emailDigest: 'off' }) },
    'GET /api/workspace/notification-defaults': {},
    'PUT /api/workspace/notification-defaults': { body: () => ({ emailDigest: 'off' }) },
    'POST /api/notifications/{id}/read': { target: 'notification' },
    'POST /api/notifications/tasks/{taskId}/read': { target: 'notification' },
    'POST /api/notifications/tasks/{taskId}/archive': { target: 'notification' },
    'POST /api/notifications/tasks/{taskId}/unarchive': { target: 'notification' },
    'POST /api/notifications/{id}/archive': { target: 'notification' },
    'POST /api/notifications/{id}/unarchive': { target: 'notification' },
    'GET /api/calendar/feeds': { lists: 'calendarFeed', limited: (b) => membersFeeds(b.data) },
    'POST /api/calendar/feeds': { body: () => ({ scope: 'assigned' }) },
    'DELETE /api/calendar/feeds/{id}': { target: 'calendarFeed' },
    'GET /api/calendar/{secret}.ics': { target: 'calendarFeed' },
    'POST /api/exports': { body: () => ({ format: 'csv' }) },
    'GET /api/exports': { query: 'limit=100', lists: 'export', limited: (b) => membersExports(b.data) },
    'GET /api/exports/{id}': { target: 'export' },
    'GET /api/exports/{id}/download': { target: 'export', query: (params) => String(params.downloadQuery) },
    'GET /api/tasks.csv': { query: `q=${marker}` },
    'POST /api/imports': { upload: { text: 'Title\nMatrix import\n', fields: { source: 'csv', mapping: '{"Title":"title"}', dryRun: 'true' } } },
    'GET /api/imports': { query: 'limit=100', lists: 'import' },
    'GET /api/imports/{id}': { target: 'import' },
    'POST /api/imports/{id}/cancel': { target: 'import' },

    'GET /api/events': { query: 'limit=1000', lists: 'event', limited: (b) => adminOnlyEvents(b.data.map((e: any) => e.event)) },

    'GET /api/analytics/summary': { figures: true, limited: nonZeroFigures },
    'GET /api/analytics/counts': { figures: true, limited: nonZeroFigures },
    'GET /api/analytics/by-assignee': { figures: true, limited: nonZeroFigures },
    'GET /api/analytics/by-label': { figures: true, limited: nonZeroFigures },
    'GET /api/analytics/trend': { figures: true, limited: nonZeroFigures },
    'GET /api/analytics/cycle-time': { figures: true, limited: nonZeroFigures },

    'GET /api/webhooks/event-types': {},
    'GET /api/webhooks': { lists: 'webhook' },
    'POST /api/webhooks': { body: () => ({ ...HOOK, description: 'Matrix hook' }) },
    'GET /api/webhooks/{id}': { target: 'webhook' },
    'PATCH /api/webhooks/{id}': { target: 'webhook', body: () => ({ url: 'http://127.0.0.1:9/taken-over', enabled: false }) },
    'DELETE /api/webhooks/{id}': { target: 'webhook' },
    'GET /api/webhooks/{id}/secret': { target: 'webhook' },
    'POST /api/webhooks/{id}/rotate-secret': { target: 'webhook', body: () => ({ overlapSeconds: 0 }) },
    'POST /api/webhooks/{id}/test': { target: 'webhook' },
    'GET /api/webhooks/{id}/deliveries': { target: 'delivery' },
    'GET /api/webhooks/{id}/deliveries/{deliveryId}': { target: 'delivery' },
    'POST /api/webhooks/{id}/deliveries/{deliveryId}/resend': { target: 'delivery' },
  };

  const GRAPHQL_RECIPES: Record<string, GraphqlRecipe> = {
    'Query.tasks': { document: '{ tasks(first: 100) { nodes { id title description } } }', nodes: { of: (d) => d.tasks.nodes, kind: 'task' } },
    'Query.task': { target: 'task', document: 'query ($id: ID!) { task(id: $id) { id title } }' },
    'Query.me': { document: '{ me { id name } }' },
    'Query.projects': { document: '{ projects(first: 100) { nodes { id name } } }', nodes: { of: (d) => d.projects.nodes, kind: 'project' } },
    'Query.project': { target: 'project', document: 'query ($project: String!) { project(ref: $project) { id name } }' },
    'Query.user': { target: 'user', document: 'query ($id: ID!) { user(id: $id) { id name } }' },
    'Query.users': { document: '{ users(first: 100) { nodes { id name } } }', nodes: { of: (d) => d.users.nodes, kind: 'user' } },
    'Query.notifications': {
      document: '{ notifications(first: 100) { nodes { id message taskId } } }',
      nodes: { of: (d) => d.notifications.nodes, kind: 'notification' },
      limited: (d) => membersNotifications(d.notifications.nodes),
    },
    'Query.notificationGroups': {
      document: '{ notificationGroups(first: 100) { nodes { taskId count latest { id message taskId } } } }',
      nodes: { of: (d) => d.notificationGroups.nodes.map((g: any) => g.latest), kind: 'notification' },
      limited: (d) => membersNotifications(d.notificationGroups.nodes.map((g: any) => g.latest)),
    },
    'Query.calendarFeeds': {
      document: '{ calendarFeeds { id name } }',
      nodes: { of: (d) => d.calendarFeeds, kind: 'calendarFeed' },
      limited: (d) => membersFeeds(d.calendarFeeds),
    },
    'Mutation.markTaskNotificationsRead': { target: 'notification', document: 'mutation ($taskId: ID!) { markTaskNotificationsRead(taskId: $taskId) }' },
    'Mutation.archiveNotifications': { target: 'notification', document: 'mutation ($id: ID!, $taskId: ID!) { archiveNotifications(ids: [$id], taskId: $taskId) }' },
    'Mutation.createCalendarFeed': { document: 'mutation { createCalendarFeed(input: { scope: WATCHING }) { id } }' },
    'Query.exports': {
      document: '{ exports(first: 100) { nodes { id status } } }',
      nodes: { of: (d) => d.exports.nodes, kind: 'export' },
      limited: (d) => membersExports(d.exports.nodes),
    },
    'Query.export': { target: 'export', document: 'query ($id: ID!) { export(id: $id) { id status } }' },
    'Mutation.startExport': { document: 'mutation { startExport(input: { format: CSV }) { id } }' },
    'Query.imports': { document: '{ imports(first: 100) { nodes { id status result { errorCount } } } }', nodes: { of: (d) => d.imports.nodes, kind: 'import' } },
    'Query.import': { target: 'import', document: 'query ($id: ID!) { import(id: $id) { id status progress { done phase } } }' },
    'Mutation.revokeCalendarFeed': { target: 'calendarFeed', document: 'mutation ($id: ID!) { revokeCalendarFeed(id: $id) }' },
    'Query.taskCounts': { document: '{ taskCounts { byStatus { todo in_progress in_review done } total } }', figures: true },
    'Query.unreadNotificationCount': { document: '{ unreadNotificationCount }', figures: true, limited: nonZeroFigures },
    'Query.analytics': {
      document:
        '{ analytics { counts { total open done overdue dueThisWeek } byAssignee { data { userId name open done } unassigned { open done } } trend { created completed } completion { created completed } cycleTime { count } } }',
      figures: true,
      limited: nonZeroFigures,
    },
    'Mutation.createTask': {
      document: 'mutation ($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      variables: () => ({ input: { title: 'Matrix task', assignedTo: String(a.member.id) } }),
    },
    'Mutation.updateTask': { target: 'task', document: 'mutation ($id: ID!) { updateTask(id: $id, input: { title: "Taken over", priority: URGENT }) { id } }' },
    'Mutation.moveTask': { target: 'task', document: 'mutation ($id: ID!) { moveTask(id: $id, input: { status: DONE }) { id } }' },
    'Mutation.deleteTask': { target: 'task', document: 'mutation ($id: ID!) { deleteTask(id: $id) }' },
    'Mutation.createProject': {
      document: 'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      variables: () => ({ input: { key: `G${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`, name: 'Matrix project' } }),
    },
    'Mutation.upsertProjectByExternalId': {
      document: 'mutation ($externalId: String!) { upsertProjectByExternalId(externalId: $externalId, input: { name: "Mirrored" }) { id } }',
      variables: () => ({ externalId: `gql-${randomUUID()}` }),
    },
    'Mutation.updateProject': { target: 'project', document: 'mutation ($project: String!) { updateProject(ref: $project, input: { name: "Taken over" }) { id } }' },
    'Mutation.deleteProject': { target: 'project', document: 'mutation ($project: String!) { deleteProject(ref: $project) { outcome } }' },
    'Mutation.addProjectStatus': {
      target: 'project',
      document: 'mutation ($project: String!) { addProjectStatus(ref: $project, input: { key: "matrix", name: "Matrix", category: STARTED }) { id } }',
    },
    'Mutation.updateProjectStatus': {
      target: 'projectStatus',
      document: 'mutation ($project: String!, $key: TaskStatus!) { updateProjectStatus(ref: $project, key: $key, input: { name: "Taken over" }) { id } }',
    },
    'Mutation.removeProjectStatus': {
      target: 'projectStatus',
      document: 'mutation ($project: String!, $key: TaskStatus!) { removeProjectStatus(ref: $project, key: $key) { id } }',
    },
    'Mutation.reorderProjectStatuses': {
      target: 'project',
      document: 'mutation ($project: String!) { reorderProjectStatuses(ref: $project, keys: [DONE, IN_REVIEW, IN_PROGRESS, TODO]) { id } }',
    },
    'Mutation.addProjectMember': {
      target: 'project',
      document: 'mutation ($project: String!, $userId: ID!) { addProjectMember(ref: $project, userId: $userId) { id } }',
      variables: () => ({ userId: String(a.other.id) }),
    },
    'Mutation.removeProjectMember': {
      target: 'projectMember',
      document: 'mutation ($project: String!, $userId: ID!) { removeProjectMember(ref: $project, userId: $userId) { id } }',
    },
    'Mutation.createComment': { target: 'task', document: 'mutation ($id: ID!) { createComment(taskId: $id, comment: "Matrix comment") { id } }' },
    'Mutation.updateComment': {
      target: 'comment',
      document: 'mutation ($id: ID!, $commentId: ID!) { updateComment(taskId: $id, id: $commentId, comment: "Taken over") { id } }',
    },
    'Mutation.deleteComment': { target: 'comment', document: 'mutation ($id: ID!, $commentId: ID!) { deleteComment(taskId: $id, id: $commentId) }' },
    'Mutation.toggleReaction': {
      target: 'comment',
      document: 'mutation ($id: ID!, $commentId: ID!) { toggleReaction(taskId: $id, commentId: $commentId, emoji: "🎉") { emoji count me } }',
    },
    'Mutation.deleteAttachment': { target: 'attachment', document: 'mutation ($id: ID!, $attachmentId: ID!) { deleteAttachment(taskId: $id, id: $attachmentId) }' },
    'Mutation.markNotificationRead': { target: 'notification', document: 'mutation ($id: ID!) { markNotificationRead(id: $id) { id read } }' },
    'Mutation.markAllNotificationsRead': { document: 'mutation { markAllNotificationsRead }', figures: true },
    'Query.notificationPreferences': { document: '{ notificationPreferences { emailDigest timezone channels { assigned { inApp email } } } }' },
    'Query.notificationDefaults': { document: '{ notificationDefaults { emailDigest taskUrlTemplate } }' },
    'Mutation.updateNotificationPreferences': { document: 'mutation { updateNotificationPreferences(input: { emailDigest: "off" }) { emailDigest } }' },
    'Mutation.updateNotificationDefaults': { document: 'mutation { updateNotificationDefaults(input: { emailDigest: "off" }) { emailDigest } }' },

    'Query.labels': { document: '{ labels { id name } }', nodes: { of: (d) => d.labels, kind: 'label' } },
    'Query.fields': { document: '{ fields { id key name } }', nodes: { of: (d) => d.fields, kind: 'field' } },
    'Query.views': { document: '{ views { id name } }', nodes: { of: (d) => d.views, kind: 'view' } },
    'Query.view': { target: 'view', document: 'query ($id: ID!) { view(id: $id) { id name } }' },
    // Allowed: a fresh task of A's member relates to another task of A (the watcher fixture's; RELATES_TO leaves its blockedBy alone).
    'Mutation.addTaskRelation': {
      target: 'task',
      document: 'mutation ($id: ID!, $input: AddTaskRelationInput!) { addTaskRelation(taskId: $id, input: $input) { id } }',
      variables: () => ({ input: { type: 'RELATES_TO', taskId: String(shared.watcher.id) } }),
    },
    'Mutation.removeTaskRelation': { target: 'relation', document: 'mutation ($id: ID!, $relationId: ID!) { removeTaskRelation(taskId: $id, relationId: $relationId) }' },
    'Mutation.watchTask': { target: 'task', document: 'mutation ($id: ID!) { watchTask(taskId: $id) { watching } }' },
    'Mutation.unwatchTask': { target: 'watcher', document: 'mutation ($id: ID!, $userId: ID!) { unwatchTask(taskId: $id, userId: $userId) { watching } }' },
    'Mutation.createTaskReminder': { target: 'task', document: 'mutation ($id: ID!) { createTaskReminder(taskId: $id, input: { beforeDue: "PT1H" }) { id } }' },
    'Mutation.deleteTaskReminder': { target: 'reminder', document: 'mutation ($id: ID!, $reminderId: ID!) { deleteTaskReminder(taskId: $id, id: $reminderId) }' },
    'Mutation.createLabel': {
      document: 'mutation ($input: CreateLabelInput!) { createLabel(input: $input) { id } }',
      variables: () => ({ input: { name: `Matrix label ${randomUUID().slice(0, 8)}` } }),
    },
    'Mutation.updateLabel': { target: 'label', document: 'mutation ($id: ID!) { updateLabel(id: $id, input: { color: "#123456" }) { id } }' },
    'Mutation.deleteLabel': { target: 'label', document: 'mutation ($id: ID!) { deleteLabel(id: $id) }' },
    'Mutation.createField': {
      document: 'mutation ($input: CreateFieldInput!) { createField(input: $input) { id } }',
      variables: () => ({ input: { key: `m${randomUUID().replace(/-/g, '').slice(0, 12)}`, name: 'Matrix field', type: 'NUMBER' } }),
    },
    'Mutation.updateField': { target: 'field', document: 'mutation ($key: String!) { updateField(key: $key, input: { name: "Taken over" }) { id } }' },
    'Mutation.deleteField': { target: 'field', document: 'mutation ($key: String!) { deleteField(key: $key) }' },
    'Mutation.createView': { document: 'mutation { createView(input: { name: "Matrix view", query: "priority=low" }) { id } }' },
    'Mutation.updateView': { target: 'view', document: 'mutation ($id: ID!) { updateView(id: $id, input: { name: "Taken over" }) { id } }' },
    'Mutation.deleteView': { target: 'view', document: 'mutation ($id: ID!) { deleteView(id: $id) }' },
  };

  /**
   * Subscription documents per field; `$taskId` is A's changing task. Their
   * events' task id is read from `data.<field>.taskId`. For taskChanged, the
   * stream filtered to A's task is the one an `ok` principal must be served
   * on; the unfiltered one carries the sentinel of an `own` principal.
   */
  const SUBSCRIPTION_RECIPES: Record<string, { filtered?: string; all: string }> = {
    'Subscription.taskChanged': {
      filtered: 'subscription ($taskId: ID!) { taskChanged(filter: { taskId: $taskId }) { eventId type taskId } }',
      all: 'subscription { taskChanged { eventId type taskId } }',
    },
    'Subscription.notificationAdded': { all: 'subscription { notificationAdded { id taskId message } }' },
  };

  beforeAll(async () => {
    // Webhook endpoints may point at 127.0.0.1; no reminder job adds notifications.
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: 'true', DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
    [a, b] = await Promise.all([createTeam(client, `Matrix A ${marker}`), createTeam(client, 'Matrix B')]);
    for (const member of [a.admin, a.manager, a.member, a.other]) remember('user', member.id);

    const { secret, issuer, audience } = server.services.config.jwt;
    const now = Math.floor(Date.now() / 1000);
    const adminClaims = { sub: String(a.admin.id), wid: a.workspaceId, role: 'admin' };
    tokens.anonymous = undefined;
    tokens.badToken = jwt.sign(adminClaims, 'a-different-secret-that-is-also-long-enough', { algorithm: 'HS256', expiresIn: 600, issuer, audience });
    tokens.expiredToken = jwt.sign({ ...adminClaims, iat: now - 3600, exp: now - 60 }, secret, { algorithm: 'HS256', issuer, audience });
    tokens.admin = a.admin.token;
    tokens.manager = a.manager.token;
    tokens.member = a.member.token;
    tokens.peer = a.other.token;
    tokens.foreign = b.admin.token;
    Object.assign(userIds, { admin: a.admin.id, manager: a.manager.id, member: a.member.id, peer: a.other.id });

    const gone = await body(
      'invite',
      client.post('/api/users', { name: `Gone ${marker}`, email: uniqueEmail('gone'), role: 'manager', password: PASSWORD }, { token: a.admin.token }),
    );
    remember('user', gone.user.id);
    tokens.deactivated = (await body('login', client.post('/api/auth/login', { email: gone.user.email, password: PASSWORD }))).accessToken;
    await body('deactivate', client.patch(`/api/users/${gone.user.id}`, { active: false }, { token: a.admin.token }));
    const key = await body('create key', client.post('/api/api-keys', { name: `Principal key ${marker}`, maxRole: 'admin' }, { token: a.admin.token }));
    remember('apiKey', key.apiKey.id);
    tokens.apiKey = key.key;

    for (const column of COLUMNS) {
      const me = await body('me', client.get('/api/auth/me', { token: tokens[column] }));
      names[column] = me.user.name;
      workspaceNames[column] = me.workspace.name;
    }
    for (const kind of Object.keys(make) as Kind[]) shared[kind] = await make[kind]();
    // A completed task, so A's cycle-time figures are not all 0 either (see checkProofs).
    await body('create done task', client.post('/api/tasks', { title: `Done ${marker}`, status: 'done' }, { token: a.member.token }));
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  /** What of workspace A a response holds, when nothing of A should be in it. */
  const leaksOfA = (value: unknown, lists?: { kind: Kind | 'event'; items: any[] }): string[] => {
    const found: string[] = [];
    if ((JSON.stringify(value) ?? '').includes(marker)) found.push("it mentions A's objects by name");
    if (workspaceIdsIn(value).includes(a.workspaceId)) found.push("it holds objects of A's workspace");
    for (const item of lists?.items ?? []) {
      const [kind, id] = lists!.kind === 'event' ? (['task', item?.taskId] as const) : ([lists!.kind, item?.id] as const);
      if (aIds[kind].has(Number(id))) found.push(`it lists A's ${kind} ${id}`);
    }
    return found;
  };

  /** A's shared fixtures and lists, read as A's admin (notifications as their recipient). */
  const snapshotA = async () => {
    const read = async (path: string, token = a.admin.token) => {
      const response = await client.get(path, { token });
      return { status: response.status, body: response.body };
    };
    const entries: Array<[string, string, string?]> = [
      ['workspace', '/api/auth/me'],
      ['users', '/api/users?limit=100'],
      ['tasks', '/api/tasks?limit=100'],
      ['task', `/api/tasks/${shared.task.id}`],
      ['project', `/api/projects/${shared.project.project}`],
      ['project with a status', `/api/projects/${shared.projectStatus.project}`],
      ['project members', `/api/projects/${shared.projectMember.project}/members`],
      ['projects', '/api/projects?limit=100'],
      ['comments', `/api/tasks/${shared.comment.id}/comments`],
      ['attachments', `/api/tasks/${shared.attachment.id}/attachments`],
      ['api keys', '/api/api-keys'],
      ['webhooks', '/api/webhooks'],
      ['webhook secret', `/api/webhooks/${shared.webhook.id}/secret`],
      ['deliveries', `/api/webhooks/${shared.delivery.id}/deliveries`],
      ['delivery', `/api/webhooks/${shared.delivery.id}/deliveries/${shared.delivery.deliveryId}`],
      ["member's notifications", '/api/notifications?limit=100', a.member.token],
    ];
    return Object.fromEntries(await Promise.all(entries.map(async ([name, path, token]) => [name, await read(path, token)] as const)));
  };
  const changesIn = (before: Record<string, unknown>, after: Record<string, unknown>) =>
    Object.keys(before)
      .filter((name) => JSON.stringify(before[name], withoutSignedUrls) !== JSON.stringify(after[name], withoutSignedUrls))
      .map((name) => `A's ${name} changed: ${brief(before[name])} -> ${brief(after[name])}`);

  const fillPath = (path: string, params: Params) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`${path}: its recipe provides no ${name}`);
      return String(params[name]);
    });

  /** The operations of the OpenAPI document the running server serves. */
  const documentedOperations = async () => {
    const document = await body('GET /openapi.json', client.get('/openapi.json'));
    const operations: Array<{ key: string; method: string; path: string }> = [];
    for (const [path, item] of Object.entries<Record<string, unknown>>(document.paths)) {
      for (const method of METHODS) if (item[method]) operations.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path });
    }
    return operations;
  };

  /** Root fields of the live GraphQL schema, as `Type.field`. */
  const schemaFields = async () => {
    const response = await gql(
      client,
      a.admin.token,
      '{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }',
    );
    if (response.errors) throw new Error(`introspection failed: ${JSON.stringify(response.errors)}`);
    const schema = response.data.__schema;
    return [
      ...schema.queryType.fields.map((f: { name: string }) => `Query.${f.name}`),
      ...(schema.mutationType?.fields ?? []).map((f: { name: string }) => `Mutation.${f.name}`),
      ...(schema.subscriptionType?.fields ?? []).map((f: { name: string }) => `Subscription.${f.name}`),
    ] as string[];
  };

  const insideA = (principal: Principal) => isColumn(principal) && principal !== 'foreign';

  /**
   * The content checks must be able to fail: an `ok` answer to one of A's
   * own users has to trip the "nothing of A" check (where the recipe has
   * one) and the `limited` check (where a rule uses it). Otherwise a check
   * that can never fire would pass for B's admin and limited users alike.
   */
  const checkProofs = () => {
    const proven = { own: new Set<string>(), limited: new Set<string>() };
    return {
      prove: (key: string, ofA: string[], limited: string[]) => {
        if (ofA.length) proven.own.add(key);
        if (limited.length) proven.limited.add(key);
      },
      unproven: (cases: Array<{ key: string; expected: Outcome; principal: Principal; checked: boolean }>) => {
        const problems = new Set<string>();
        for (const c of cases) {
          if (c.expected === 'own' && c.checked && !proven.own.has(c.key)) problems.add(`${c.key}: no answer to A's users holds anything of A, so the check for B proves nothing`);
          if (c.expected === 'limited' && !proven.limited.has(c.key)) problems.add(`${c.key}: no answer to A's users trips the limited check, so it proves nothing`);
        }
        return [...problems];
      },
    };
  };

  /**
   * What the figure and notification checks rest on: B has no tasks, the
   * member's notifications are known, and `peer` is a fresh member of A
   * who owns no task and has no notification (an earlier matrix let the
   * previous one create tasks).
   */
  const preconditions = async () => {
    const bTasks = await body('B lists tasks', client.get('/api/tasks', { token: b.admin.token }));
    expect(bTasks.data, 'workspace B must have no tasks for the figure checks').toEqual([]);
    await loadMemberNotifications();
    const email = uniqueEmail('peer');
    const peer = await body('invite peer', client.post('/api/users', { name: `Peer ${marker}`, email, role: 'member', password: PASSWORD }, { token: a.admin.token }));
    remember('user', peer.user.id);
    tokens.peer = (await body('peer logs in', client.post('/api/auth/login', { email, password: PASSWORD }))).accessToken;
    names.peer = peer.user.name;
    userIds.peer = peer.user.id;
  };

  /**
   * What an answer may not hold: for anyone outside A, anything of A; for
   * a `limited` user of A, anything beyond its share. `ok` answers to A's
   * own users go through the same checks, to prove they can fire.
   */
  const judgeContent = (
    c: { key: string; label: string; principal: Principal; expected: Outcome },
    value: unknown,
    checks: { lists?: { kind: Kind | 'event'; items: any[] }; figures?: boolean; limited?: (value: any) => string[] },
    proofs: ReturnType<typeof checkProofs>,
  ): string[] => {
    const ofA = () => [...leaksOfA(value, checks.lists), ...(checks.figures && typeof c.expected !== 'number' ? nonZeroFigures(value) : [])];
    const limited = () => (checks.limited ? checks.limited(value) : ['its recipe has no check for a limited caller']);
    if (c.expected === 'ok' && insideA(c.principal)) proofs.prove(c.key, ofA(), checks.limited ? limited() : []);
    const problems = !insideA(c.principal) ? ofA() : c.expected === 'limited' ? limited() : [];
    return problems.length ? [`${c.label}: answered, but ${problems.join('; ')}`] : [];
  };

  /** Names missing from a table, and names the table has that no longer exist. */
  const coverage = (table: string, known: string[], keys: string[]) => [
    ...known.filter((key) => !keys.includes(key)).map((key) => `${key} has no entry in ${table}`),
    ...keys.filter((key) => !known.includes(key)).map((key) => `${table} has ${key}, which no longer exists`),
  ];

  it('has a rule and a request for every documented REST operation and every GraphQL root field, and no stale ones', async () => {
    const operations = (await documentedOperations()).map((op) => op.key);
    const fields = await schemaFields();
    expect(operations.length).toBeGreaterThan(40);
    const problems = [
      ...coverage('REST_RULES (test/support/access-rules.ts)', operations, Object.keys(REST_RULES)),
      ...coverage('REST_RECIPES (authorization-matrix.test.ts)', operations, Object.keys(REST_RECIPES)),
      ...coverage('GRAPHQL_RULES (test/support/access-rules.ts)', fields, Object.keys(GRAPHQL_RULES)),
      ...coverage('GRAPHQL_RECIPES / SUBSCRIPTION_RECIPES (authorization-matrix.test.ts)', fields, [
        ...Object.keys(GRAPHQL_RECIPES),
        ...Object.keys(SUBSCRIPTION_RECIPES),
      ]),
    ];
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('answers every REST operation, for every principal, as the rules say', { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    const proofs = checkProofs();
    await preconditions();

    interface Case {
      key: string;
      label: string;
      method: string;
      path: string;
      principal: Principal;
      expected: Outcome;
      rule: RestRule;
      recipe: RestRecipe;
    }
    const cases: Case[] = [];
    for (const op of await documentedOperations()) {
      const rule = REST_RULES[op.key];
      const recipe = REST_RECIPES[op.key];
      if (!rule || !recipe) {
        failures.push(`${op.key}: no ${rule ? 'recipe' : 'rule'}, so it was not checked`);
        continue;
      }
      for (const principal of PRINCIPALS) {
        cases.push({ key: op.key, label: `${op.key} as ${principal}`, method: op.method, path: op.path, principal, expected: expectedRest(rule, principal), rule, recipe });
      }
    }

    const run = async (c: Case, params: Params) => {
      const query = typeof c.recipe.query === 'function' ? c.recipe.query(params) : c.recipe.query;
      const url = fillPath(c.path, params) + (query ? `?${query}` : '');
      const requestBody = c.recipe.body ? await c.recipe.body({ principal: c.principal, params }) : undefined;
      const headers = c.recipe.headers ? await c.recipe.headers() : undefined;
      const upload = c.recipe.upload;
      const file = typeof upload === 'object' ? await multipartFile(upload.text, 'matrix.csv', upload.fields) : upload ? await multipartFile(`Upload ${marker}`, 'matrix.txt') : {};
      const response = await client.request(c.method, url, { token: tokens[c.principal], body: requestBody, headers, redirect: c.recipe.redirect, ...file });
      const status = c.recipe.status ? c.recipe.status(response) : response.status;
      const got = status === response.status ? `${status}` : `${status} (HTTP ${response.status})`;
      const allowed = typeof c.expected !== 'number';
      if (allowed ? status < 200 || status >= 300 : status !== c.expected) {
        return failures.push(`${c.label}: expected ${allowed ? `2xx (${c.expected})` : c.expected}, got ${got}: ${brief(response.body)}`);
      }
      if (!allowed && response.status >= 400 && !isProblem(response)) failures.push(`${c.label}: the ${response.status} is not a problem document`);
      // Public and API-key routes answer for whoever presents the credentials in the body.
      if (c.rule.auth !== 'user') return;
      const { lists, figures, limited } = c.recipe;
      const items = lists && Array.isArray(response.body?.data) ? response.body.data : [];
      failures.push(...judgeContent(c, response.body, { lists: lists ? { kind: lists, items } : undefined, figures, limited }, proofs));
    };
    const sharedParams = (c: Case) => (c.recipe.target ? shared[c.recipe.target] : {});

    // 1. Reads, on the shared fixtures.
    const reads = cases.filter((c) => c.method === 'GET');
    await inBatches(reads, 16, (c) => run(c, sharedParams(c)));
    failures.push(...proofs.unproven(reads.map((c) => ({ key: c.key, expected: c.expected, principal: c.principal, checked: !!(c.recipe.lists || c.recipe.figures) }))));
    // 2. Refused writes, one by one on the shared fixtures; then nothing of A may have changed.
    const before = await snapshotA();
    for (const c of cases.filter((c) => c.method !== 'GET' && typeof c.expected === 'number')) await run(c, sharedParams(c));
    failures.push(...changesIn(before, await snapshotA()));
    // 3. Allowed writes, each on a fixture of its own.
    await inBatches(
      cases.filter((c) => c.method !== 'GET' && typeof c.expected !== 'number'),
      8,
      async (c) => run(c, c.recipe.target ? await make[c.recipe.target]() : {}),
    );

    expect(failures, `${failures.length} authorization failures:\n${failures.join('\n')}`).toEqual([]);
  });

  it('answers every GraphQL query and mutation, for every principal, as the rules say', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    const proofs = checkProofs();
    // The REST matrix marked the member's notifications read: one unread, so its count can prove the count check.
    await make.notification();
    await preconditions();
    interface Case {
      key: string;
      label: string;
      field: string;
      principal: Principal;
      expected: Outcome;
      recipe: GraphqlRecipe;
    }
    const cases: Case[] = [];
    for (const key of await schemaFields()) {
      if (key.startsWith('Subscription.')) continue; // live: see the subscription test
      const columns = GRAPHQL_RULES[key];
      const recipe = GRAPHQL_RECIPES[key];
      if (!columns || !recipe) {
        failures.push(`${key}: no ${columns ? 'recipe' : 'rule'}, so it was not checked`);
        continue;
      }
      for (const principal of PRINCIPALS) {
        cases.push({ key, label: `${key} as ${principal}`, field: key.split('.')[1]!, principal, expected: expectedGraphql(columns, principal), recipe });
      }
    }

    const run = async (c: Case, params: Params) => {
      const variables = { ...Object.fromEntries(Object.entries(params).map(([name, id]) => [name, String(id)])), ...c.recipe.variables?.() };
      const response = await gql(client, tokens[c.principal], c.recipe.document, variables);
      const code: string = response.errors?.length ? (response.errors[0]!.extensions?.code ?? 'no code') : 'ok';
      if (typeof c.expected !== 'number') {
        if (code !== 'ok' || response.data?.[c.field] == null) {
          return failures.push(`${c.label}: expected data (${c.expected}), got ${code} (HTTP ${response.status}): ${brief(response.errors ?? response.data)}`);
        }
      } else {
        const want = GRAPHQL_CODES[c.expected];
        if (code !== want) return failures.push(`${c.label}: expected ${want}, got ${code} (HTTP ${response.status}): ${brief(response.data ?? response.errors)}`);
        if (c.expected === 401 && response.status !== 401) failures.push(`${c.label}: UNAUTHENTICATED answered HTTP ${response.status}, not 401`);
      }
      const { nodes, figures, limited } = c.recipe;
      const lists = nodes && response.data ? { kind: nodes.kind, items: nodes.of(response.data) } : undefined;
      const value = response.errors ? { data: response.data, errors: response.errors } : response.data;
      failures.push(...judgeContent(c, value, { lists, figures, limited }, proofs));
    };
    const sharedParams = (c: Case) => (c.recipe.target ? shared[c.recipe.target] : {});

    const queries = cases.filter((c) => c.key.startsWith('Query.'));
    await inBatches(queries, 16, (c) => run(c, sharedParams(c)));
    failures.push(...proofs.unproven(queries.map((c) => ({ key: c.key, expected: c.expected, principal: c.principal, checked: !!(c.recipe.nodes || c.recipe.figures) }))));
    const mutations = cases.filter((c) => c.key.startsWith('Mutation.'));
    const before = await snapshotA();
    for (const c of mutations.filter((c) => typeof c.expected === 'number')) await run(c, sharedParams(c));
    failures.push(...changesIn(before, await snapshotA()));
    await inBatches(
      mutations.filter((c) => typeof c.expected !== 'number'),
      8,
      async (c) => run(c, c.recipe.target ? await make[c.recipe.target]() : {}),
    );

    expect(failures, `${failures.length} authorization failures:\n${failures.join('\n')}`).toEqual([]);
  });

  /**
   * Changes A's task (created by A's member, so the member is notified),
   * waits until every `ok` feed has it, then sends each principal with an
   * `own` feed a sentinel of its own (a task assigned to it), and once each
   * sentinel arrived checks that no `own` or `silent` feed holds A's change.
   * A feed is served in order, so a sentinel arriving proves that A's change,
   * sent before it, was not.
   */
  const checkLiveFeeds = async (feeds: Feed[], taskId: number): Promise<string[]> => {
    const failures: string[] = [];
    const attempt = async (what: string, wait: Promise<void>) => {
      try {
        await wait;
        return true;
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
        return false;
      }
    };
    await body('change A task', client.patch(`/api/tasks/${taskId}`, { status: 'in_progress' }, { token: a.admin.token }));
    await Promise.all(feeds.filter((f) => f.expect === 'ok').map((f) => attempt(`${f.label} never received A's change`, f.waitFor(taskId, "A's change"))));

    const sentinels = new Map<Column, number>();
    for (const principal of new Set(feeds.filter((f) => f.expect === 'own').map((f) => f.principal))) {
      // Assigned to the principal by someone else (the actor of a change is never notified).
      const [team, assigneeId, creator] =
        principal === 'foreign' ? [b, b.admin.id, b.manager] : [a, userIds[principal], principal === 'member' ? a.admin : a.member];
      const task = await body('sentinel', client.post('/api/tasks', { title: `Sentinel for ${principal}`, assignedTo: assigneeId }, { token: creator.token }));
      if (team === a) remember('task', task.id);
      sentinels.set(principal, task.id);
    }
    const owned = feeds.filter((f) => f.expect === 'own');
    const served = await Promise.all(owned.map((f) => attempt(`${f.label} never received its own sentinel`, f.waitFor(sentinels.get(f.principal)!, 'its sentinel'))));
    owned.forEach((f, i) => served[i] && f.taskIds().includes(taskId) && failures.push(`${f.label} received A's change`));
    for (const f of feeds.filter((f) => f.expect === 'silent')) if (f.taskIds().includes(taskId)) failures.push(`${f.label} received A's change`);
    return failures;
  };

  it('serves GraphQL subscriptions only to the principals the rules allow', { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    const taskId = Number((await make.task()).id);
    const feeds: Feed[] = [];
    for (const [key, recipe] of Object.entries(SUBSCRIPTION_RECIPES)) {
      const columns = GRAPHQL_RULES[key];
      if (!columns) {
        failures.push(`${key}: no rule, so it was not checked`);
        continue;
      }
      const field = key.split('.')[1]!;
      const documents = [recipe.filtered, recipe.all].filter((d): d is string => d !== undefined);
      for (const principal of PRINCIPALS) {
        const expected = expectedGraphql(columns, principal);
        for (const document of documents) {
          const label = `${key}${document === recipe.filtered ? " filtered to A's task" : ''} as ${principal}`;
          const stream = await EventStream.open(server.url, tokens[principal], document, document === recipe.filtered ? { taskId: String(taskId) } : {});
          streams.push(stream);
          if (typeof expected === 'number') {
            const code: unknown = stream.refusal?.errors?.[0]?.extensions?.code;
            if (stream.status !== expected || code !== GRAPHQL_CODES[expected]) {
              failures.push(`${label}: expected HTTP ${expected} ${GRAPHQL_CODES[expected]}, got HTTP ${stream.status} ${String(code)}: ${brief(stream.refusal)}`);
            }
            continue;
          }
          if (stream.status !== 200) {
            failures.push(`${label}: expected a stream, got HTTP ${stream.status}: ${brief(stream.refusal)}`);
            continue;
          }
          const taskIdOf = (event: any) => Number(event?.data?.[field]?.taskId);
          if (expected === 'limited') throw new Error(`${key}: "limited" has no meaning for a subscription`);
          // `ok`: the stream filtered to A's task (if any) must carry A's change.
          // `own`: the sentinel reaches the unfiltered stream; the filtered one must stay silent.
          if (expected === 'ok' && recipe.filtered && document !== recipe.filtered) continue;
          feeds.push({
            label,
            principal: principal as Column,
            expect: expected === 'ok' ? 'ok' : document === recipe.filtered ? 'silent' : 'own',
            taskIds: () => stream.events.map(taskIdOf),
            waitFor: (id, what) => stream.until((event) => taskIdOf(event) === id, what),
          });
        }
      }
    }
    failures.push(...(await checkLiveFeeds(feeds, taskId)));
    expect(failures, `${failures.length} authorization failures:\n${failures.join('\n')}`).toEqual([]);
  });

  it('serves every realtime topic only to the principals the rules allow', { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    const taskId = Number((await make.task()).id);
    const kinds = Object.keys(TOPIC_RULES) as Array<Topic['kind']>;
    const projectId = (await body('read task', client.get(`/api/tasks/${taskId}`, { token: a.member.token }))).projectId as number;
    const topicName = (kind: Topic['kind']) => TOPIC_RULES[kind].pattern.replace('<id>', String(kind === 'project' ? projectId : taskId));

    // The table's topics are the hub's: each name parses to its kind, and the hub's list of topics is the table's.
    for (const kind of kinds) expect(parseTopic(topicName(kind))?.kind, `topic ${topicName(kind)}`).toBe(kind);
    const probe = await TestSocket.subscribed(server.url, a.admin.token, []);
    sockets.push(probe);
    probe.send({ type: 'subscribe', topic: 'no-such-topic' });
    const refusal = await probe.next((f) => f.code === 'bad_topic');
    const listed = String(refusal.message).replace(/^Topics are /, '').split(/, | and /);
    expect(listed.sort(), `the hub accepts topics (${refusal.message}) the table does not list`).toEqual(kinds.map((k) => TOPIC_RULES[k].pattern).sort());

    const feeds: Feed[] = [];
    for (const principal of PRINCIPALS) {
      const token = tokens[principal];
      const socket = await TestSocket.open(server.url, token ? { token } : {});
      sockets.push(socket);
      if (!isColumn(principal)) {
        const refused = SOCKET_REFUSALS[principal];
        if ('close' in refused) {
          const closed = await socket.closedWith();
          if (closed.code !== refused.close || closed.reason !== refused.reason) failures.push(`socket as ${principal}: expected close ${refused.close} "${refused.reason}", got ${closed.code} "${closed.reason}"`);
          if (socket.frames.length) failures.push(`socket as ${principal}: was sent ${brief(socket.frames)} before closing`);
          continue;
        }
        for (const kind of kinds) {
          socket.send({ type: 'subscribe', topic: topicName(kind) });
          const frame = await socket.next((f) => f.topic === topicName(kind));
          if (frame.type !== 'error' || frame.code !== refused.error) failures.push(`${topicName(kind)} as ${principal}: expected error ${refused.error}, got ${brief(frame)}`);
        }
        continue;
      }
      await socket.next((f) => f.type === 'ack' && f.op === 'auth');
      for (const kind of kinds) {
        const name = topicName(kind);
        const expected = TOPIC_RULES[kind].columns[principal];
        if (expected === 'limited') throw new Error(`${TOPIC_RULES[kind].pattern}: "limited" has no meaning for a topic`);
        socket.send({ type: 'subscribe', topic: name });
        const frame = await socket.next((f) => f.topic === name && (f.type === 'ack' || f.type === 'error'));
        const label = `topic ${TOPIC_RULES[kind].pattern} as ${principal}`;
        if (typeof expected === 'number') {
          const code = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 422: 'bad_topic' }[expected];
          if (frame.type !== 'error' || frame.code !== code) failures.push(`${label}: expected error ${code}, got ${brief(frame)}`);
          continue;
        }
        if (frame.type !== 'ack') {
          failures.push(`${label}: expected to subscribe, got ${brief(frame)}`);
          continue;
        }
        const events = () => socket.frames.filter((f) => f.type === 'event' && f.topic === name);
        const taskIdOf = (f: any) => Number(f.taskId ?? f.data?.notification?.taskId);
        feeds.push({
          label,
          principal,
          expect: expected === 'own' && TOPIC_RULES[kind].silent ? 'silent' : expected,
          taskIds: () => events().map(taskIdOf),
          waitFor: (id, what) => socket.next((f) => f.type === 'event' && f.topic === name && taskIdOf(f) === id, 10_000).then(() => undefined, (e: Error) => Promise.reject(new Error(`${what}: ${e.message.slice(0, 300)}`))),
        });
      }
    }
    failures.push(...(await checkLiveFeeds(feeds, taskId)));
    expect(failures, `${failures.length} authorization failures:\n${failures.join('\n')}`).toEqual([]);
  });
});
