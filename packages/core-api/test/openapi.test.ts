import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { TestClient, multipartFile, uniqueEmail, type RequestOptions, type TestResponse } from './support/client.js';
import { Contract } from './support/contract.js';
import { startTestServer } from './support/server.js';

/**
 * The published OpenAPI document is valid, and every operation in it is
 * called for real, each response checked against what the document says
 * about that operation: the status is documented, the body matches the
 * schema (problem responses included). An operation nobody calls here fails
 * the last test, so a new route cannot ship undocumented or unchecked.
 */
describe('OpenAPI document', () => {
  let server: RunningServer;
  let client: TestClient;
  let document: Record<string, any>;
  let contract: Contract;
  const exercised = new Set<string>();

  interface Call extends RequestOptions {
    params?: Record<string, string | number>;
    query?: string;
  }

  /** Calls an operation by its operationId, at the method and path the document gives, and checks the answer. */
  async function call<T = any>(operationId: string, expectedStatus: number, options: Call = {}): Promise<TestResponse<T>> {
    const operation = contract.operation(operationId);
    const { params, query, ...request } = options;
    const response = await client.request<T>(operation.method.toUpperCase(), contract.url(operationId, params, query), request);
    exercised.add(operationId);
    expect(response.status, `${operationId}: ${JSON.stringify(response.body)}`).toBe(expectedStatus);
    expect(contract.violations(operationId, response)).toEqual([]);
    if (response.status >= 400) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((response.body as { status?: number }).status).toBe(response.status);
    }
    return response;
  }

  const password = 'correct horse battery';
  let admin: { id: number; token: string; refreshToken: string; email: string; workspaceId: number };
  const people: Record<'manager' | 'member' | 'other', { id: number; token: string; email: string }> = {} as never;

  beforeAll(async () => {
    // Webhooks to a loopback address that nothing serves, and no worker to send them: deliveries stay pending.
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_WORKER: 'false' });
    client = new TestClient(server.url);
    const response = await client.get('/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
    contract = new Contract(document);
  });
  afterAll(() => server.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('gives every operation a unique operationId, a summary, a tag and a documented success', () => {
    const ids: string[] = [];
    for (const item of Object.values<Record<string, any>>(document.paths)) {
      for (const operation of Object.values<any>(item)) {
        ids.push(operation.operationId);
        expect(operation.summary, operation.operationId).toBeTruthy();
        expect(operation.tags?.length, operation.operationId).toBeGreaterThan(0);
        // A success, or a redirect for an operation that only points elsewhere (an attachment's stable path).
        expect(Object.keys(operation.responses).some((status) => /^[23]\d\d$/.test(status)), operation.operationId).toBe(true);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(contract.operations.size).toBe(ids.length);
  });

  it('auth: register, sign in, refresh, sign out, me', async () => {
    const email = uniqueEmail('oa-admin');
    const registered = await call('register', 201, { body: { name: 'Ada Admin', email, password, workspaceName: 'OpenAPI team' } });
    admin = {
      id: registered.body.user.id,
      token: registered.body.accessToken,
      refreshToken: registered.body.refreshToken,
      email,
      workspaceId: registered.body.workspace.id,
    };
    await call('register', 409, { body: { name: 'Again', email, password, workspaceName: 'Other' } });
    const invalid = await call('register', 400, { body: { name: '', email: 'not-an-email', password: 'short', workspaceName: 'x', extra: 1 } });
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'extra', 'name', 'password']);

    const login = await call('login', 200, { body: { email, password } });
    await call('login', 401, { body: { email, password: 'wrong password' } });
    const refreshed = await call('refresh', 200, { body: { refreshToken: login.body.refreshToken } });
    await call('refresh', 401, { body: { refreshToken: login.body.refreshToken } }); // reused: refused
    await call('logout', 204, { body: { refreshToken: refreshed.body.refreshToken } });
    await call('getDemoSignIns', 404, {});
    const app = { 'x-taskbase-session': '1' };
    const browser = await call('startBrowserSession', 200, { body: { email, password }, headers: app });
    const cookie = (browser.headers.get('set-cookie') ?? '').split(';')[0]!;
    await call('startBrowserSession', 403, { body: { email, password } });
    await call('refreshBrowserSession', 200, { headers: { ...app, cookie } });
    await call('refreshBrowserSession', 401, { headers: app });
    await call('endBrowserSession', 204, { headers: app });

    const me = await call('getMe', 200, { token: admin.token });
    expect(me.body.user.id).toBe(admin.id);
    await call('getMe', 401, { token: 'not-a-token' });
    await call('updateMe', 200, { token: admin.token, body: { name: 'Ada A. Admin' } });
    await call('updateMe', 422, { token: admin.token, body: { email: uniqueEmail('oa-new'), currentPassword: 'not my password' } });
    await call('updateMe', 400, { token: admin.token, body: {} });
  });

  it('users: invite, list, get, change', async () => {
    for (const role of ['manager', 'member', 'other'] as const) {
      const email = uniqueEmail(`oa-${role}`);
      const created = await call('createUser', 201, {
        token: admin.token,
        body: { name: `${role[0]!.toUpperCase()}${role.slice(1)} Person`, email, role: role === 'other' ? 'member' : role, password },
      });
      const login = await call('login', 200, { body: { email, password } });
      people[role] = { id: created.body.user.id, token: login.body.accessToken, email };
    }
    await call('getWorkspace', 200, { token: people.member.token });
    await call('updateWorkspace', 200, { token: admin.token, body: { name: 'OpenAPI workspace' } });
    await call('updateWorkspace', 403, { token: people.manager.token, body: { name: 'Not mine to rename' } });
    await call('updateWorkspace', 400, { token: admin.token, body: { name: ' ' } });
    const temporary = await call('createUser', 201, { token: admin.token, body: { name: 'Temp Person', email: uniqueEmail('oa-temp'), role: 'member' } });
    expect(typeof temporary.body.temporaryPassword).toBe('string');
    await call('createUser', 409, { token: admin.token, body: { name: 'Dup', email: people.member.email, role: 'member' } });
    await call('createUser', 403, { token: people.member.token, body: { name: 'Nope', email: uniqueEmail('oa-nope'), role: 'member' } });
    await call('createUser', 400, { token: admin.token, body: { name: 'Bad', email: uniqueEmail('oa-bad'), role: 'owner' } });

    const list = await call('listUsers', 200, { token: people.member.token, query: 'limit=2' });
    expect(list.body.data).toHaveLength(2);
    const next = await call('listUsers', 200, { token: people.member.token, query: `limit=2&cursor=${list.body.nextCursor}` });
    expect(next.body.data[0].id).toBeGreaterThan(list.body.data[1].id);
    await call('listUsers', 200, { token: people.member.token, query: 'q=person&role=member&active=true' });
    await call('listUsers', 400, { token: people.member.token, query: 'role=owner&limit=0' });

    await call('getUser', 200, { token: people.member.token, params: { id: people.manager.id } });
    await call('getUser', 404, { token: people.member.token, params: { id: 2 ** 40 } });
    await call('getUser', 400, { token: people.member.token, params: { id: 'abc' } });

    await call('updateUser', 200, { token: admin.token, params: { id: temporary.body.user.id }, body: { name: 'Temporary Person', active: false } });
    await call('updateUser', 409, { token: admin.token, params: { id: admin.id }, body: { role: 'member' } });
    await call('updateUser', 404, { token: admin.token, params: { id: 2 ** 40 }, body: { name: 'Nobody' } });
    await call('updateUser', 403, { token: people.manager.token, params: { id: people.member.id }, body: { role: 'admin' } });
  });

  it('API keys and embed tokens', async () => {
    const created = await call('createApiKey', 201, {
      token: admin.token,
      body: { name: 'Host app', allowedOrigins: ['https://host.example'], maxRole: 'member' },
    });
    const key: string = created.body.key;
    await call('createApiKey', 400, { token: admin.token, body: { name: 'Bad', allowedOrigins: ['not an origin'] } });
    await call('createApiKey', 403, { token: people.manager.token, body: { name: 'Not mine' } });
    const list = await call('listApiKeys', 200, { token: admin.token });
    expect(list.body.data.map((k: { id: number }) => k.id)).toContain(created.body.apiKey.id);

    const embed = await call('createEmbedToken', 200, {
      headers: { authorization: `Bearer ${key}` },
      body: { externalId: 'host-user-1', name: 'Host User', email: uniqueEmail('oa-host') },
    });
    expect(embed.body.user.externalId).toBe('host-user-1');
    await call('createEmbedToken', 403, { headers: { authorization: `Bearer ${key}` }, body: { externalId: 'host-admin', name: 'Boss', role: 'admin' } });
    await call('createEmbedToken', 401, { headers: { authorization: 'Bearer tb_sk_notakey' }, body: { externalId: 'x', name: 'X' } });
    await call('createEmbedToken', 400, { headers: { authorization: `Bearer ${key}` }, body: { externalId: 'has space', name: '' } });

    await call('revokeApiKey', 204, { token: admin.token, params: { id: created.body.apiKey.id } });
    await call('revokeApiKey', 404, { token: admin.token, params: { id: 2 ** 40 } });
    await call('createEmbedToken', 401, { headers: { authorization: `Bearer ${key}` }, body: { externalId: 'host-user-1', name: 'Host User' } });
  });

  let taskId: number;
  let otherTaskId: number;

  it('tasks: create, list, get, update, move, bulk, activity, delete', async () => {
    const created = await call('createTask', 201, {
      token: people.manager.token,
      body: { title: 'Write the docs', description: 'All of them', priority: 'high', assignedTo: people.member.id, dueDate: '2030-01-01T00:00:00Z' },
    });
    taskId = created.body.id;
    const second = await call('createTask', 201, { token: people.manager.token, body: { title: 'Second card', externalId: 'oa-second' } });
    otherTaskId = second.body.id;
    await call('createTask', 201, { token: people.member.token, body: { title: 'Done already', status: 'done' } });
    const invalid = await call('createTask', 400, { token: people.manager.token, body: { title: ' ', priority: 'huge', bogus: true } });
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['bogus', 'priority', 'title']);
    await call('createTask', 422, { token: people.manager.token, body: { title: 'Nobody', assignedTo: 2 ** 40 } });

    const page = await call('listTasks', 200, { token: people.manager.token, query: 'limit=1&sort=-createdAt' });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    await call('listTasks', 200, { token: people.manager.token, query: `limit=1&sort=-createdAt&cursor=${page.body.nextCursor}` });
    await call('countTasks', 200, { token: people.member.token, query: 'priority=high,urgent' });
    await call('countTasks', 400, { token: people.member.token, query: 'limit=5' });
    await call('listTasks', 200, {
      token: people.member.token,
      query: 'status=todo,in_progress&priority=high&assignee=me&q=docs&dueBefore=2031-01-01T00:00:00Z&sort=dueDate&overdue=false',
    });
    await call('listTasks', 400, { token: people.manager.token, query: `sort=priority&cursor=${page.body.nextCursor}` });
    await call('listTasks', 400, { token: people.manager.token, query: 'status=lost&limit=1000' });

    await call('getTask', 200, { token: people.member.token, params: { id: taskId } });
    await call('getTask', 404, { token: people.member.token, params: { id: 2 ** 40 } });

    const etag = created.headers.get('etag')!;
    const updated = await call('updateTask', 200, { token: people.member.token, params: { id: taskId }, headers: { 'if-match': etag }, body: { status: 'in_progress' } });
    await call('updateTask', 412, { token: people.member.token, params: { id: taskId }, headers: { 'if-match': etag }, body: { title: 'Stale' } });
    await call('updateTask', 403, { token: people.other.token, params: { id: taskId }, body: { title: 'Not mine' } });
    await call('updateTask', 404, { token: people.manager.token, params: { id: 2 ** 40 }, body: { title: 'Nothing' } });
    await call('updateTask', 400, { token: people.manager.token, params: { id: taskId }, headers: { 'if-match': 'garbage' }, body: { title: 'x' } });

    await call('moveTask', 200, {
      token: people.manager.token,
      params: { id: otherTaskId },
      headers: { 'if-match': second.headers.get('etag')! },
      body: { status: 'in_progress', afterId: taskId },
    });
    await call('moveTask', 412, { token: people.manager.token, params: { id: taskId }, headers: { 'if-match': etag }, body: { status: 'done' } });
    await call('moveTask', 422, { token: people.manager.token, params: { id: taskId }, headers: { 'if-match': updated.headers.get('etag')! }, body: { beforeId: taskId } });

    const bulk = await call('bulkTasks', 200, {
      token: people.manager.token,
      body: { items: [{ title: 'Bulk one' }, { externalId: 'oa-second', priority: 'urgent' }, { id: taskId }, { title: '' }] },
    });
    expect(bulk.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'updated', 'unchanged', 'error']);
    await call('bulkTasks', 200, { token: people.manager.token, body: { items: [{ title: 'Dry' }], dryRun: true } });
    await call('bulkTasks', 400, { token: people.manager.token, body: { items: [] } });

    const activity = await call('listTaskActivity', 200, { token: people.member.token, params: { id: taskId }, query: 'limit=1' });
    await call('listTaskActivity', 200, { token: people.member.token, params: { id: taskId }, query: `cursor=${activity.body.nextCursor}` });
    await call('listTaskActivity', 404, { token: people.member.token, params: { id: 2 ** 40 } });

    const doomed = await call('createTask', 201, { token: people.member.token, body: { title: 'Short-lived' } });
    await call('deleteTask', 403, { token: people.other.token, params: { id: doomed.body.id } });
    await call('deleteTask', 204, { token: people.member.token, params: { id: doomed.body.id }, headers: { 'if-match': doomed.headers.get('etag')! } });
    await call('deleteTask', 404, { token: people.member.token, params: { id: doomed.body.id } });
  });

  it('comments: create, list, edit, delete', async () => {
    const created = await call('createComment', 201, {
      token: people.other.token,
      params: { id: taskId },
      body: { comment: `Looks good @${people.member.email.split('@')[0]}` },
    });
    await call('createComment', 404, { token: people.other.token, params: { id: 2 ** 40 }, body: { comment: 'Hello?' } });
    await call('createComment', 400, { token: people.other.token, params: { id: taskId }, body: { comment: '   ' } });
    await call('createComment', 201, { token: people.member.token, params: { id: taskId }, body: { comment: 'Second' } });

    const list = await call('listComments', 200, { token: people.member.token, params: { id: taskId }, query: 'limit=1' });
    await call('listComments', 200, { token: people.member.token, params: { id: taskId }, query: `cursor=${list.body.nextCursor}` });
    await call('listComments', 404, { token: people.member.token, params: { id: 2 ** 40 } });

    const commentId = created.body.id;
    await call('updateComment', 200, { token: people.other.token, params: { id: taskId, commentId }, body: { comment: 'Looks great' } });
    await call('updateComment', 403, { token: people.member.token, params: { id: taskId, commentId }, body: { comment: 'Hijack' } });
    await call('updateComment', 404, { token: people.other.token, params: { id: taskId, commentId: 2 ** 40 }, body: { comment: 'Gone' } });

    await call('deleteComment', 403, { token: people.member.token, params: { id: taskId, commentId } });
    await call('deleteComment', 204, { token: people.other.token, params: { id: taskId, commentId } });
    await call('deleteComment', 404, { token: people.other.token, params: { id: taskId, commentId } });
  });

  it('imports: preview a file before importing it', async () => {
    const form = async (text: string, fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      body.append('file', new Blob([text]), 'tasks.csv');
      const encoded = new Response(body);
      return { rawBody: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
    };
    const preview = await call('previewImport', 200, { token: admin.token, ...(await form('Summary,Due date\nShip,2026-01-02\n', { source: 'csv' })) });
    expect(preview.body).toEqual({ columns: ['Summary', 'Due date'], sample: [['Ship', '2026-01-02']], rows: 1, suggested: { Summary: 'title', 'Due date': 'dueDate' } });
    await call('previewImport', 422, { token: admin.token, ...(await form('Summary\nShip\n', { source: 'jira' })) });
    await call('previewImport', 403, { token: people.member.token, ...(await form('Summary\nShip\n', { source: 'csv' })) });
    await call('previewImport', 415, { token: admin.token, body: { source: 'csv' } });
  });

  it('imports: start, read, list, cancel', async () => {
    const token = admin.token;
    const csv = (fields: Record<string, string>) => multipartFile('Title,Priority\nShip it,high\n', 'tasks.csv', fields);
    const started = await call('createImport', 202, { token, ...(await csv({ source: 'csv', mapping: '{"Title":"title","Priority":"priority"}', dryRun: 'true' })) });
    expect(started.body).toMatchObject({ kind: 'import', status: 'queued', params: { source: 'csv', dryRun: true, onError: 'stop' } });
    await call('createImport', 400, { token, ...(await csv({ source: 'jira' })) });
    await call('createImport', 422, { token, ...(await csv({ source: 'csv' })) });
    await call('createImport', 403, { token: people.member.token, ...(await csv({ source: 'csv', mapping: '{"Title":"title"}' })) });
    await call('createImport', 415, { token, body: { source: 'csv' } });
    // This workspace's jobs only: on a shared database other files queue imports too.
    const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, admin.workspaceId);
    runner.handle('import', server.services.imports.handle);
    await runner.runOnce();
    const job = await call('getImport', 200, { token, params: { id: started.body.id } });
    expect(job.body).toMatchObject({ status: 'succeeded', result: { dryRun: true, errorCount: 0 } });
    await call('getImport', 403, { token: people.member.token, params: { id: started.body.id } });
    await call('getImport', 404, { token, params: { id: 2 ** 40 } });
    await call('listImports', 200, { token, query: 'limit=10' });
    const queued = await call('createImport', 202, { token, ...(await csv({ source: 'csv', mapping: '{"Title":"title"}' })) });
    const cancelled = await call('cancelImport', 200, { token, params: { id: queued.body.id } });
    expect(cancelled.body.status).toBe('cancelled');
    await call('cancelImport', 404, { token, params: { id: 2 ** 40 } });
  });

  it('attachments: upload, list, get, redirect, download, react, delete', async () => {
    const file = await multipartFile('meeting notes', 'notes.txt');
    const created = await call('uploadAttachment', 201, { token: people.member.token, params: { id: taskId }, ...file });
    await call('uploadAttachment', 415, { token: people.member.token, params: { id: taskId }, body: { file: 'notes' } });
    await call('uploadAttachment', 404, { token: people.member.token, params: { id: 2 ** 40 }, ...file });
    const comment = await call('createComment', 201, { token: people.member.token, params: { id: taskId }, body: { comment: 'With a file' } });
    await call('uploadCommentAttachment', 201, { token: people.member.token, params: { id: taskId, commentId: comment.body.id }, ...(await multipartFile('log', 'log.txt')) });
    await call('uploadCommentAttachment', 403, { token: people.other.token, params: { id: taskId, commentId: comment.body.id }, ...(await multipartFile('x', 'x.txt')) });
    await call('listAttachments', 200, { token: people.other.token, params: { id: taskId }, query: 'limit=1' });
    await call('getAttachment', 200, { token: people.other.token, params: { id: taskId, attachmentId: created.body.id } });
    await call('getAttachment', 404, { token: people.other.token, params: { id: taskId, attachmentId: 2 ** 40 } });
    const redirect = await call('redirectToAttachment', 302, { token: people.other.token, params: { attachmentId: created.body.id }, redirect: 'manual' });
    await call('redirectToAttachment', 404, { token: people.other.token, params: { attachmentId: 2 ** 40 } });
    const [, fileId = '', query = ''] = /^\/api\/files\/(\d+)\?(.*)$/.exec(redirect.headers.get('location')!)!;
    const downloaded = await call('downloadFile', 200, { params: { fileId }, query });
    expect(downloaded.body).toBe('meeting notes');
    await call('downloadFile', 403, { params: { fileId }, query: query!.replace(/sig=[^&]+/, 'sig=AAAA') });
    await call('toggleReaction', 200, { token: people.other.token, params: { id: taskId, commentId: comment.body.id }, body: { emoji: '🎉' } });
    await call('toggleReaction', 400, { token: people.other.token, params: { id: taskId, commentId: comment.body.id }, body: { emoji: 'yay' } });
    await call('toggleReaction', 404, { token: people.other.token, params: { id: taskId, commentId: 2 ** 40 }, body: { emoji: '🎉' } });
    await call('toggleReaction', 200, { token: people.other.token, params: { id: taskId, commentId: comment.body.id }, body: { emoji: '🎉' } });
    await call('deleteAttachment', 403, { token: people.other.token, params: { id: taskId, attachmentId: created.body.id } });
    await call('deleteAttachment', 204, { token: people.member.token, params: { id: taskId, attachmentId: created.body.id } });
    await call('deleteAttachment', 404, { token: people.member.token, params: { id: taskId, attachmentId: created.body.id } });
  });

  it('notification preferences and the workspace defaults', async () => {
    const token = people.member.token;
    const mine = await call('getNotificationPreferences', 200, { token });
    expect(mine.body.channels.assigned).toEqual({ inApp: true, email: true });
    const changed = await call('updateNotificationPreferences', 200, { token, body: { channels: { commented: { email: true } }, emailDigest: 'hourly', timezone: 'Asia/Kolkata' } });
    expect(changed.body).toMatchObject({ emailDigest: 'hourly', timezone: 'Asia/Kolkata', channels: { commented: { inApp: true, email: true } } });
    const badZone = await call('updateNotificationPreferences', 422, { token, body: { timezone: 'Mars/Olympus' } });
    expect(badZone.body.errors[0].path).toBe('timezone');
    await call('updateNotificationPreferences', 400, { token, body: { channels: { nagging: { email: true } } } });
    await call('updateNotificationPreferences', 400, { token, body: {} });
    await call('updateNotificationPreferences', 200, { token, body: { emailDigest: 'off', timezone: 'UTC' } });
    await call('getNotificationDefaults', 200, { token });
    await call('updateNotificationDefaults', 403, { token, body: { emailDigest: 'daily' } });
    const defaults = await call('updateNotificationDefaults', 200, { token: admin.token, body: { taskUrlTemplate: 'https://host.example/tasks/{identifier}' } });
    expect(defaults.body.taskUrlTemplate).toBe('https://host.example/tasks/{identifier}');
    const noPlaceholder = await call('updateNotificationDefaults', 422, { token: admin.token, body: { taskUrlTemplate: 'https://host.example/tasks' } });
    expect(noPlaceholder.body.errors[0].path).toBe('taskUrlTemplate');
    await call('updateNotificationDefaults', 200, { token: admin.token, body: { taskUrlTemplate: null } });
  });

  it('notifications: list, count, mark read', async () => {
    const list = await call('listNotifications', 200, { token: people.member.token, query: 'unread=true&limit=1' });
    expect(list.body.data.length).toBe(1);
    await call('listNotifications', 200, { token: people.member.token, query: `cursor=${list.body.nextCursor}` });
    await call('listNotifications', 400, { token: people.member.token, query: 'unread=maybe' });
    const count = await call('countUnreadNotifications', 200, { token: people.member.token });
    expect(count.body.unread).toBeGreaterThan(1);
    await call('markNotificationRead', 200, { token: people.member.token, params: { id: list.body.data[0].id } });
    await call('markNotificationRead', 404, { token: people.other.token, params: { id: list.body.data[0].id } });
    const all = await call('markAllNotificationsRead', 200, { token: people.member.token });
    expect(all.body.updated).toBe(count.body.unread - 1);
  });

  it('notifications: grouped by task, read per task, archived', async () => {
    const token = people.member.token;
    const groups = await call('listNotifications', 200, { token, query: 'group=task&limit=1' });
    expect(groups.body.data[0]).toHaveProperty('kinds');
    const cursor = groups.body.nextCursor ?? Buffer.from(JSON.stringify([groups.body.data[0].latest.id])).toString('base64url');
    await call('listNotifications', 200, { token, query: `group=task&cursor=${cursor}` });
    await call('listNotifications', 400, { token, query: 'group=label' });
    const taskId = groups.body.data[0].taskId;
    await call('markTaskNotificationsRead', 200, { token, params: { taskId } });
    await call('markTaskNotificationsRead', 400, { token, params: { taskId: 'x' } });
    await call('archiveTaskNotifications', 200, { token, params: { taskId } });
    await call('unarchiveTaskNotifications', 200, { token, params: { taskId } });
    const id = groups.body.data[0].latest.id;
    await call('archiveNotification', 200, { token, params: { id } });
    await call('listNotifications', 200, { token, query: 'archived=true' });
    await call('unarchiveNotification', 200, { token, params: { id } });
    await call('archiveNotification', 404, { token: people.other.token, params: { id } });
    await call('unarchiveNotification', 404, { token: people.other.token, params: { id } });
  });

  it('calendar feeds: create, list, read as iCalendar, revoke', async () => {
    const token = people.member.token;
    const feed = await call('createCalendarFeed', 201, { token, body: { scope: 'assigned', name: 'Mine' } });
    await call('createCalendarFeed', 422, { token, body: { scope: 'project' } });
    await call('listCalendarFeeds', 200, { token });
    const secret = String(feed.body.url).split('/').pop()!.replace(/\.ics$/, '');
    const ics = await call('getCalendarFeed', 200, { params: { secret } });
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    await call('getCalendarFeed', 304, { params: { secret }, headers: { 'if-none-match': ics.headers.get('etag')! } });
    await call('revokeCalendarFeed', 204, { token, params: { id: feed.body.id } });
    await call('revokeCalendarFeed', 404, { token, params: { id: feed.body.id } });
    await call('getCalendarFeed', 404, { params: { secret } });
  });

  it('exports: start, list, read, download; tasks as CSV', async () => {
    const token = admin.token;
    const started = await call('createExport', 202, { token, body: { format: 'json' } });
    await call('createExport', 400, { token, body: { format: 'xml' } });
    await call('createExport', 422, { token, body: { format: 'csv', projectId: 999_999_999 } });
    // This workspace's jobs only: on a shared database other files queue exports too.
    const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, admin.workspaceId);
    runner.handle('export', server.services.exports.run);
    await runner.runOnce();
    const job = await call('getExport', 200, { token, params: { id: started.body.id } });
    expect(job.body.status).toBe('succeeded');
    await call('getExport', 404, { token: people.member.token, params: { id: started.body.id } });
    await call('listExports', 200, { token, query: 'limit=10' });
    const [, query] = String(job.body.download.url).split('?');
    const file = await call('downloadExport', 200, { params: { id: started.body.id }, query });
    expect(file.headers.get('content-type')).toBe('application/zip');
    await call('downloadExport', 404, { params: { id: started.body.id }, query: query!.replace(/sig=[^&]+/, 'sig=forged') });
    const csv = await call('exportTasksCsv', 200, { token, query: 'priority=high,urgent' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    await call('exportTasksCsv', 400, { token, query: 'priority=extreme' });
  });

  it('analytics: summary, counts, by assignee, trend, cycle time', async () => {
    for (const token of [people.manager.token, people.member.token]) {
      await call('getAnalyticsSummary', 200, { token, query: 'timezone=Europe/Paris' });
      await call('getAnalyticsCounts', 200, { token });
      await call('getAnalyticsByAssignee', 200, { token });
      await call('getAnalyticsByLabel', 200, { token });
      await call('getAnalyticsTrend', 200, { token, query: 'from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z' });
      await call('getAnalyticsCycleTime', 200, { token });
    }
    const backwards = 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z';
    await call('getAnalyticsSummary', 400, { token: people.manager.token, query: backwards });
    await call('getAnalyticsTrend', 400, { token: people.manager.token, query: 'timezone=Mars/Olympus_Mons' });
    await call('getAnalyticsCycleTime', 400, { token: people.manager.token, query: backwards });
  });

  it('events: catch up after an id', async () => {
    const first = await call('listEvents', 200, { token: people.manager.token, query: 'limit=2' });
    expect(first.body.data.length).toBe(2);
    expect(first.body.hasMore).toBe(true);
    const next = await call('listEvents', 200, { token: people.manager.token, query: `after=${first.body.lastId}&limit=1000` });
    expect(next.body.data.every((event: { id: number }) => event.id > first.body.lastId)).toBe(true);
    await call('listEvents', 400, { token: people.manager.token, query: 'after=-1&limit=0' });
  });

  it('projects: create, list, get, upsert by external id, workflow, members, archive, delete', async () => {
    const created = await call('createProject', 201, {
      token: admin.token,
      body: { key: 'OAP', name: 'OpenAPI project', visibility: 'private', leadId: people.member.id },
    });
    const project = created.body.id;
    await call('createProject', 409, { token: admin.token, body: { key: 'OAP', name: 'Same key' } });
    await call('createProject', 403, { token: people.member.token, body: { key: 'NOPE', name: 'Member project' } });
    await call('createProject', 400, { token: admin.token, body: { key: 'lower', name: 'Bad key' } });
    const page = await call('listProjects', 200, { token: admin.token, query: 'limit=1' });
    expect(page.body.data).toHaveLength(1);
    await call('listProjects', 200, { token: admin.token, query: 'archived=false&q=openapi' });
    await call('getProject', 200, { token: admin.token, params: { project: 'OAP' } });
    await call('getProject', 404, { token: people.other.token, params: { project: 'OAP' } });
    const mirrored = await call('upsertProjectByExternalId', 201, { token: admin.token, params: { externalId: 'deal-42' }, body: { name: 'Deal 42' } });
    expect(mirrored.body.key).toMatch(/^[A-Z][A-Z0-9]+$/);
    await call('upsertProjectByExternalId', 200, { token: admin.token, params: { externalId: 'deal-42' }, body: { name: 'Deal 42, renamed' } });
    await call('upsertProjectByExternalId', 403, { token: people.member.token, params: { externalId: 'deal-43' }, body: { name: 'Deal 43' } });
    await call('updateProject', 200, { token: people.member.token, params: { project }, body: { description: 'Led by the member' } });
    await call('updateProject', 404, { token: people.other.token, params: { project }, body: { description: 'Not a member' } });
    await call('updateProject', 409, { token: admin.token, params: { project: 'GEN' }, body: { archived: true } });
    await call('listProjectStatuses', 200, { token: admin.token, params: { project } });
    await call('addProjectStatus', 201, { token: admin.token, params: { project }, body: { key: 'blocked', name: 'Blocked', category: 'started' } });
    await call('addProjectStatus', 409, { token: admin.token, params: { project }, body: { key: 'blocked', name: 'Again', category: 'started' } });
    await call('reorderProjectStatuses', 200, { token: admin.token, params: { project }, body: { keys: ['blocked', 'todo', 'in_progress', 'in_review', 'done'] } });
    await call('reorderProjectStatuses', 422, { token: admin.token, params: { project }, body: { keys: ['todo'] } });
    await call('updateProjectStatus', 200, { token: admin.token, params: { project, key: 'blocked' }, body: { name: 'Waiting', color: '#f59e0b' } });
    await call('updateProjectStatus', 403, { token: people.other.token, params: { project: 'GEN', key: 'todo' }, body: { name: 'x' } });
    await call('createTask', 201, { token: admin.token, body: { title: 'In the waiting column', projectId: project, status: 'blocked' } });
    await call('removeProjectStatus', 409, { token: admin.token, params: { project, key: 'blocked' } });
    await call('removeProjectStatus', 200, { token: admin.token, params: { project, key: 'blocked' }, query: 'moveTo=todo' });
    await call('listProjectMembers', 200, { token: admin.token, params: { project } });
    await call('addProjectMember', 200, { token: admin.token, params: { project }, body: { userId: people.other.id } });
    await call('addProjectMember', 422, { token: admin.token, params: { project }, body: { userId: 2 ** 40 } });
    await call('removeProjectMember', 204, { token: admin.token, params: { project, userId: people.other.id } });
    await call('removeProjectMember', 404, { token: admin.token, params: { project, userId: people.other.id } });
    const archived = await call('deleteProject', 200, { token: admin.token, params: { project } });
    expect(archived.body.outcome).toBe('archived');
    const empty = await call('deleteProject', 200, { token: admin.token, params: { project: 'ext:deal-42' } });
    expect(empty.body.outcome).toBe('deleted');
    await call('deleteProject', 409, { token: admin.token, params: { project: 'GEN' } });
  });

  it('labels, custom fields, relations, watchers and saved views', async () => {
    const label = (await call('createLabel', 201, { token: admin.token, body: { name: 'OpenAPI label', color: '#0891b2' } })).body;
    await call('createLabel', 409, { token: admin.token, body: { name: 'openapi LABEL' } });
    await call('createLabel', 403, { token: people.member.token, body: { name: 'Member label' } });
    await call('listLabels', 200, { token: people.member.token, query: 'q=openapi' });
    await call('updateLabel', 200, { token: admin.token, params: { id: label.id }, body: { description: 'Described' } });
    await call('updateLabel', 404, { token: admin.token, params: { id: 999999 }, body: { description: 'x' } });

    await call('createField', 201, { token: admin.token, body: { key: 'oa_tier', name: 'Tier', type: 'select', options: [{ name: 'Gold' }, { name: 'Silver' }] } });
    await call('createField', 409, { token: admin.token, body: { key: 'oa_tier', name: 'Again', type: 'text' } });
    await call('createField', 422, { token: admin.token, body: { key: 'oa_text', name: 'Text', type: 'text', options: [{ name: 'A' }] } });
    await call('listFields', 200, { token: people.member.token });
    await call('updateField', 200, { token: admin.token, params: { key: 'oa_tier' }, body: { options: [{ id: 'gold', name: 'Gold+' }, { id: 'silver', name: 'Silver' }] } });
    await call('updateField', 404, { token: admin.token, params: { key: 'nosuch' }, body: { name: 'x' } });

    const parent = (await call('createTask', 201, { token: admin.token, body: { title: 'OpenAPI parent', labelIds: [label.id], fields: { oa_tier: 'gold' } } })).body;
    const child = (await call('createTask', 201, { token: admin.token, body: { title: 'OpenAPI child', parentId: parent.id } })).body;
    await call('createTask', 422, { token: admin.token, body: { title: 'Bad field', fields: { oa_tier: 'bronze' } } });
    await call('listTasks', 200, { token: admin.token, query: `label=${label.id}&cf.oa_tier=gold&sort=cf.oa_tier` });
    await call('deleteTask', 409, { token: admin.token, params: { id: parent.id } });

    const relation = (await call('addTaskRelation', 201, { token: admin.token, params: { id: child.id }, body: { type: 'blocks', taskId: parent.identifier } })).body;
    await call('addTaskRelation', 422, { token: admin.token, params: { id: parent.id }, body: { type: 'blocks', taskId: child.id } });
    await call('listTaskRelations', 200, { token: people.member.token, params: { id: parent.identifier } });
    await call('removeTaskRelation', 204, { token: admin.token, params: { id: parent.id, relationId: relation.id } });
    await call('removeTaskRelation', 404, { token: admin.token, params: { id: parent.id, relationId: relation.id } });

    await call('addTaskWatcher', 200, { token: people.member.token, params: { id: parent.id }, body: {} });
    await call('addTaskWatcher', 403, { token: people.member.token, params: { id: parent.id }, body: { userId: people.manager.id } });
    await call('listTaskWatchers', 200, { token: people.member.token, params: { id: parent.id } });
    await call('removeTaskWatcher', 200, { token: people.member.token, params: { id: parent.id, userId: 'me' } });

    const recurring = (await call('createTask', 201, { token: people.member.token, body: { title: 'OpenAPI weekly', dueDate: '2031-01-06T09:00:00Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO', mode: 'schedule' } } })).body;
    await call('createTask', 422, { token: people.member.token, body: { title: 'Too often', recurrence: { rule: 'FREQ=MINUTELY' } } });
    const reminder = (await call('createTaskReminder', 201, { token: people.member.token, params: { id: recurring.id }, body: { beforeDue: 'PT1H' } })).body;
    await call('createTaskReminder', 403, { token: people.member.token, params: { id: recurring.id }, body: { beforeDue: 'PT1H', userId: people.manager.id } });
    await call('createTaskReminder', 422, { token: people.member.token, params: { id: recurring.id }, body: { at: '2001-01-01T00:00:00Z' } });
    await call('listTaskReminders', 200, { token: people.member.token, params: { id: recurring.id } });
    await call('deleteTaskReminder', 204, { token: people.member.token, params: { id: recurring.id, reminderId: reminder.id } });
    await call('deleteTaskReminder', 404, { token: people.member.token, params: { id: recurring.id, reminderId: reminder.id } });
    await call('updateTask', 200, { token: people.member.token, params: { id: recurring.id }, body: { recurrence: null } });

    const view = (await call('createView', 201, { token: people.member.token, body: { name: 'My gold', query: 'cf.oa_tier=gold', layout: 'board' } })).body;
    await call('createView', 422, { token: people.member.token, body: { name: 'Bad', query: 'priority=extreme' } });
    await call('listViews', 200, { token: people.member.token });
    await call('getView', 200, { token: people.member.token, params: { id: view.id } });
    await call('getView', 404, { token: people.manager.token, params: { id: view.id } });
    await call('updateView', 200, { token: people.member.token, params: { id: view.id }, body: { shared: true } });
    await call('updateView', 403, { token: people.other.token, params: { id: view.id }, body: { name: 'Mine now' } });
    await call('deleteView', 204, { token: people.member.token, params: { id: view.id } });

    await call('deleteTask', 204, { token: admin.token, params: { id: parent.id }, query: 'cascade=true' });
    await call('deleteLabel', 204, { token: admin.token, params: { id: label.id } });
    await call('deleteField', 204, { token: admin.token, params: { key: 'oa_tier' } });
    await call('deleteField', 404, { token: admin.token, params: { key: 'oa_tier' } });
  });

  it('webhooks: endpoints, secrets, test events, deliveries', async () => {
    const types = await call('listWebhookEventTypes', 200, { token: admin.token });
    expect(types.body.data.length).toBeGreaterThan(0);
    const created = await call('createWebhookEndpoint', 201, {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/hook', description: 'OpenAPI test', eventTypes: [types.body.data[0].type] },
    });
    const id = created.body.endpoint.id;
    await call('createWebhookEndpoint', 422, { token: admin.token, body: { url: 'ftp://example.test/hook' } });
    await call('createWebhookEndpoint', 403, { token: people.manager.token, body: { url: 'http://127.0.0.1:9/hook' } });
    await call('listWebhookEndpoints', 200, { token: admin.token });
    await call('getWebhookEndpoint', 200, { token: admin.token, params: { id } });
    await call('getWebhookEndpoint', 404, { token: admin.token, params: { id: 2 ** 40 } });
    await call('updateWebhookEndpoint', 200, { token: admin.token, params: { id }, body: { description: 'Renamed', enabled: true } });
    await call('updateWebhookEndpoint', 422, { token: admin.token, params: { id }, body: { url: 'ftp://example.test/hook' } });
    await call('getWebhookSecret', 200, { token: admin.token, params: { id } });
    const rotated = await call('rotateWebhookSecret', 200, { token: admin.token, params: { id }, body: { overlapSeconds: 60 } });
    expect(rotated.body.previousSecret).toBe(created.body.secret);
    const test = await call('sendWebhookTest', 202, { token: admin.token, params: { id } });
    await call('listWebhookDeliveries', 200, { token: admin.token, params: { id }, query: 'status=pending&limit=10' });
    await call('getWebhookDelivery', 200, { token: admin.token, params: { id, deliveryId: test.body.id } });
    await call('getWebhookDelivery', 404, { token: admin.token, params: { id, deliveryId: 2 ** 40 } });
    await call('resendWebhookDelivery', 202, { token: admin.token, params: { id, deliveryId: test.body.id } });
    await call('resendWebhookDelivery', 404, { token: admin.token, params: { id, deliveryId: 2 ** 40 } });
    await call('deleteWebhookEndpoint', 204, { token: admin.token, params: { id } });
    await call('deleteWebhookEndpoint', 404, { token: admin.token, params: { id } });
  });

  it('answers 401 problem documents on every signed-in operation without a token', async () => {
    for (const operation of contract.operations.values()) {
      if (!operation.security.some((requirement) => Object.keys(requirement as object).includes('bearerAuth'))) continue;
      const params = Object.fromEntries([...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => [match[1]!, 1]));
      const response = await client.request(operation.method.toUpperCase(), contract.url(operation.operationId, params));
      expect(response.status, operation.operationId).toBe(401);
      expect(contract.violations(operation.operationId, response)).toEqual([]);
    }
  });

  it('serves the API reference at /docs: a page of scripts from this origin over /openapi.json', async () => {
    // The page itself (Scalar, in a browser) is tested in api-reference.test.ts.
    const response = await client.get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval/);
    const html: string = response.body;
    expect(html).toContain('"url":"/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//i); // nothing loaded from elsewhere
  });

  it('exercised every operation of the document', () => {
    const missing = [...contract.operations.keys()].filter((operationId) => !exercised.has(operationId));
    expect(missing, 'operations in /openapi.json that this file never calls: add them').toEqual([]);
  });
});
