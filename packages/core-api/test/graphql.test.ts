import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { errorCode, gql } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';

const TASK_FIELDS = 'id title description status priority version can dueDate assignee { id name } creator { id }';
const CREATE = `mutation ($input: CreateTaskInput!) { createTask(input: $input) { ${TASK_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTaskInput!, $v: Int) { updateTask(id: $id, input: $input, expectedVersion: $v) { ${TASK_FIELDS} } }`;

describe(`GraphQL queries and mutations (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'GraphQL');
  });
  afterAll(() => server.close());

  const createTask = async (input: Record<string, unknown>, token = team.manager.token) => {
    const response = await gql(client, token, CREATE, { input });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data.createTask;
  };

  describe('authentication', () => {
    it('answers UNAUTHENTICATED (HTTP 401) without a valid token, and runs nothing', async () => {
      const missing = await gql(client, undefined, '{ me { id } }');
      expect(missing.status).toBe(401);
      expect(errorCode(missing)).toBe('UNAUTHENTICATED');
      const forged = await gql(client, 'not-a-token', '{ me { id } }');
      expect(errorCode(forged)).toBe('UNAUTHENTICATED');
    });

    it('stops a deactivated user on the next request, as REST does', async () => {
      const t = await createTeam(client, 'Deactivated');
      expect((await gql(client, t.other.token, '{ me { id } }')).data.me.id).toBe(String(t.other.id));
      await client.patch(`/api/users/${t.other.id}`, { active: false }, { token: t.admin.token });
      expect(errorCode(await gql(client, t.other.token, '{ me { id } }'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('people', () => {
    it('reads me, users and a user', async () => {
      const response = await gql(client, team.member.token, `{ me { id role name } users(first: 10) { nodes { id role } pageInfo { hasNextPage } } user(id: ${team.admin.id}) { role } }`);
      expect(response.errors).toBeUndefined();
      expect(response.data.me).toMatchObject({ id: String(team.member.id), role: 'MEMBER' });
      const ids = response.data.users.nodes.map((u: { id: string }) => u.id).sort();
      expect(ids).toEqual([team.admin.id, team.manager.id, team.member.id, team.other.id].map(String).sort());
      expect(response.data.user.role).toBe('ADMIN');
    });

    it('pages users with first/after and filters them', async () => {
      const first = await gql(client, team.admin.token, '{ users(first: 3) { nodes { id } pageInfo { hasNextPage endCursor } } }');
      expect(first.data.users.nodes).toHaveLength(3);
      expect(first.data.users.pageInfo.hasNextPage).toBe(true);
      const next = await gql(client, team.admin.token, 'query ($after: String) { users(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage } } }', {
        after: first.data.users.pageInfo.endCursor,
      });
      expect(next.data.users.nodes).toHaveLength(1);
      expect(next.data.users.pageInfo.hasNextPage).toBe(false);
      const managers = await gql(client, team.admin.token, '{ users(filter: { role: MANAGER }) { nodes { id } } }');
      expect(managers.data.users.nodes).toEqual([{ id: String(team.manager.id) }]);
    });
  });

  describe('tasks', () => {
    it('creates a task with the REST defaults and what the caller may do', async () => {
      const task = await createTask({ title: '  Write docs  ', assignedTo: String(team.member.id) }, team.member.token);
      expect(task).toMatchObject({
        title: 'Write docs',
        description: '',
        status: 'TODO',
        priority: 'MEDIUM',
        version: 1,
        dueDate: null,
        assignee: { id: String(team.member.id) },
        creator: { id: String(team.member.id) },
        can: ['UPDATE', 'MOVE', 'ASSIGN', 'DELETE', 'COMMENT'],
      });
      const rest = await client.get(`/api/tasks/${task.id}`, { token: team.member.token });
      expect(rest.body.title).toBe('Write docs');
      const read = await gql(client, team.other.token, `{ task(id: ${task.id}) { title can } }`);
      expect(read.data.task).toEqual({ title: 'Write docs', can: ['COMMENT'] });
    });

    it('lists with the REST filters, an order and cursor pages', async () => {
      const t = await createTeam(client, 'List');
      for (let i = 0; i < 5; i += 1) {
        await gql(client, t.manager.token, CREATE, {
          input: { title: `Task ${i}`, priority: i % 2 ? 'HIGH' : 'LOW', assignedTo: i < 2 ? String(t.member.id) : null, status: i === 4 ? 'DONE' : 'TODO' },
        });
      }
      const query = 'query ($filter: TaskFilter, $after: String, $first: Int) { tasks(filter: $filter, orderBy: CREATED_AT_ASC, first: $first, after: $after) { edges { node { title } } pageInfo { hasNextPage endCursor } } }';
      const page1 = await gql(client, t.member.token, query, { first: 2 });
      expect(page1.data.tasks.edges.map((e: any) => e.node.title)).toEqual(['Task 0', 'Task 1']);
      expect(page1.data.tasks.pageInfo.hasNextPage).toBe(true);
      const page2 = await gql(client, t.member.token, query, { first: 2, after: page1.data.tasks.pageInfo.endCursor });
      expect(page2.data.tasks.edges.map((e: any) => e.node.title)).toEqual(['Task 2', 'Task 3']);
      const mine = await gql(client, t.member.token, query, { filter: { assignee: 'me' } });
      expect(mine.data.tasks.edges.map((e: any) => e.node.title)).toEqual(['Task 0', 'Task 1']);
      const high = await gql(client, t.member.token, query, { filter: { priority: ['HIGH'], status: ['TODO'] } });
      expect(high.data.tasks.edges.map((e: any) => e.node.title)).toEqual(['Task 1', 'Task 3']);
      const found = await gql(client, t.member.token, query, { filter: { q: 'task 4' } });
      expect(found.data.tasks.edges.map((e: any) => e.node.title)).toEqual(['Task 4']);
    });

    it('updates with expectedVersion and answers CONFLICT on a stale one, changing nothing', async () => {
      const task = await createTask({ title: 'Versioned' });
      const updated = await gql(client, team.manager.token, UPDATE, { id: task.id, input: { priority: 'URGENT' }, v: 1 });
      expect(updated.data.updateTask).toMatchObject({ priority: 'URGENT', version: 2 });
      const stale = await gql(client, team.manager.token, UPDATE, { id: task.id, input: { title: 'Lost' }, v: 1 });
      expect(errorCode(stale)).toBe('CONFLICT');
      expect(stale.errors![0]!.extensions.currentVersion).toBe(2);
      expect((await client.get(`/api/tasks/${task.id}`, { token: team.manager.token })).body.title).toBe('Versioned');
    });

    it('moves a task between two cards of a column', async () => {
      const a = await createTask({ title: 'A', status: 'IN_REVIEW' });
      const b = await createTask({ title: 'B', status: 'IN_REVIEW' });
      const c = await createTask({ title: 'C' });
      const moved = await gql(client, team.manager.token, 'mutation ($id: ID!, $input: MoveTaskInput!) { moveTask(id: $id, input: $input) { status position version } }', {
        id: c.id,
        input: { status: 'IN_REVIEW', afterId: a.id, beforeId: b.id },
      });
      expect(moved.errors).toBeUndefined();
      const [ra, rb] = await Promise.all([a, b].map(async (t) => (await client.get(`/api/tasks/${t.id}`, { token: team.manager.token })).body));
      expect(moved.data.moveTask.status).toBe('IN_REVIEW');
      expect(moved.data.moveTask.position).toBeGreaterThan(ra.position);
      expect(moved.data.moveTask.position).toBeLessThan(rb.position);
      const bad = await gql(client, team.manager.token, 'mutation ($id: ID!) { moveTask(id: $id, input: { afterId: $id }) { id } }', { id: c.id });
      expect(errorCode(bad)).toBe('VALIDATION_FAILED');
      expect(bad.errors![0]!.extensions.errors).toEqual([{ path: 'input.afterId', message: 'cannot be the moved task itself' }]);
    });

    it('deletes a task, and follows the role rules of REST', async () => {
      const managers = await createTask({ title: 'Manager task', assignedTo: String(team.member.id) });
      // A member may update a task assigned to them, but not delete one they did not create.
      const edit = await gql(client, team.member.token, UPDATE, { id: managers.id, input: { description: 'mine now' } });
      expect(edit.errors).toBeUndefined();
      const del = await gql(client, team.member.token, `mutation { deleteTask(id: ${managers.id}) }`);
      expect(errorCode(del)).toBe('FORBIDDEN');
      // Another member may not change it at all.
      expect(errorCode(await gql(client, team.other.token, UPDATE, { id: managers.id, input: { title: 'x' } }))).toBe('FORBIDDEN');
      const deleted = await gql(client, team.manager.token, `mutation { deleteTask(id: ${managers.id}, expectedVersion: 2) }`);
      expect(deleted.data.deleteTask).toBe(managers.id);
      expect((await client.get(`/api/tasks/${managers.id}`, { token: team.manager.token })).status).toBe(404);
      expect(errorCode(await gql(client, team.manager.token, `{ task(id: ${managers.id}) { id } }`))).toBe('NOT_FOUND');
    });

    it('names the offending argument or field in VALIDATION_FAILED', async () => {
      const blank = await gql(client, team.member.token, CREATE, { input: { title: ' ', dueDate: 'tomorrow' } });
      expect(errorCode(blank)).toBe('VALIDATION_FAILED');
      expect(blank.errors![0]!.extensions.errors.map((e: { path: string }) => e.path).sort()).toEqual(['input.dueDate', 'input.title']);
      const foreign = await createTeam(client, 'Foreign assignee');
      const assignee = await gql(client, team.manager.token, CREATE, { input: { title: 'x', assignedTo: String(foreign.member.id) } });
      expect(assignee.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'input.assignedTo', message: 'is not a user of this workspace' }] });
      const page = await gql(client, team.member.token, '{ tasks(first: 101) { nodes { id } } }');
      expect(page.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'first' }] });
      const filter = await gql(client, team.member.token, '{ tasks(filter: { assignee: "someone" }) { nodes { id } } }');
      expect(filter.errors![0]!.extensions.errors[0].path).toBe('filter.assignee');
      const cursor = await gql(client, team.member.token, '{ tasks(after: "bogus") { nodes { id } } }');
      expect(cursor.errors![0]!.extensions.errors[0].path).toBe('after');
      const id = await gql(client, team.member.token, '{ task(id: "abc") { id } }');
      expect(id.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'id' }] });
      const empty = await gql(client, team.member.token, `mutation { updateTask(id: 1, input: {}) { id } }`);
      expect(errorCode(empty)).toBe('VALIDATION_FAILED');
    });
  });

  describe('Idempotency-Key (the REST request pipeline)', () => {
    const post = (query: string, variables: Record<string, unknown>, key: string, token = team.manager.token) =>
      client.post('/graphql', { query, variables }, { token, headers: { 'idempotency-key': key } });

    it('replays a mutation sent again with the same key, and writes once', async () => {
      const key = `gql-create-${Date.now()}`;
      const input = { title: `GraphQL idempotent ${key}` };
      const first = await post(CREATE, { input }, key);
      const again = await post(CREATE, { input }, key);
      expect(first.status).toBe(200);
      expect(first.body.errors).toBeUndefined();
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('content-type')).toMatch(/json/);
      expect(again.body).toEqual(first.body);
      const found = await client.get(`/api/tasks?q=${encodeURIComponent(key)}`, { token: team.manager.token });
      expect(found.body.data).toHaveLength(1);
      const other = await post(CREATE, { input: { title: 'Another' } }, key);
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
    });

    it('does not hold a key for a refused mutation, nor for a query', async () => {
      const key = `gql-refused-${Date.now()}`;
      const refused = await post(CREATE, { input: { title: ' ' } }, key);
      expect(refused.body.errors?.length).toBeGreaterThan(0);
      const fixed = await post(CREATE, { input: { title: 'Fixed' } }, key);
      expect(fixed.body.errors).toBeUndefined();
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
      const queryKey = `gql-query-${Date.now()}`;
      await post('{ me { id } }', {}, queryKey);
      const again = await post('{ me { name } }', {}, queryKey);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      expect(again.body.data.me.name).toBeTruthy();
    });
  });

  describe('tenant isolation', () => {
    it("answers NOT_FOUND for another workspace's ids, for every operation", async () => {
      const foreign = await createTeam(client, 'Elsewhere');
      const secret = await createTask({ title: 'Secret' }, foreign.admin.token);
      const comment = (await client.post(`/api/tasks/${secret.id}/comments`, { comment: 'hidden' }, { token: foreign.admin.token })).body;
      const notification = (await client.get('/api/notifications', { token: foreign.member.token })).body.data[0];
      const attempts = [
        `{ task(id: ${secret.id}) { id } }`,
        `{ user(id: ${foreign.admin.id}) { id } }`,
        `mutation { updateTask(id: ${secret.id}, input: { title: "mine" }) { id } }`,
        `mutation { moveTask(id: ${secret.id}, input: { status: DONE }) { id } }`,
        `mutation { deleteTask(id: ${secret.id}) }`,
        `mutation { createComment(taskId: ${secret.id}, comment: "hi") { id } }`,
        `mutation { updateComment(taskId: ${secret.id}, id: ${comment.id}, comment: "hi") { id } }`,
        `mutation { deleteComment(taskId: ${secret.id}, id: ${comment.id}) }`,
        ...(notification ? [`mutation { markNotificationRead(id: ${notification.id}) { id } }`] : []),
      ];
      for (const query of attempts) expect(errorCode(await gql(client, team.admin.token, query)), query).toBe('NOT_FOUND');
      const list = await gql(client, team.admin.token, '{ tasks(first: 100) { nodes { id } } }');
      expect(list.data.tasks.nodes.map((n: { id: string }) => n.id)).not.toContain(secret.id);
      expect((await client.get(`/api/tasks/${secret.id}`, { token: foreign.admin.token })).body.title).toBe('Secret');
    });
  });

  describe('comments and activity', () => {
    it('creates, pages, edits and deletes comments with the REST rules', async () => {
      const task = await createTask({ title: 'Discussed' });
      const ids: string[] = [];
      for (const [i, token] of [team.member.token, team.other.token, team.member.token].entries()) {
        const created = await gql(client, token, 'mutation ($taskId: ID!, $c: String!) { createComment(taskId: $taskId, comment: $c) { id comment author { id } can } }', {
          taskId: task.id,
          c: `note ${i}`,
        });
        expect(created.errors).toBeUndefined();
        ids.push(created.data.createComment.id);
      }
      const read = await gql(client, team.member.token, `{ task(id: ${task.id}) { comments(first: 2) { nodes { comment author { id } can } pageInfo { hasNextPage endCursor } } latest: comments(first: 1, newestFirst: true) { nodes { comment } } } }`);
      expect(read.data.task.comments.nodes).toEqual([
        { comment: 'note 0', author: { id: String(team.member.id) }, can: ['UPDATE', 'DELETE'] },
        { comment: 'note 1', author: { id: String(team.other.id) }, can: [] },
      ]);
      expect(read.data.task.comments.pageInfo.hasNextPage).toBe(true);
      expect(read.data.task.latest.nodes).toEqual([{ comment: 'note 2' }]);
      const rest = await gql(client, team.member.token, `query ($after: String) { task(id: ${task.id}) { comments(first: 2, after: $after) { nodes { comment } pageInfo { hasNextPage } } } }`, {
        after: read.data.task.comments.pageInfo.endCursor,
      });
      expect(rest.data.task.comments).toEqual({ nodes: [{ comment: 'note 2' }], pageInfo: { hasNextPage: false } });

      const othersEdit = await gql(client, team.member.token, `mutation { updateComment(taskId: ${task.id}, id: ${ids[1]}, comment: "edited") { id } }`);
      expect(errorCode(othersEdit)).toBe('FORBIDDEN');
      const ownEdit = await gql(client, team.member.token, `mutation { updateComment(taskId: ${task.id}, id: ${ids[0]}, comment: "edited") { comment edited } }`);
      expect(ownEdit.data.updateComment).toEqual({ comment: 'edited', edited: true });
      expect(errorCode(await gql(client, team.member.token, `mutation { deleteComment(taskId: ${task.id}, id: ${ids[1]}) }`))).toBe('FORBIDDEN');
      expect((await gql(client, team.manager.token, `mutation { deleteComment(taskId: ${task.id}, id: ${ids[1]}) }`)).data.deleteComment).toBe(ids[1]);
      const blank = await gql(client, team.member.token, `mutation { createComment(taskId: ${task.id}, comment: "  ") { id } }`);
      expect(blank.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'comment' }] });

      const activity = await gql(client, team.manager.token, `{ task(id: ${task.id}) { activity { nodes { type actor { id } } } } }`);
      expect(activity.data.task.activity.nodes.map((a: { type: string }) => a.type)).toEqual([
        'task.created',
        'comment.created',
        'comment.created',
        'comment.created',
        'comment.updated',
        'comment.deleted',
      ]);
    });
  });

  describe('notifications', () => {
    it('lists, counts and marks the caller’s notifications read', async () => {
      const t = await createTeam(client, 'Bell');
      for (const title of ['One', 'Two']) {
        await gql(client, t.manager.token, CREATE, { input: { title, assignedTo: String(t.member.id) } });
      }
      const read = await gql(client, t.member.token, '{ unreadNotificationCount notifications(first: 10) { nodes { id type message read task { title } actor { id } } } }');
      expect(read.data.unreadNotificationCount).toBe(2);
      expect(read.data.notifications.nodes.map((n: any) => [n.type, n.task.title, n.actor.id])).toEqual([
        ['task.assigned', 'Two', String(t.manager.id)],
        ['task.assigned', 'One', String(t.manager.id)],
      ]);
      const one = await gql(client, t.member.token, `mutation { markNotificationRead(id: ${read.data.notifications.nodes[0].id}) { read } }`);
      expect(one.data.markNotificationRead.read).toBe(true);
      expect((await gql(client, t.member.token, '{ unreadNotificationCount }')).data.unreadNotificationCount).toBe(1);
      expect((await gql(client, t.member.token, 'mutation { markAllNotificationsRead }')).data.markAllNotificationsRead).toBe(1);
      const unread = await gql(client, t.member.token, '{ notifications(unread: true) { nodes { id } } }');
      expect(unread.data.notifications.nodes).toEqual([]);
      // Another user's notification is not found, as in REST.
      expect(errorCode(await gql(client, t.other.token, `mutation { markNotificationRead(id: ${read.data.notifications.nodes[1].id}) { id } }`))).toBe('NOT_FOUND');
    });
  });

  describe('analytics', () => {
    it('answers the summary with the REST scope rules and names bad range fields', async () => {
      const t = await createTeam(client, 'Charts');
      await gql(client, t.manager.token, CREATE, { input: { title: 'a', assignedTo: String(t.member.id), status: 'DONE' } });
      await gql(client, t.manager.token, CREATE, { input: { title: 'b', priority: 'HIGH' } });
      const query = `query ($range: AnalyticsRangeInput) { analytics(range: $range) { scope counts { total done byStatus { todo done inProgress } byPriority { high } }
        byAssignee { data { user { id } open done } unassigned { open } } trend { date created } completion { created completionRate } cycleTime { count } range { timezone } } }`;
      const manager = await gql(client, t.manager.token, query);
      expect(manager.errors).toBeUndefined();
      expect(manager.data.analytics).toMatchObject({
        scope: 'WORKSPACE',
        counts: { total: 2, done: 1, byStatus: { todo: 1, done: 1, inProgress: 0 }, byPriority: { high: 1 } },
        byAssignee: { data: [{ user: { id: String(t.member.id) }, open: 0, done: 1 }], unassigned: { open: 1 } },
        completion: { created: 2, completionRate: 0.5 },
        cycleTime: { count: 1 },
        range: { timezone: 'UTC' },
      });
      expect(manager.data.analytics.trend).toHaveLength(30);
      const rest = await client.get('/api/analytics/summary', { token: t.manager.token });
      expect(rest.body.counts.total).toBe(2);
      const member = await gql(client, t.other.token, query);
      expect(member.data.analytics).toMatchObject({ scope: 'OWN', counts: { total: 0 } });
      const badDate = await gql(client, t.manager.token, query, { range: { from: 'yesterday' } });
      expect(badDate.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'range.from' }] });
      const badZone = await gql(client, t.manager.token, query, { range: { timezone: 'Mars/Olympus' } });
      expect(badZone.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'range.timezone' }] });
    });
  });
});
