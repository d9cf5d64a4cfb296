import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { TestClient, createTeam, multipartFile, type Member, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

/** A zip's entries by name, each read whole (the archives here are small). */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))));
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      zip.openReadStream(entry, async (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      });
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  return files;
}

const ndjson = (files: Map<string, Buffer>, name: string): any[] =>
  files
    .get(name)!
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** Parses the CSV this API writes (quoted fields with doubled quotes, a BOM first). */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      field += c;
    } else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  return rows;
}

describe(`exports (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let runner: DataJobRunner;
  const ids: Record<string, number> = {};

  const ok = async (response: Promise<{ status: number; body: any }>) => {
    const answer = await response;
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body;
  };
  const as = (member: Member) => ({ token: member.token });

  /** Starts an export as `member`, runs it (this workspace's jobs only: the database may be shared) and answers the finished job. */
  async function exportAs(member: Member, input: Record<string, unknown>) {
    const started = await client.post('/api/exports', input, as(member));
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ kind: 'export', status: 'queued', download: null });
    await runner.runOnce();
    const job = await ok(client.get(`/api/exports/${started.body.id}`, as(member)));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    return job;
  }

  async function download(job: any): Promise<Buffer> {
    const response = await fetch(new URL(job.download.url, server.url));
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Exports');
    runner = new DataJobRunner(server.services.dataJobs, server.services.storage, (error) => console.error(error), team.workspaceId);
    runner.handle('export', server.services.exports.run);
    const admin = as(team.admin);
    const project = await ok(client.post('/api/projects', { key: 'EXP', name: 'Export project' }, admin));
    const hidden = await ok(client.post('/api/projects', { key: 'SEC', name: 'Secret project', visibility: 'private' }, admin));
    ids.project = project.id;
    ids.hidden = hidden.id;
    await ok(client.post(`/api/projects/${project.id}/members`, { userId: team.member.id }, admin));
    const label = await ok(client.post('/api/labels', { name: 'Urgent', color: '#dc2626' }, admin));
    const field = await ok(client.post('/api/fields', { key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold' }, { name: 'Silver' }] }, admin));
    await ok(client.post('/api/fields', { key: 'points', name: 'Points', type: 'number' }, admin));
    const gold = field.options.find((option: any) => option.name === 'Gold').id;
    const parent = await ok(
      client.post('/api/tasks', { projectId: project.id, title: 'Parent, "quoted"', description: 'Line one\nline two', labelIds: [label.id], fields: { tier: gold, points: 5 }, assignedTo: team.member.id }, admin),
    );
    const child = await ok(client.post('/api/tasks', { projectId: project.id, title: '=HYPERLINK("http://evil")', parentId: parent.id, priority: 'high' }, admin));
    const other = await ok(client.post('/api/tasks', { projectId: project.id, title: 'Other', status: 'done' }, admin));
    const secret = await ok(client.post('/api/tasks', { projectId: hidden.id, title: 'Secret task' }, admin));
    Object.assign(ids, { label: label.id, parent: parent.id, child: child.id, other: other.id, secret: secret.id });
    await ok(client.post(`/api/tasks/${parent.id}/relations`, { type: 'blocks', taskId: other.id }, admin));
    await ok(client.post(`/api/tasks/${parent.id}/relations`, { type: 'relates_to', taskId: child.id }, admin));
    await ok(client.post(`/api/tasks/${parent.id}/relations`, { type: 'relates_to', taskId: secret.id }, admin));
    const comment = await ok(client.post(`/api/tasks/${parent.id}/comments`, { comment: 'A comment' }, admin));
    await ok(client.post(`/api/tasks/${secret.id}/comments`, { comment: 'A secret comment' }, admin));
    ids.comment = comment.id;
    const upload = await client.request('POST', `/api/tasks/${parent.id}/attachments`, { ...admin, ...(await multipartFile('the bytes of a file', 'notes.txt')) });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    ids.attachment = upload.body.id;
    await ok(client.request('POST', `/api/tasks/${secret.id}/attachments`, { ...admin, ...(await multipartFile('secret bytes', 'secret.txt')) }));
  });
  afterAll(() => server.close());

  it('exports the whole workspace for an admin: an index and NDJSON of everything, with the files', async () => {
    const job = await exportAs(team.admin, { format: 'json' });
    expect(job.result).toMatchObject({ format: 'json', counts: { tasks: 4, comments: 2, attachments: 2, relations: 3, labels: 1, fields: 2 } });
    expect(job.download.url).toMatch(new RegExp(`^/api/exports/${job.id}/download\\?exp=\\d+&sig=`));
    const files = await unzip(await download(job));
    const index = JSON.parse(files.get('index.json')!.toString('utf8'));
    expect(index).toMatchObject({ format: 'taskbase-export', version: 1, workspace: { id: team.workspaceId, name: 'Exports' }, scope: { projectId: null, filters: null } });
    expect(index.counts).toEqual(job.result.counts);
    const users = ndjson(files, 'users.ndjson');
    expect(users.map((user) => user.email).sort()).toEqual([team.admin, team.manager, team.member, team.other].map((m) => m.email).sort());
    expect(Object.keys(users[0]).sort()).toEqual(['active', 'email', 'externalId', 'id', 'name', 'role', 'timezone']);
    const projects = ndjson(files, 'projects.ndjson');
    const exported = projects.find((p) => p.id === ids.project);
    expect(exported).toMatchObject({ key: 'EXP', private: false, archived: false, memberIds: [team.member.id] });
    expect(exported.statuses.map((s: any) => s.key)).toEqual(['todo', 'in_progress', 'in_review', 'done']);
    expect(projects.find((p) => p.id === ids.hidden)).toMatchObject({ private: true });
    expect(ndjson(files, 'labels.ndjson')).toEqual([expect.objectContaining({ id: ids.label, name: 'Urgent' })]);
    expect(ndjson(files, 'fields.ndjson').map((f) => f.key).sort()).toEqual(['points', 'tier']);
    const tasks = ndjson(files, 'tasks.ndjson');
    expect(tasks.map((t) => t.id)).toEqual([ids.parent, ids.child, ids.other, ids.secret]);
    const parent = tasks[0];
    expect(parent).toMatchObject({ title: 'Parent, "quoted"', fields: { points: 5 }, labels: [expect.objectContaining({ name: 'Urgent' })] });
    expect(parent.watcherIds).toEqual(expect.arrayContaining([team.admin.id, team.member.id]));
    expect(parent).not.toHaveProperty('can');
    expect(parent).not.toHaveProperty('descriptionHtml');
    expect(tasks[1]).toMatchObject({ parentId: ids.parent, priority: 'high' });
    expect(ndjson(files, 'comments.ndjson')[0]).toEqual({ id: ids.comment, taskId: ids.parent, authorId: team.admin.id, body: 'A comment', createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(ndjson(files, 'relations.ndjson')).toEqual(
      expect.arrayContaining([
        { taskId: ids.parent, type: 'blocks', relatedTaskId: ids.other },
        { taskId: ids.parent, type: 'relates_to', relatedTaskId: ids.child },
      ]),
    );
    const attachment = ndjson(files, 'attachments.ndjson').find((a) => a.id === ids.attachment);
    expect(attachment).toEqual({ id: ids.attachment, taskId: ids.parent, commentId: null, filename: 'notes.txt', contentType: 'application/octet-stream', size: 19, path: `files/${ids.attachment}` });
    expect(files.get(`files/${ids.attachment}`)!.toString('utf8')).toBe('the bytes of a file');
  });

  it('gives anyone else only what they can see, and filters narrow it', async () => {
    const job = await exportAs(team.member, { format: 'json' });
    const files = await unzip(await download(job));
    const tasks = ndjson(files, 'tasks.ndjson');
    expect(tasks.map((t) => t.id)).toEqual([ids.parent, ids.child, ids.other]);
    expect(ndjson(files, 'projects.ndjson').map((p) => p.id)).not.toContain(ids.hidden);
    expect(ndjson(files, 'comments.ndjson').map((c) => c.body)).toEqual(['A comment']);
    expect(ndjson(files, 'attachments.ndjson').map((a) => a.id)).toEqual([ids.attachment]);
    expect([...files.keys()].filter((name) => name.startsWith('files/'))).toEqual([`files/${ids.attachment}`]);
    // The link to the secret task has one end outside the export: left out.
    expect(ndjson(files, 'relations.ndjson')).toHaveLength(2);
    expect(JSON.stringify([...files.values()].map(String))).not.toContain('Secret');

    const filtered = await exportAs(team.admin, { format: 'json', projectId: ids.project, filters: { statusCategory: ['unstarted'] } });
    const narrowed = await unzip(await download(filtered));
    expect(ndjson(narrowed, 'tasks.ndjson').map((t) => t.id)).toEqual([ids.parent, ids.child]);
    expect(ndjson(narrowed, 'relations.ndjson')).toEqual([{ taskId: ids.parent, type: 'relates_to', relatedTaskId: ids.child }]);
    expect(JSON.parse(narrowed.get('index.json')!.toString()).scope).toEqual({ projectId: ids.project, filters: { statusCategory: ['unstarted'] } });
  });

  it('refuses a project the caller cannot see and a filter naming nothing, naming the field', async () => {
    const hidden = await client.post('/api/exports', { format: 'json', projectId: ids.hidden }, as(team.member));
    expect(hidden.status).toBe(422);
    expect(hidden.body.errors).toEqual([expect.objectContaining({ path: 'projectId', in: 'body' })]);
    const label = await client.post('/api/exports', { format: 'csv', filters: { label: ['no-such-label'] } }, as(team.admin));
    expect(label.status).toBeGreaterThanOrEqual(400);
    expect(label.body.errors[0]).toMatchObject({ path: 'filters.label', in: 'body' });
    const format = await client.post('/api/exports', { format: 'xml' }, as(team.admin));
    expect(format.status).toBe(400);
    expect(format.body.errors[0].path).toBe('format');
  });

  it('exports CSV with custom fields as columns, as a job and as GET /api/tasks.csv with filters', async () => {
    const job = await exportAs(team.admin, { format: 'csv', projectId: ids.project });
    expect(job.progress).toEqual({ done: 3, total: 3, phase: 'done' });
    const rows = parseCsv((await download(job)).toString('utf8'));
    expect(rows[0]).toEqual(expect.arrayContaining(['ID', 'Identifier', 'Title', 'Labels', 'Parent', 'Tier', 'Points']));
    expect(rows).toHaveLength(4);
    const column = (name: string) => rows[0]!.indexOf(name);
    const parentRow = rows.find((row) => row[0] === String(ids.parent))!;
    expect(parentRow[column('Title')]).toBe('Parent, "quoted"');
    expect(parentRow[column('Description')]).toBe('Line one\nline two');
    expect(parentRow[column('Tier')]).toBe('Gold');
    expect(parentRow[column('Points')]).toBe('5');
    expect(parentRow[column('Labels')]).toBe('Urgent');
    expect(parentRow[column('Assignee email')]).toBe(team.member.email);
    const childRow = rows.find((row) => row[0] === String(ids.child))!;
    expect(childRow[column('Title')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(childRow[column('Parent')]).toBe(parentRow[column('Identifier')]);

    const response = await fetch(`${server.url}/api/tasks.csv?project=${ids.project}&priority=high`, { headers: { authorization: `Bearer ${team.admin.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('tasks.csv');
    // (Not response.text(): a TextDecoder drops the byte-order mark.)
    const quick = parseCsv(Buffer.from(await response.arrayBuffer()).toString('utf8'));
    expect(quick.slice(1).map((row) => row[0])).toEqual([String(ids.child)]);
    const mine = parseCsv(Buffer.from(await (await fetch(`${server.url}/api/tasks.csv`, { headers: { authorization: `Bearer ${team.member.token}` } })).arrayBuffer()).toString('utf8'));
    expect(mine.slice(1).map((row) => row[0])).toEqual([ids.parent, ids.child, ids.other].map(String));
    const bad = await client.get('/api/tasks.csv?label=no-such-label', as(team.admin));
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'label', in: 'query' });
  });

  it('serves the file only through an unforged, unexpired URL; the job to its creator and admins', async () => {
    const job = await exportAs(team.member, { format: 'csv' });
    const url = new URL(job.download.url, server.url);
    const exp = Number(url.searchParams.get('exp'));
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(exp * 1000 - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    const forged = new URL(url);
    forged.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    expect((await fetch(forged)).status).toBe(404);
    const otherJob = new URL(url);
    otherJob.pathname = `/api/exports/${job.id + 1000}/download`;
    expect((await fetch(otherJob)).status).toBe(404);
    const later = new URL(url);
    later.searchParams.set('exp', String(exp + 3600));
    expect((await fetch(later)).status).toBe(404);
    // A URL signed right but expired (as the server signs: its key is derived from the JWT secret).
    const key = createHmac('sha256', server.services.config.jwt.secret).update('taskbase export downloads v1').digest();
    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = await fetch(`${server.url}/api/exports/${job.id}/download?exp=${past}&sig=${createHmac('sha256', key).update(`export:${job.id}:${past}`).digest('base64url')}`);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as any).code).toBe('url_expired');
    const fine = await fetch(url);
    expect(fine.headers.get('cache-control')).toBe('private, no-store');
    expect(fine.headers.get('content-disposition')).toContain(`taskbase-export-${job.id}.csv`);

    expect((await client.get(`/api/exports/${job.id}`, as(team.other))).status).toBe(404);
    expect((await client.get(`/api/exports/${job.id}`, as(team.admin))).status).toBe(200);
    const listed = await ok(client.get('/api/exports?limit=100', as(team.other)));
    expect(listed.data.map((j: any) => j.id)).not.toContain(job.id);
    const all = await ok(client.get('/api/exports?limit=100', as(team.admin)));
    expect(all.data.map((j: any) => j.id)).toContain(job.id);

    // Once the archive expires, the file goes and its URL answers 410.
    await server.database.knex('data_jobs').where({ id: job.id }).update({ expiresAt: new Date(Date.now() - 1000) });
    await runner.runOnce();
    expect((await fetch(url)).status).toBe(410);
    expect((await ok(client.get(`/api/exports/${job.id}`, as(team.member)))).download).toBeNull();
  });

  it('limits exports under way per user', async () => {
    const started = [];
    for (let i = 0; i < 3; i++) started.push(await client.post('/api/exports', { format: 'csv' }, as(team.manager)));
    expect(started.map((r) => r.status)).toEqual([202, 202, 202]);
    const refused = await client.post('/api/exports', { format: 'csv' }, as(team.manager));
    expect(refused.status).toBe(429);
    await runner.runOnce();
    expect((await client.post('/api/exports', { format: 'csv' }, as(team.manager))).status).toBe(202);
    await runner.runOnce();
  });

  it('sends its progress to its creator over a real WebSocket (the jobs topic)', async () => {
    const socket = await TestSocket.subscribed(server.url, team.member.token, ['jobs']);
    const bystander = await TestSocket.subscribed(server.url, team.admin.token, ['jobs']);
    try {
      const job = await exportAs(team.member, { format: 'json' });
      const mine = await eventually(async () => {
        const frames = socket.frames.filter((frame) => frame.type === 'event' && frame.data.job?.id === job.id);
        return frames.some((frame) => frame.event === 'export.completed') && frames;
      }, 10_000);
      const phases = mine.map((frame: any) => `${frame.event}:${frame.data.job.progress.phase}`);
      expect(phases[0]).toBe('export.progress:users');
      expect(phases).toContain('export.progress:tasks');
      expect(phases.at(-1)).toBe('export.completed:done');
      expect(mine.at(-1).data.job.progress).toMatchObject({ done: 5, total: 5 });
      expect(bystander.frames.filter((frame) => frame.type === 'event' && frame.data.job?.id === job.id)).toEqual([]);
    } finally {
      socket.close();
      bystander.close();
    }
  });
});
