import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { endpointWants } from '../src/webhooks/filter.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { errorCode, gql } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

describe(`projects and workflows (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Projects');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  const as = (who: Member) => ({ token: who.token });
  const ok = async <T = any>(pending: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const response = await pending;
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body;
  };
  const project = (body: Record<string, unknown>, who = team.admin) => ok(client.post('/api/projects', body, as(who)), 201);
  const task = (body: Record<string, unknown>, who = team.admin) => ok(client.post('/api/tasks', body, as(who)), 201);
  const feed = async (who: Member | string) => {
    const token = typeof who === 'string' ? who : who.token;
    return (await ok(client.get('/api/events?after=0&limit=1000', { token }))).data as Array<{ event: string; taskId: number | null; data: any }>;
  };

  describe('tasks in projects', () => {
    it('numbers tasks per project, answers identifiers, and resolves them', async () => {
      const crm = await project({ key: 'CRM', name: 'Customers', description: 'Accounts we serve' });
      expect(crm).toMatchObject({ key: 'CRM', visibility: 'workspace', isDefault: false, statuses: [{ key: 'todo' }, { key: 'in_progress' }, { key: 'in_review' }, { key: 'done' }] });
      expect(crm.can).toEqual(['update', 'edit_workflow', 'manage_members', 'archive', 'delete', 'create_task']);
      const first = await task({ title: 'Call Acme', projectId: crm.id });
      const second = await task({ title: 'Send the offer', projectId: crm.id, status: 'in_progress' });
      expect([first.identifier, second.identifier]).toEqual(['CRM-1', 'CRM-2']);
      expect(second).toMatchObject({ projectId: crm.id, number: 2, status: 'in_progress', statusCategory: 'started' });
      expect((await ok(client.get('/api/tasks/CRM-2', as(team.member)))).id).toBe(second.id);
      expect((await client.get('/api/tasks/CRM-99', as(team.member))).status).toBe(404);
      const listed = await ok(client.get('/api/tasks?project=CRM&sort=createdAt', as(team.member)));
      expect(listed.data.map((t: any) => t.identifier)).toEqual(['CRM-1', 'CRM-2']);
      expect((await ok(client.get(`/api/projects/${crm.id}`, as(team.member)))).key).toBe('CRM');
    });

    it('puts a task without projectId in the default project, and refuses a status its workflow lacks', async () => {
      const created = await task({ title: 'Somewhere' });
      const general = await ok(client.get('/api/projects/GEN', as(team.member)));
      expect(general.isDefault).toBe(true);
      expect(created.projectId).toBe(general.id);
      expect(created.identifier).toMatch(/^GEN-\d+$/);
      const refused = await client.post('/api/tasks', { title: 'Nowhere', status: 'shipped' }, as(team.admin));
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0]).toMatchObject({ path: 'status', in: 'body' });
      const unknown = await client.post('/api/tasks', { title: 'Nowhere', projectId: 2 ** 40 }, as(team.admin));
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].path).toBe('projectId');
    });

    it('refuses new tasks in an archived project, and restores it', async () => {
      const old = await project({ key: 'OLD', name: 'Old stuff' });
      await task({ title: 'Keeps it alive', projectId: old.id });
      const removed = await ok(client.delete('/api/projects/OLD', as(team.manager)));
      expect(removed.outcome).toBe('archived');
      expect(removed.project.archivedAt).not.toBeNull();
      expect((await client.post('/api/tasks', { title: 'Late', projectId: old.id }, as(team.admin))).status).toBe(409);
      expect((await ok(client.get('/api/projects?archived=true', as(team.member)))).data.map((p: any) => p.key)).toContain('OLD');
      await ok(client.patch('/api/projects/OLD', { archived: false }, as(team.manager)));
      await task({ title: 'Back in business', projectId: old.id });
      expect((await client.delete('/api/projects/GEN', as(team.admin))).status).toBe(409);
    });
  });

  describe('workflow edits', () => {
    it('adds, renames, re-categorises, reorders and removes statuses, moving tasks in one transaction with one event', async () => {
      const ops = await project({ key: 'OPS', name: 'Operations' });
      const waiting = await task({ title: 'Waiting on legal', projectId: ops.id, status: 'in_review' });
      const done = await task({ title: 'Shipped', projectId: ops.id, status: 'done' });
      expect(done.completedAt).not.toBeNull();

      const added = await ok(client.post('/api/projects/OPS/statuses', { key: 'blocked', name: 'Blocked', category: 'started', position: 1 }, as(team.manager)), 201);
      expect(added.statuses.map((s: any) => s.key)).toEqual(['todo', 'blocked', 'in_progress', 'in_review', 'done']);
      expect((await client.post('/api/projects/OPS/statuses', { key: 'blocked', name: 'Again', category: 'started' }, as(team.manager))).status).toBe(409);

      const renamed = await ok(client.patch('/api/projects/OPS/statuses/in_review', { key: 'review', name: 'Review' }, as(team.manager)));
      expect(renamed.statuses.map((s: any) => s.key)).toContain('review');
      const moved = await ok(client.get(`/api/tasks/${waiting.id}`, as(team.member)));
      expect(moved).toMatchObject({ status: 'review', version: waiting.version + 1 });

      await ok(client.patch('/api/projects/OPS/statuses/review', { category: 'completed' }, as(team.manager)));
      expect((await ok(client.get(`/api/tasks/${waiting.id}`, as(team.member))))).toMatchObject({ statusCategory: 'completed', completedAt: expect.any(String) });

      const reordered = await ok(client.put('/api/projects/OPS/statuses/order', { keys: ['blocked', 'todo', 'in_progress', 'review', 'done'] }, as(team.manager)));
      expect(reordered.statuses.map((s: any) => s.key)).toEqual(['blocked', 'todo', 'in_progress', 'review', 'done']);
      expect((await client.put('/api/projects/OPS/statuses/order', { keys: ['todo', 'done'] }, as(team.manager))).status).toBe(422);

      const inUse = await client.delete('/api/projects/OPS/statuses/review', as(team.manager));
      expect(inUse.status).toBe(409);
      expect(inUse.body.code).toBe('status_in_use');
      expect((await client.delete('/api/projects/OPS/statuses/review?moveTo=nowhere', as(team.manager))).status).toBe(422);
      const after = await ok(client.delete('/api/projects/OPS/statuses/review?moveTo=in_progress', as(team.manager)));
      expect(after.statuses.map((s: any) => s.key)).toEqual(['blocked', 'todo', 'in_progress', 'done']);
      expect(await ok(client.get(`/api/tasks/${waiting.id}`, as(team.member)))).toMatchObject({ status: 'in_progress', statusCategory: 'started', completedAt: null });

      const events = await eventually(async () => {
        const changes = (await feed(team.member)).filter((e) => e.event === 'project.workflow_changed' && e.data.project.id === ops.id);
        return changes.length === 5 && changes;
      }, 20_000, 'the workflow events');
      expect(events.at(-1)!.data.change).toMatchObject({ removed: { key: 'review' }, movedTo: 'in_progress', taskIds: [waiting.id] });
    });

    it('lets members read a workflow but not edit it; the project’s lead may', async () => {
      const led = await project({ key: 'LED', name: 'Led by a member', leadId: team.member.id });
      expect((await client.post('/api/projects/LED/statuses', { key: 'qa', name: 'QA', category: 'started' }, as(team.other))).status).toBe(403);
      await ok(client.post('/api/projects/LED/statuses', { key: 'qa', name: 'QA', category: 'started' }, as(team.member)), 201);
      expect((await client.delete(`/api/projects/${led.id}`, as(team.member))).status).toBe(403);
      expect((await client.post('/api/projects', { key: 'MINE', name: 'Mine' }, as(team.member))).status).toBe(403);
    });
  });

  describe('moving tasks between projects', () => {
    it('maps the status by category, gives the next number, and keeps the old identifier resolving', async () => {
      const from = await project({ key: 'FROM', name: 'From' });
      const to = await project({
        key: 'DEST',
        name: 'Destination',
        statuses: [
          { key: 'triage', name: 'Triage', category: 'backlog' },
          { key: 'doing', name: 'Doing', category: 'started' },
          { key: 'shipped', name: 'Shipped', category: 'completed' },
        ],
      });
      await task({ title: 'Already there', projectId: to.id, status: 'doing' });
      const moving = await task({ title: 'On the move', projectId: from.id, status: 'in_review' });
      const socket = await TestSocket.subscribed(server.url, team.admin.token, [`project:${from.id}`]);
      sockets.push(socket);
      const moved = await ok(client.patch(`/api/tasks/${moving.id}`, { projectId: to.id }, as(team.admin)));
      expect(moved).toMatchObject({ projectId: to.id, number: 2, identifier: 'DEST-2', status: 'doing', statusCategory: 'started' });
      expect((await ok(client.get('/api/tasks/FROM-1', as(team.member)))).id).toBe(moving.id);
      expect((await ok(client.get('/api/tasks/DEST-2', as(team.member)))).id).toBe(moving.id);
      const left = await socket.next((f) => f.type === 'event' && f.event === 'task.project_changed', 10_000);
      expect(left.data).toMatchObject({ from: from.id, to: to.id, task: { identifier: 'DEST-2' } });
      // Asking for a status: it must be one of the destination's.
      const back = await client.patch(`/api/tasks/${moving.id}`, { projectId: from.id, status: 'shipped' }, as(team.admin));
      expect(back.status).toBe(422);
      expect(back.body.errors[0].path).toBe('status');
      const home = await ok(client.patch(`/api/tasks/${moving.id}`, { projectId: from.id, status: 'done' }, as(team.admin)));
      expect(home).toMatchObject({ identifier: 'FROM-2', statusCategory: 'completed', completedAt: expect.any(String) });
      expect((await ok(client.get('/api/tasks/DEST-2', as(team.member)))).id).toBe(moving.id);
    });

    it('keeps old keys and the identifiers made with them resolving after a key change', async () => {
      const sales = await project({ key: 'SAL', name: 'Sales' });
      const deal = await task({ title: 'Close the deal', projectId: sales.id });
      await ok(client.patch('/api/projects/SAL', { key: 'SALES' }, as(team.admin)));
      expect((await ok(client.get('/api/projects/SAL', as(team.member)))).key).toBe('SALES');
      expect((await ok(client.get(`/api/tasks/${deal.id}`, as(team.member)))).identifier).toBe('SALES-1');
      expect((await ok(client.get('/api/tasks/SAL-1', as(team.member)))).id).toBe(deal.id);
      expect((await client.post('/api/projects', { key: 'SAL', name: 'Taken' }, as(team.admin))).status).toBe(409);
    });
  });

  describe('private projects', () => {
    it('are invisible to non-members on REST, GraphQL, realtime and the event feed', async () => {
      const secret = await project({ key: 'HUSH', name: 'Acquisition', visibility: 'private' });
      await ok(client.post('/api/projects/HUSH/members', { userId: team.member.id }, as(team.admin)));
      const outsider = team.other;
      const inside = await task({ title: 'Due diligence', projectId: secret.id });
      const tasksFeed = await TestSocket.subscribed(server.url, outsider.token, ['tasks']);
      sockets.push(tasksFeed);

      // REST
      expect((await client.get('/api/projects/HUSH', as(outsider))).status).toBe(404);
      expect((await client.get(`/api/tasks/${inside.id}`, as(outsider))).status).toBe(404);
      expect((await client.get(`/api/tasks/${inside.identifier}`, as(outsider))).status).toBe(404);
      expect((await client.get(`/api/tasks/${inside.id}/comments`, as(outsider))).status).toBe(404);
      expect((await client.patch(`/api/tasks/${inside.id}`, { title: 'x' }, as(outsider))).status).toBe(404);
      expect((await ok(client.get('/api/tasks?limit=100', as(outsider)))).data.map((t: any) => t.id)).not.toContain(inside.id);
      expect((await ok(client.get('/api/projects?limit=100', as(outsider)))).data.map((p: any) => p.key)).not.toContain('HUSH');
      expect((await client.get('/api/tasks/counts?project=HUSH', as(outsider))).status).toBe(404);
      expect((await client.post('/api/tasks', { title: 'Sneak in', projectId: secret.id }, as(outsider))).status).toBe(422);
      // Members and admins see it.
      expect((await ok(client.get(`/api/tasks/${inside.id}`, as(team.member)))).title).toBe('Due diligence');
      expect((await ok(client.get('/api/tasks/counts?project=HUSH', as(team.member)))).total).toBe(1);

      // GraphQL
      const graph = await gql(client, outsider.token, 'query ($id: ID!) { task(id: $id) { id } }', { id: String(inside.id) });
      expect(errorCode(graph)).toBe('NOT_FOUND');
      const listed = await gql(client, outsider.token, '{ tasks(first: 100) { nodes { id } } projects(first: 100) { nodes { key } } }');
      expect(listed.data.tasks.nodes.map((t: any) => Number(t.id))).not.toContain(inside.id);
      expect(listed.data.projects.nodes.map((p: any) => p.key)).not.toContain('HUSH');
      expect((await gql(client, team.member.token, 'query ($id: ID!) { task(id: $id) { project { key } } }', { id: String(inside.id) })).data.task.project.key).toBe('HUSH');

      // Realtime: no subscription to its task or project, and nothing of it on `tasks`.
      for (const topic of [`task:${inside.id}`, `project:${secret.id}`]) {
        tasksFeed.send({ type: 'subscribe', topic });
        expect((await tasksFeed.next((f) => f.topic === topic && f.type !== 'event')).code).toBe('not_found');
      }
      await ok(client.patch(`/api/tasks/${inside.id}`, { title: 'Due diligence, phase 2' }, as(team.admin)));
      const sentinel = await task({ title: 'Public news' });
      await tasksFeed.next((f) => f.type === 'event' && f.taskId === sentinel.id, 10_000);
      expect(tasksFeed.frames.filter((f) => f.type === 'event' && f.taskId === inside.id)).toEqual([]);

      // The event feed.
      await eventually(async () => (await feed(team.member)).some((e) => e.taskId === sentinel.id), 20_000, 'the sentinel in the feed');
      expect((await feed(outsider)).filter((e) => e.taskId === inside.id || e.data?.project?.id === secret.id)).toEqual([]);
      expect((await feed(team.member)).some((e) => e.taskId === inside.id)).toBe(true);

      // Assigning to a non-member is refused, naming the field.
      const refused = await client.patch(`/api/tasks/${inside.id}`, { assignedTo: outsider.id }, as(team.admin));
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0].path).toBe('assignedTo');
    });
  });

  describe('embedding scoped to projects', () => {
    it('confines a project-limited embed token to its projects on every surface', async () => {
      const deal = await ok(client.put('/api/projects/by-external-id/deal-7', { name: 'Deal 7' }, as(team.admin)), 201);
      expect(deal).toMatchObject({ externalId: 'deal-7', key: expect.stringMatching(/^D7|^D\d|^DE/) });
      expect((await ok(client.put('/api/projects/by-external-id/deal-7', { name: 'Deal 7' }, as(team.admin)))).id).toBe(deal.id);
      const elsewhere = await task({ title: 'Not for the embed' });
      const inDeal = await task({ title: 'Deal task', projectId: deal.id });

      const key = await ok(client.post('/api/api-keys', { name: 'Deals', maxRole: 'manager', projects: ['ext:deal-7', 'GEN'] }, as(team.admin)), 201);
      expect(key.apiKey.projects.sort()).toEqual([deal.id, elsewhere.projectId].sort());
      const mint = (body: Record<string, unknown>) => client.post('/api/auth/embed-token', { externalId: 'host-user-7', name: 'Host user', ...body }, { headers: { authorization: `Bearer ${key.key}` } });
      expect((await mint({ projects: ['CRM'] })).status).toBe(403);
      const embed = await ok(mint({ projects: ['ext:deal-7'] }));
      expect(embed.projects).toEqual([deal.id]);
      const token = { token: embed.accessToken };

      // REST
      const listed = await ok(client.get('/api/tasks?limit=100', token));
      expect(listed.data.map((t: any) => t.id)).toEqual([inDeal.id]);
      expect((await client.get(`/api/tasks/${elsewhere.id}`, token)).status).toBe(404);
      expect((await ok(client.get('/api/projects', token))).data.map((p: any) => p.id)).toEqual([deal.id]);
      const created = await ok(client.post('/api/tasks', { title: 'From the host page' }, token), 201);
      expect(created.projectId).toBe(deal.id);
      expect((await client.post('/api/tasks', { title: 'Escape', projectId: elsewhere.projectId }, token)).status).toBe(422);
      expect((await client.post('/api/projects', { key: 'ESC', name: 'Escape' }, token)).status).toBe(403);

      // GraphQL
      const graph = await gql(client, embed.accessToken, '{ tasks(first: 100) { nodes { id } } }');
      expect(graph.data.tasks.nodes.map((t: any) => Number(t.id)).sort()).toEqual([inDeal.id, created.id].sort());

      // Realtime and the event feed.
      const socket = await TestSocket.subscribed(server.url, embed.accessToken, ['tasks']);
      sockets.push(socket);
      socket.send({ type: 'subscribe', topic: `task:${elsewhere.id}` });
      expect((await socket.next((f) => f.topic === `task:${elsewhere.id}` && f.type === 'error')).code).toBe('not_found');
      await ok(client.patch(`/api/tasks/${elsewhere.id}`, { title: 'Still not for the embed' }, as(team.admin)));
      await ok(client.patch(`/api/tasks/${inDeal.id}`, { title: 'Deal task, updated' }, as(team.admin)));
      await socket.next((f) => f.type === 'event' && f.taskId === inDeal.id && f.event === 'task.updated', 10_000);
      expect(socket.frames.filter((f) => f.type === 'event' && f.taskId === elsewhere.id)).toEqual([]);
      await eventually(async () => (await feed(embed.accessToken)).some((e) => e.taskId === inDeal.id && e.event === 'task.updated'), 20_000, 'the feed');
      expect((await feed(embed.accessToken)).filter((e) => e.taskId === elsewhere.id)).toEqual([]);
    });

    it('creates one project when two first uses of the same external id race', async () => {
      const [a, b] = await Promise.all([
        client.put('/api/projects/by-external-id/race-1', { name: 'Raced' }, as(team.admin)),
        client.put('/api/projects/by-external-id/race-1', { name: 'Raced' }, as(team.admin)),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.id).toBe(b.body.id);
      // Two objects of the same name: each gets its project, with keys made from the name that differ.
      const twins = await Promise.all(
        ['twin-a', 'twin-b', 'twin-c'].map((externalId) => client.put(`/api/projects/by-external-id/${externalId}`, { name: 'Twin' }, as(team.admin))),
      );
      expect(twins.map((twin) => twin.status), JSON.stringify(twins.map((twin) => twin.body))).toEqual([201, 201, 201]);
      expect(new Set(twins.map((twin) => twin.body.key)).size).toBe(3);
    });
  });

  it('sends a project-limited webhook endpoint only its projects’ events', () => {
    const event = (projectId: number | null) => ({ type: 'task.created', userId: null, payload: {}, projectId });
    const limited = { eventTypes: [], changedFields: [], projectIds: [7] };
    expect(endpointWants(limited, event(7))).toBe(true);
    expect(endpointWants(limited, event(8))).toBe(false);
    expect(endpointWants({ ...limited, eventTypes: ['user.created'] }, { ...event(null), type: 'user.created' })).toBe(true);
    expect(endpointWants({ eventTypes: [], changedFields: [], projectIds: null }, event(8))).toBe(true);
  });
});
