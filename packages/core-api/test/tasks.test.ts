import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`tasks API (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Tasks');
  });
  afterAll(() => server.close());

  const create = async (body: Record<string, unknown>, token = team.manager.token) => {
    const response = await client.post('/api/tasks', body, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };

  /** Creates tasks in one bulk call per 100 and returns them in order. */
  const createMany = async (t: Team, count: number, make: (i: number) => Record<string, unknown>) => {
    const tasks = [];
    for (let start = 0; start < count; start += 100) {
      const items = Array.from({ length: Math.min(100, count - start) }, (_, i) => make(start + i));
      const response = await client.post('/api/tasks/bulk', { items }, { token: t.manager.token });
      expect(response.body.summary.failed, JSON.stringify(response.body.results.find((r: any) => r.error))).toBe(0);
      tasks.push(...response.body.results.map((r: any) => r.task));
    }
    return tasks;
  };

  describe('create and read', () => {
    it('creates with defaults, an ETag, a Location and what the caller may do', async () => {
      const response = await client.post('/api/tasks', { title: '  Write docs  ' }, { token: team.member.token });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        title: 'Write docs',
        description: '',
        status: 'todo',
        priority: 'medium',
        assignedTo: null,
        createdBy: team.member.id,
        dueDate: null,
        version: 1,
        workspaceId: team.workspaceId,
      });
      expect(response.body.can).toEqual(['update', 'move', 'assign', 'delete', 'comment']);
      expect(response.headers.get('etag')).toBe('"v1"');
      expect(response.headers.get('location')).toBe(`/api/tasks/${response.body.id}`);
      const read = await client.get(`/api/tasks/${response.body.id}`, { token: team.other.token });
      expect(read.body.can).toEqual(['comment']);
      expect(read.headers.get('etag')).toBe('"v1"');
    });

    it('names every invalid field', async () => {
      const response = await client.post('/api/tasks', { status: 'Doing!', priority: 5, dueDate: 'tomorrow', extra: 1 }, { token: team.member.token });
      expect(response.status).toBe(400);
      expect(isProblem(response)).toBe(true);
      expect(response.body.errors.map((e: any) => e.path).sort()).toEqual(['dueDate', 'extra', 'priority', 'status', 'title']);
    });

    it('answers 422 naming status for a well-formed key the project’s workflow does not have', async () => {
      const response = await client.post('/api/tasks', { title: 'Unknown status', status: 'doing' }, { token: team.member.token });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'status', in: 'body', message: expect.stringContaining('is not a status of project GEN') }]);
    });

    it('keeps a due date of any year from 1 to 9999 exactly, with an offset or without', async () => {
      const cases = [
        ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
        ['0013-01-01T00:00:00+00:00', '0013-01-01T00:00:00.000Z'],
        ['0099-12-31T23:59:59.999+02:00', '0099-12-31T21:59:59.999Z'],
        ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ];
      for (const [sent, stored] of cases) {
        const created = await client.post('/api/tasks', { title: `Due ${sent}`, dueDate: sent }, { token: team.manager.token });
        expect(created.status, sent).toBe(201);
        expect(created.body.dueDate).toBe(stored);
        expect((await client.get(`/api/tasks/${created.body.id}`, { token: team.manager.token })).body.dueDate).toBe(stored);
      }
    });

    it('names externalId when another task already has it', async () => {
      const externalId = `dup-${Date.now()}`;
      await create({ title: 'Original', externalId });
      const again = await client.post('/api/tasks', { title: 'Copy', externalId }, { token: team.manager.token });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'external_id_taken', errors: [{ path: 'externalId', in: 'body' }] });
    });

    it('refuses an assignee from another workspace, and writes nothing', async () => {
      const foreign = await createTeam(client, 'Foreign');
      const before = await client.get('/api/tasks?limit=100', { token: team.admin.token });
      const response = await client.post('/api/tasks', { title: 'x', assignedTo: foreign.member.id }, { token: team.manager.token });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'assignedTo', in: 'body', message: 'is not a user of this workspace' }]);
      const after = await client.get('/api/tasks?limit=100', { token: team.admin.token });
      expect(after.body.data.length).toBe(before.body.data.length);
    });

    it("answers 404 for another workspace's task, for every verb", async () => {
      const foreign = await createTeam(client, 'Other');
      const task = await create({ title: 'Secret' }, foreign.admin.token);
      for (const [method, path, body] of [
        ['GET', `/api/tasks/${task.id}`, undefined],
        ['PATCH', `/api/tasks/${task.id}`, { title: 'mine' }],
        ['DELETE', `/api/tasks/${task.id}`, undefined],
        ['POST', `/api/tasks/${task.id}/move`, { status: 'done' }],
        ['GET', `/api/tasks/${task.id}/activity`, undefined],
        ['GET', `/api/tasks/${task.id}/comments`, undefined],
        ['POST', `/api/tasks/${task.id}/comments`, { comment: 'hi' }],
      ] as const) {
        const response = await client.request(method, path, { token: team.admin.token, body });
        expect(response.status, `${method} ${path}`).toBe(404);
      }
      const unchanged = await client.get(`/api/tasks/${task.id}`, { token: foreign.admin.token });
      expect(unchanged.body).toMatchObject({ title: 'Secret', version: 1, status: 'todo' });
    });
  });

  describe('role rules', () => {
    it('lets members change only what they created or are assigned to, and delete only what they created', async () => {
      const byManager = await create({ title: 'Manager task' });
      const assigned = await create({ title: 'Assigned to member', assignedTo: team.member.id });
      const own = await create({ title: 'Member task' }, team.member.token);
      const m = { token: team.member.token };

      expect((await client.patch(`/api/tasks/${byManager.id}`, { priority: 'high' }, m)).status).toBe(403);
      expect((await client.post(`/api/tasks/${byManager.id}/move`, { status: 'done' }, m)).status).toBe(403);
      expect((await client.delete(`/api/tasks/${byManager.id}`, m)).status).toBe(403);
      expect((await client.patch(`/api/tasks/${assigned.id}`, { priority: 'high' }, m)).status).toBe(200);
      expect((await client.delete(`/api/tasks/${assigned.id}`, m)).status).toBe(403);
      expect((await client.patch(`/api/tasks/${own.id}`, { assignedTo: team.other.id }, m)).status).toBe(200);
      expect((await client.delete(`/api/tasks/${own.id}`, m)).status).toBe(204);
      expect((await client.get(`/api/tasks/${byManager.id}`, m)).body.version).toBe(1);

      for (const who of [team.manager, team.admin]) {
        const task = await create({ title: `For ${who.role}` }, team.member.token);
        expect((await client.patch(`/api/tasks/${task.id}`, { status: 'in_review' }, { token: who.token })).status).toBe(200);
        expect((await client.delete(`/api/tasks/${task.id}`, { token: who.token })).status).toBe(204);
      }
    });
  });

  describe('listing', () => {
    let filtered: Team;
    let tasks: any[];
    const day = 86_400_000;
    beforeAll(async () => {
      filtered = await createTeam(client, 'Filters');
      const people = [filtered.member.id, filtered.other.id, null];
      const statuses = ['todo', 'in_progress', 'in_review', 'done'];
      const priorities = ['low', 'medium', 'high', 'urgent'];
      tasks = await createMany(filtered, 40, (i) => ({
        title: i % 5 === 0 ? `Invoice export ${i}` : `Task ${i}`,
        description: i % 7 === 0 ? 'touches the billing pipeline' : 'plain',
        status: statuses[i % 4],
        priority: priorities[(i * 3) % 4],
        assignedTo: people[i % 3],
        dueDate: i % 4 === 1 ? null : new Date(Date.now() + (i - 20) * day).toISOString(),
      }));
    });
    const list = async (query: string) => {
      const response = await client.get(`/api/tasks?limit=100&${query}`, { token: filtered.member.token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data.map((t: any) => t.id).sort((a: number, b: number) => a - b);
    };
    const ids = (predicate: (t: any) => boolean) => tasks.filter(predicate).map((t) => t.id).sort((a, b) => a - b);

    it('filters by status and priority lists, assignee and creator', async () => {
      expect(await list('status=todo,done')).toEqual(ids((t) => ['todo', 'done'].includes(t.status)));
      expect(await list('status=todo&status=done')).toEqual(ids((t) => ['todo', 'done'].includes(t.status)));
      expect(await list('priority=urgent')).toEqual(ids((t) => t.priority === 'urgent'));
      expect(await list('assignee=me')).toEqual(ids((t) => t.assignedTo === filtered.member.id));
      expect(await list('assignee=none')).toEqual(ids((t) => t.assignedTo === null));
      expect(await list(`assignee=${filtered.other.id}`)).toEqual(ids((t) => t.assignedTo === filtered.other.id));
      expect(await list(`createdBy=${filtered.manager.id}&status=in_review`)).toEqual(ids((t) => t.status === 'in_review'));
      expect(await list('createdBy=me')).toEqual([]);
    });

    it('filters by due dates and overdue', async () => {
      const now = Date.now();
      const cut = new Date(now + 5 * day).toISOString();
      expect(await list(`dueBefore=${cut}`)).toEqual(ids((t) => t.dueDate !== null && Date.parse(t.dueDate) < Date.parse(cut)));
      expect(await list(`dueAfter=${cut}`)).toEqual(ids((t) => t.dueDate !== null && Date.parse(t.dueDate) >= Date.parse(cut)));
      expect(await list('overdue=true')).toEqual(ids((t) => t.dueDate !== null && Date.parse(t.dueDate) < Date.now() && t.status !== 'done'));
    });

    it('searches title and description by word prefix', async () => {
      expect(await list('q=invoice')).toEqual(ids((t) => t.title.startsWith('Invoice')));
      expect(await list('q=INV')).toEqual(ids((t) => t.title.startsWith('Invoice')));
      expect(await list('q=billing')).toEqual(ids((t) => t.description.includes('billing')));
      expect(await list('q=invoice%20exp')).toEqual(ids((t) => t.title.startsWith('Invoice')));
      expect(await list(`q=${encodeURIComponent("'); drop table tasks; --")}`)).toEqual([]);
      expect(await list('q=%26%7C!')).toEqual([]);
    });

    it('sorts by every key in both directions, nulls last for due date', async () => {
      const rank: Record<string, number> = { low: 0, medium: 1, high: 2, urgent: 3 };
      const keyOf: Record<string, (t: any) => number> = {
        createdAt: (t) => Date.parse(t.createdAt),
        updatedAt: (t) => Date.parse(t.updatedAt),
        dueDate: (t) => (t.dueDate ? Date.parse(t.dueDate) : Infinity),
        priority: (t) => rank[t.priority]!,
        position: (t) => t.position,
      };
      for (const [field, key] of Object.entries(keyOf)) {
        for (const descending of [false, true]) {
          const response = await client.get(`/api/tasks?limit=100&sort=${descending ? '-' : ''}${field}`, { token: filtered.member.token });
          const got = response.body.data.map((t: any) => t.id);
          const expected = [...tasks]
            .sort((a, b) => (key(a) === key(b) ? a.id - b.id : key(a) < key(b) ? -1 : 1) * (descending ? -1 : 1))
            .map((t) => t.id);
          expect(got, `${descending ? '-' : ''}${field}`).toEqual(expected);
        }
      }
    });

    it('refuses a cursor from another sort, or a forged one', async () => {
      const first = await client.get('/api/tasks?limit=5&sort=priority', { token: filtered.member.token });
      const other = await client.get(`/api/tasks?limit=5&sort=createdAt&cursor=${first.body.nextCursor}`, { token: filtered.member.token });
      expect(other.status).toBe(400);
      expect(other.body.errors[0].path).toBe('cursor');
      const forged = Buffer.from(JSON.stringify(['priority', 'not-a-priority', 1])).toString('base64url');
      const response = await client.get(`/api/tasks?sort=priority&cursor=${forged}`, { token: filtered.member.token });
      expect(response.status).toBe(400);
      expect(isProblem(response)).toBe(true);
    });

    it('walks 250 tasks in pages of 100, each exactly once, while tasks are created', async () => {
      const walker = await createTeam(client, 'Walker');
      const existing = await createMany(walker, 250, (i) => ({ title: `Walk ${i}` }));
      for (const sort of ['-createdAt', 'createdAt', 'priority', '-dueDate']) {
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: any = await client.get(`/api/tasks?limit=100&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`, {
            token: walker.member.token,
          });
          // Writers keep adding tasks while the pages are read.
          await Promise.all([1, 2, 3].map((n) => create({ title: `Concurrent ${sort} ${pages} ${n}` }, walker.manager.token)));
          seen.push(...page.body.data.map((t: any) => t.id));
          cursor = page.body.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(new Set(seen).size, `${sort}: no duplicates`).toBe(seen.length);
        for (const task of existing) expect(seen, `${sort}: task ${task.id} seen`).toContain(task.id);
      }
    });

    it('caps limit at 100 and names the field', async () => {
      const response = await client.get('/api/tasks?limit=101', { token: team.member.token });
      expect(response.status).toBe(400);
      expect(response.body.errors[0]).toMatchObject({ path: 'limit', in: 'query' });
    });
  });

  describe('optimistic concurrency', () => {
    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const task = await create({ title: 'Versioned' });
      const first = await client.patch(`/api/tasks/${task.id}`, { title: 'One' }, { token: team.manager.token, headers: { 'if-match': '"v1"' } });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      expect(first.headers.get('etag')).toBe('"v2"');
      const stale = await client.patch(`/api/tasks/${task.id}`, { title: 'Two' }, { token: team.manager.token, headers: { 'if-match': '"v1"' } });
      expect(stale.status).toBe(412);
      expect(isProblem(stale)).toBe(true);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
      const now = await client.get(`/api/tasks/${task.id}`, { token: team.manager.token });
      expect(now.body).toMatchObject({ title: 'One', version: 2 });
      const bad = await client.patch(`/api/tasks/${task.id}`, { title: 'x' }, { token: team.manager.token, headers: { 'if-match': 'garbage' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]).toMatchObject({ path: 'If-Match', in: 'header' });
    });

    it('does not bump the version when nothing changes', async () => {
      const task = await create({ title: 'Same', priority: 'high' });
      const response = await client.patch(`/api/tasks/${task.id}`, { title: 'Same', priority: 'high' }, { token: team.manager.token });
      expect(response.body.version).toBe(1);
    });
  });

  describe('counts', () => {
    it('counts the tasks matching the list filters, per status, for every member of the workspace', async () => {
      const counted = await createTeam(client, 'Counts');
      await createMany(counted, 3, () => ({ title: 'High todo', priority: 'high' }));
      await createMany(counted, 2, () => ({ title: 'Low done', priority: 'low', status: 'done' }));
      await createMany(counted, 1, () => ({ title: 'Mine in review', status: 'in_review', assignedTo: counted.member.id }));
      // A member sees every task of the board, so they get the true totals too (analytics counts only their own).
      const all = await client.get('/api/tasks/counts', { token: counted.member.token });
      expect(all.status).toBe(200);
      expect(all.body).toEqual({
        byStatus: { todo: 3, in_progress: 0, in_review: 1, done: 2 },
        byCategory: { backlog: 0, unstarted: 3, started: 1, completed: 2, canceled: 0 },
        total: 6,
      });
      const filtered = await client.get('/api/tasks/counts?priority=high&q=todo', { token: counted.member.token });
      expect(filtered.body).toMatchObject({ byStatus: { todo: 3, in_progress: 0, in_review: 0, done: 0 }, total: 3 });
      const mine = await client.get('/api/tasks/counts?assignee=me', { token: counted.member.token });
      expect(mine.body.total).toBe(1);
      // (The exact totals above also show that no other workspace's task counts.) Paging parameters are not filters.
      expect((await client.get('/api/tasks/counts?cursor=x', { token: counted.member.token })).status).toBe(400);
      const graph = await client.post('/graphql', { query: '{ taskCounts(filter: { priority: [LOW] }) { byStatus { done todo } total } }' }, { token: counted.member.token });
      expect(graph.body.data.taskCounts).toEqual({ byStatus: { done: 2, todo: 0 }, total: 2 });
    });
  });

  describe('idempotency', () => {
    it('replays the first response for a repeated key, once in the database', async () => {
      const key = `create-${Date.now()}`;
      const headers = { 'idempotency-key': key };
      const body = { title: `Idempotent ${key}` };
      const first = await client.post('/api/tasks', body, { token: team.manager.token, headers });
      const again = await client.post('/api/tasks', body, { token: team.manager.token, headers });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      const found = await client.get(`/api/tasks?q=${encodeURIComponent(key)}`, { token: team.manager.token });
      expect(found.body.data).toHaveLength(1);
      const other = await client.post('/api/tasks', { title: 'Different' }, { token: team.manager.token, headers });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
    });

    it('keeps keys apart per user, and releases a key whose request failed', async () => {
      const key = `shared-${Date.now()}`;
      const a = await client.post('/api/tasks', { title: 'By manager' }, { token: team.manager.token, headers: { 'idempotency-key': key } });
      const b = await client.post('/api/tasks', { title: 'By admin' }, { token: team.admin.token, headers: { 'idempotency-key': key } });
      expect(a.body.id).not.toBe(b.body.id);
      const failed = await client.post('/api/tasks', { title: '' }, { token: team.member.token, headers: { 'idempotency-key': key } });
      expect(failed.status).toBe(400);
      const fixed = await client.post('/api/tasks', { title: 'Fixed' }, { token: team.member.token, headers: { 'idempotency-key': key } });
      expect(fixed.status).toBe(201);
    });
  });

  describe('moving cards', () => {
    it('places a card between two neighbours, writing only that card', async () => {
      const board = await createTeam(client, 'Board');
      const [a, b, c] = await createMany(board, 3, (i) => ({ title: `Card ${i}`, status: 'in_progress' }));
      const moved = await client.post(`/api/tasks/${c.id}/move`, { afterId: a.id, beforeId: b.id }, { token: board.manager.token });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body.position).toBeGreaterThan(a.position);
      expect(moved.body.position).toBeLessThan(b.position);
      const column = await client.get('/api/tasks?status=in_progress&sort=position', { token: board.manager.token });
      expect(column.body.data.map((t: any) => t.id)).toEqual([a.id, c.id, b.id]);
      expect(column.body.data.find((t: any) => t.id === a.id).version).toBe(1);
      expect(column.body.data.find((t: any) => t.id === b.id).version).toBe(1);

      const toDone = await client.post(`/api/tasks/${a.id}/move`, { status: 'done' }, { token: board.manager.token });
      expect(toDone.body).toMatchObject({ status: 'done', version: 2 });
      expect(toDone.body.completedAt).not.toBeNull();
      const wrongColumn = await client.post(`/api/tasks/${b.id}/move`, { status: 'todo', afterId: c.id }, { token: board.manager.token });
      expect(wrongColumn.status).toBe(422);
      expect(wrongColumn.body.errors[0].path).toBe('afterId');
    });

    it('renumbers a column once the gap wears thin, keeping the order', async () => {
      const board = await createTeam(client, 'Thin');
      const [a, b, c] = await createMany(board, 3, (i) => ({ title: `Card ${i}`, status: 'todo' }));
      // Halving the same gap over and over exhausts double precision.
      let moving = c;
      let other = b;
      for (let i = 0; i < 60; i += 1) {
        const response = await client.post(`/api/tasks/${moving.id}/move`, { afterId: a.id, beforeId: other.id }, { token: board.manager.token });
        expect(response.status).toBe(200);
        [moving, other] = [other, response.body];
      }
      const column = await client.get('/api/tasks?status=todo&sort=position', { token: board.manager.token });
      expect(column.body.data.map((t: any) => t.id)).toEqual([a.id, other.id, moving.id]);
    });
  });

  describe('events and activity', () => {
    it('records each change with from/to, and a refused change leaves no event', async () => {
      const task = await create({ title: 'Tracked' });
      await client.patch(`/api/tasks/${task.id}`, { status: 'in_progress', priority: 'urgent' }, { token: team.manager.token });
      const refused = await client.patch(`/api/tasks/${task.id}`, { assignedTo: 999_999_999 }, { token: team.manager.token });
      expect(refused.status).toBe(422);
      const activity = await client.get(`/api/tasks/${task.id}/activity`, { token: team.member.token });
      expect(activity.body.data.map((e: any) => e.type)).toEqual(['task.created', 'task.updated']);
      expect(activity.body.data[1].payload.changes).toEqual({
        status: { from: 'todo', to: 'in_progress' },
        statusCategory: { from: 'unstarted', to: 'started' },
        priority: { from: 'medium', to: 'urgent' },
      });
      expect(activity.body.data[1].actorId).toBe(team.manager.id);
    });

    it('keeps the history of a deleted task in the event log', async () => {
      const task = await create({ title: 'Doomed' });
      expect((await client.delete(`/api/tasks/${task.id}`, { token: team.manager.token })).status).toBe(204);
      expect((await client.get(`/api/tasks/${task.id}`, { token: team.manager.token })).status).toBe(404);
      const events = await server.services.knex('events').where({ workspaceId: team.workspaceId, taskId: task.id }).orderBy('id');
      expect(events.map((e: any) => e.type)).toEqual(['task.created', 'task.deleted']);
    });
  });

  describe('bulk', () => {
    it('reports a result per item with field paths, and dryRun writes nothing', async () => {
      const bulk = await createTeam(client, 'Bulk');
      const items = [{ title: 'Good' }, { title: 'Also good', priority: 'ultra' }, { id: 999_999_999, title: 'x' }, 'nonsense', { priority: 'low' }];
      const dry = await client.post('/api/tasks/bulk', { items, dryRun: true }, { token: bulk.manager.token });
      expect(dry.status).toBe(200);
      expect(dry.body.results.map((r: any) => r.status)).toEqual(['created', 'error', 'error', 'error', 'error']);
      expect(dry.body.results[1].error.errors[0].path).toBe('items.1.priority');
      expect(dry.body.results[2].error.code).toBe('not_found');
      expect(dry.body.results[4].error.errors[0].path).toBe('items.4.title');
      expect(dry.body.summary).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 4 });
      // The task a dry run would create does not exist: no id is handed out that would 404.
      expect(dry.body.results[0]).not.toHaveProperty('task');
      expect((await client.get('/api/tasks', { token: bulk.manager.token })).body.data).toHaveLength(0);
      const real = await client.post('/api/tasks/bulk', { items }, { token: bulk.manager.token });
      expect(real.body.summary.created).toBe(1);
      expect((await client.get('/api/tasks', { token: bulk.manager.token })).body.data).toHaveLength(1);
    });

    it('upserts by externalId without duplicates when two imports race', async () => {
      const bulk = await createTeam(client, 'Race');
      const items = Array.from({ length: 30 }, (_, i) => ({ externalId: `ext-${i}`, title: `Imported ${i}` }));
      const [first, second] = await Promise.all([
        client.post('/api/tasks/bulk', { items }, { token: bulk.manager.token }),
        client.post('/api/tasks/bulk', { items: [...items].reverse() }, { token: bulk.admin.token }),
      ]);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(first.body.summary.failed + second.body.summary.failed).toBe(0);
      const all = await client.get('/api/tasks?limit=100', { token: bulk.manager.token });
      expect(all.body.data).toHaveLength(30);
      expect(new Set(all.body.data.map((t: any) => t.externalId)).size).toBe(30);
      const rerun = await client.post('/api/tasks/bulk', { items }, { token: bulk.manager.token });
      expect(rerun.body.summary).toEqual({ created: 0, updated: 0, unchanged: 30, failed: 0 });
    });

    it('refuses more than 100 items', async () => {
      const response = await client.post('/api/tasks/bulk', { items: Array.from({ length: 101 }, () => ({ title: 'x' })) }, { token: team.manager.token });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].path).toBe('items');
    });
  });
});
