import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { importForm, runImport } from './support/imports.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';
import { archiveOf, contentOf, readWorkspace, type WorkspaceContent } from './support/workspaceContent.js';

/**
 * Imports end to end over HTTP: a Taskbase archive into a new workspace
 * reproduces the source (counts and a content hash), a re-run makes
 * nothing, and a file with bad records is reported by line (dry run), fails
 * whole (onError=stop) or imports its good records (onError=skip).
 */
describe(`imports (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let source: Team;
  let content: WorkspaceContent;
  let archive: Buffer;

  const register = async (name: string) => {
    const team = await createTeam(client, name);
    return team;
  };

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    source = await register('Source');
    const token = source.admin.token;
    const post = async (path: string, body: unknown) => {
      const response = await client.post(path, body, { token });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const project = await post('/api/projects', {
      key: 'CRM',
      name: 'Customers',
      description: 'Deals and accounts',
      statuses: [
        { key: 'open', name: 'Open', category: 'unstarted' },
        { key: 'doing', name: 'Doing', category: 'started' },
        { key: 'won', name: 'Won', category: 'completed' },
      ],
    });
    await post('/api/labels', { name: 'Urgent', color: '#ef4444' });
    await post('/api/labels', { name: 'Backend', color: '#3b82f6' });
    await post('/api/fields', { key: 'size', name: 'Size', type: 'select', options: [{ name: 'Small' }, { name: 'Large' }] });
    await post('/api/fields', { key: 'owner', name: 'Owner', type: 'user' });
    await post('/api/fields', { key: 'points', name: 'Points', type: 'number' });
    const labels = (await client.get('/api/labels', { token })).body.data as Array<{ id: number; name: string }>;
    const label = (name: string) => labels.find((l) => l.name === name)!.id;
    const parent = await post('/api/tasks', { projectId: project.id, title: 'Close the Acme deal', description: 'With **markdown**', status: 'doing', priority: 'high', assignedTo: source.manager.id, dueDate: '2027-01-15T00:00:00.000Z', labelIds: [label('Urgent')], fields: { size: 'Large', owner: source.member.id, points: 8 } });
    const child = await post('/api/tasks', { projectId: project.id, title: 'Send the contract', parentId: parent.id, status: 'won', labelIds: [label('Urgent'), label('Backend')], fields: { size: 'Small' } });
    const other = await post('/api/tasks', { title: 'Tidy the backlog', priority: 'low' });
    const fourth = await post('/api/tasks', { projectId: project.id, title: 'Call back Globex', assignedTo: source.other.id });
    await post(`/api/tasks/${parent.id}/relations`, { type: 'blocks', taskId: other.id });
    await post(`/api/tasks/${fourth.id}/relations`, { type: 'relates_to', taskId: parent.id });
    await post(`/api/tasks/${child.id}/relations`, { type: 'duplicates', taskId: fourth.id });
    await post(`/api/tasks/${parent.id}/comments`, { comment: 'Spoke to them today' });
    await client.post(`/api/tasks/${parent.id}/comments`, { comment: 'They want a discount' }, { token: source.member.token });
    await post(`/api/tasks/${other.id}/watchers`, { userId: source.member.id });
    const upload = await client.post(`/api/tasks/${parent.id}/attachments`, undefined, { token, ...(await importForm(Buffer.from('%PDF-1.4 the contract\n'), {}, 'contract.pdf')) });
    expect(upload.status).toBe(201);
    content = await readWorkspace(client, token);
    archive = await archiveOf(content);
  }, 60_000);
  afterAll(() => server.close());

  it('imports an export into a new workspace with every task, comment, label, field value, relation and file', async () => {
    const target = await register('Target');
    const job = await runImport(server, client, target.admin.token, target.workspaceId, archive, { source: 'taskbase' });
    expect(job.result?.errors ?? job.error).toEqual([]);
    expect(job).toMatchObject({ kind: 'import', status: 'succeeded', progress: { phase: 'done' } });
    expect(job.result).toMatchObject({ dryRun: false, errorCount: 0, errors: [], created: { tasks: 4, comments: 2, relations: 3, attachments: 1, labels: 2, fields: 3, projects: 1 } });
    const before = contentOf(content);
    const after = contentOf(await readWorkspace(client, target.admin.token));
    expect(after.counts).toEqual(before.counts);
    expect(after.canonical).toEqual(before.canonical);
    expect(after.hash).toBe(before.hash);

    // The people it did not know are there, inactive until invited (no password).
    const users = (await client.get('/api/users?limit=100', { token: target.admin.token })).body.data as Array<{ email: string; active: boolean }>;
    const manager = users.find((u) => u.email === source.manager.email);
    expect(manager).toMatchObject({ active: false });
    expect((await client.post('/api/auth/login', { email: source.manager.email, password: source.manager.password })).body.workspace?.id).not.toBe(target.workspaceId);

    // Again: nothing new, nothing changed.
    const again = await runImport(server, client, target.admin.token, target.workspaceId, archive, { source: 'taskbase' });
    expect(again.status).toBe('succeeded');
    expect(again.result.created).toEqual({ users: 0, projects: 0, labels: 0, fields: 0, tasks: 0, comments: 0, relations: 0, attachments: 0 });
    expect(again.result.updated.tasks).toBe(0);
    const twice = contentOf(await readWorkspace(client, target.admin.token));
    expect(twice.hash).toBe(before.hash);
  }, 60_000);

  it('imports what POST /api/exports archived, into a new workspace, to the same content', async () => {
    const started = await client.post('/api/exports', { format: 'json' }, { token: source.admin.token });
    expect(started.status).toBe(202);
    const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, (error) => console.error(error), source.workspaceId);
    runner.handle('export', server.services.exports.run);
    await runner.runOnce();
    const exported = (await client.get(`/api/exports/${started.body.id}`, { token: source.admin.token })).body;
    expect(exported.status).toBe('succeeded');
    const zip = Buffer.from(await (await fetch(new URL(exported.download.url, server.url))).arrayBuffer());
    const target = await register('Exported');
    const job = await runImport(server, client, target.admin.token, target.workspaceId, zip, { source: 'taskbase' });
    expect(job.result?.errors ?? job.error).toEqual([]);
    expect(job.status).toBe('succeeded');
    const before = contentOf(await readWorkspace(client, source.admin.token));
    const after = contentOf(await readWorkspace(client, target.admin.token));
    expect(after.counts).toEqual(before.counts);
    expect(after.canonical).toEqual(before.canonical);
    expect(after.hash).toBe(before.hash);
  }, 60_000);

  describe('a file with bad records', () => {
    let bad: Buffer;
    beforeAll(async () => {
      const task = content.tasks.find((t) => t.title === 'Tidy the backlog')!;
      const broken: WorkspaceContent = {
        ...content,
        tasks: [
          ...content.tasks,
          { ...task, id: 900001, title: '   ' },
          { ...task, id: 900002, title: 'Bad status', status: 'nowhere' },
          { ...task, id: 900003, title: 'Bad date', dueDate: 'next tuesday' },
        ],
      };
      bad = await archiveOf(broken);
    });
    const lineOf = (title: string, tasks = 7) => tasks - ['   ', 'Bad status', 'Bad date'].reverse().indexOf(title);

    it('a dry run reports each by line and field, and writes nothing', async () => {
      const target = await register('Dry');
      const tasksBefore = (await client.get('/api/tasks?limit=100', { token: target.admin.token })).body.data.length;
      const job = await runImport(server, client, target.admin.token, target.workspaceId, bad, { source: 'taskbase', dryRun: 'true' });
      expect(job.status).toBe('succeeded');
      expect(job.result.dryRun).toBe(true);
      expect(job.result.errorCount).toBe(3);
      expect(job.result.errors).toEqual([
        { line: lineOf('   '), field: 'title', message: 'is empty' },
        { line: lineOf('Bad status'), field: 'status', message: expect.stringContaining('"nowhere" is not a status') },
        { line: lineOf('Bad date'), field: 'dueDate', message: expect.stringContaining('is not a date') },
      ]);
      expect((await client.get('/api/tasks?limit=100', { token: target.admin.token })).body.data.length).toBe(tasksBefore);
      expect((await client.get('/api/labels', { token: target.admin.token })).body.data).toEqual([]);
    });

    it('onError=stop fails with the errors and writes nothing', async () => {
      const target = await register('Stop');
      const job = await runImport(server, client, target.admin.token, target.workspaceId, bad, { source: 'taskbase' });
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/3 records have errors: nothing was imported/);
      expect(job.result.errorCount).toBe(3);
      expect((await client.get('/api/tasks?limit=100', { token: target.admin.token })).body.data).toEqual([]);
      expect((await client.get('/api/labels', { token: target.admin.token })).body.data).toEqual([]);
    });

    it('onError=skip imports the good records and reports the others', async () => {
      const target = await register('Skip');
      const job = await runImport(server, client, target.admin.token, target.workspaceId, bad, { source: 'taskbase', onError: 'skip' });
      expect(job.status).toBe('succeeded');
      expect(job.result).toMatchObject({ errorCount: 3, skipped: 3, created: { tasks: 4 } });
      expect(job.result.errors.map((e: { field: string }) => e.field)).toEqual(['title', 'status', 'dueDate']);
      expect(contentOf(await readWorkspace(client, target.admin.token)).hash).toBe(contentOf(content).hash);
    });
  });

  it('tells its progress over realtime (the jobs topic), to the admin who started it alone', async () => {
    const target = await register('Live');
    const other = await client.post('/api/users', { name: 'Second admin', email: `second-${target.workspaceId}@example.test`, role: 'admin', password: 'correct horse battery' }, { token: target.admin.token });
    const otherToken = (await client.post('/api/auth/login', { email: `second-${target.workspaceId}@example.test`, password: 'correct horse battery' })).body.accessToken as string;
    expect(other.status).toBe(201);
    const socket = await TestSocket.subscribed(server.url, target.admin.token, ['jobs']);
    const bystander = await TestSocket.subscribed(server.url, otherToken, ['jobs']);
    try {
      const job = await runImport(server, client, target.admin.token, target.workspaceId, archive, { source: 'taskbase' });
      const frames = await eventually(async () => {
        const mine = socket.frames.filter((frame) => frame.type === 'event' && frame.data.job?.id === job.id);
        return mine.some((frame) => frame.event === 'import.completed') && mine;
      }, 10_000, 'import.completed over the socket');
      const phases = frames.map((frame: any) => `${frame.event}:${frame.data.job.progress.phase}`);
      expect(phases).toContain('import.progress:checking');
      expect(phases).toContain('import.progress:writing');
      expect(phases).toContain('import.progress:linking');
      expect(phases.at(-1)).toBe('import.completed:done');
      expect(frames.at(-1).data.job.result.created.tasks).toBe(4);
      expect(bystander.frames.filter((frame) => frame.type === 'event' && frame.data.job?.id === job.id)).toEqual([]);
    } finally {
      socket.close();
      bystander.close();
    }
  });

  it('refuses a file past IMPORT_MAX_BYTES with 413, keeping nothing', async () => {
    const small = await startTestServer({ IMPORT_MAX_BYTES: '2048' });
    try {
      const smallClient = new TestClient(small.url);
      const team = await createTeam(smallClient, 'Small');
      const tooLarge = await smallClient.post('/api/imports', undefined, { token: team.admin.token, ...(await importForm(`Title\n${'x'.repeat(100_000)}\n`, { source: 'csv', mapping: '{"Title":"title"}' })) });
      expect(tooLarge.status).toBe(413);
      expect(isProblem(tooLarge)).toBe(true);
      expect((await smallClient.get('/api/imports', { token: team.admin.token })).body.data).toEqual([]);
      const fits = await smallClient.post('/api/imports', undefined, { token: team.admin.token, ...(await importForm('Title\nSmall enough\n', { source: 'csv', mapping: '{"Title":"title"}' })) });
      expect(fits.status).toBe(202);
    } finally {
      await small.close();
    }
  });

  it('only admins import; bad forms are named', async () => {
    const form = await importForm(archive, { source: 'taskbase' });
    const asManager = await client.post('/api/imports', undefined, { token: source.manager.token, ...form });
    expect(asManager.status).toBe(403);
    expect(isProblem(asManager)).toBe(true);
    const badSource = await client.post('/api/imports', undefined, { token: source.admin.token, ...(await importForm(archive, { source: 'excel' })) });
    expect(badSource.status).toBe(400);
    expect(JSON.stringify(badSource.body.errors)).toContain('source');
    const noMapping = await client.post('/api/imports', undefined, { token: source.admin.token, ...(await importForm('a,b\n1,2\n', { source: 'csv' })) });
    expect(noMapping.status).toBe(422);
    expect(noMapping.body.errors[0].path).toBe('mapping');
    const unknown = await client.get('/api/imports/999999999', { token: source.admin.token });
    expect(unknown.status).toBe(404);
  });
});
