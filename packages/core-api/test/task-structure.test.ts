import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { endpointWants } from '../src/webhooks/filter.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

describe(`labels, subtasks, relations, custom fields, watchers and views (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Structure');
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (who: Member) => ({ token: who.token });
  const ok = async <T = any>(pending: Promise<{ status: number; body: T }>, status = 200): Promise<T> => {
    const response = await pending;
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response.body;
  };
  const refused = async (pending: Promise<{ status: number; body: any }>, status: number, path?: string) => {
    const response = await pending;
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    if (path !== undefined) expect(response.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
    return response.body;
  };
  const task = (body: Record<string, unknown>, who = team.admin) => ok(client.post('/api/tasks', body, as(who)), 201);
  const patch = (id: number, body: Record<string, unknown>, who = team.admin) => ok(client.patch(`/api/tasks/${id}`, body, as(who)));
  const project = (body: Record<string, unknown>) => ok(client.post('/api/projects', body, as(team.admin)), 201);
  const titles = (page: { data: Array<{ title: string }> }) => page.data.map((t) => t.title);
  type FeedEvent = { id: number; event: string; taskId: number | null; data: any };
  /** The feed after an event; with `until`, waits for what the test expects (events become readable just after their commit). */
  const events = async (after = 0, until?: (feed: FeedEvent[]) => boolean) =>
    eventually(async () => {
      const feed = (await ok(client.get(`/api/events?after=${after}&limit=1000`, as(team.admin)))).data as FeedEvent[];
      return (!until || until(feed)) && feed;
    });

  describe('labels', () => {
    it('are created by managers, unique whatever the case, carried by tasks and filtered any-of and all-of', async () => {
      const bug = await ok(client.post('/api/labels', { name: 'Bug', color: '#dc2626' }, as(team.manager)), 201);
      const ux = await ok(client.post('/api/labels', { name: 'UX', description: 'Looks and feel' }, as(team.admin)), 201);
      expect(bug).toMatchObject({ name: 'Bug', color: '#dc2626', projectIds: null });
      await refused(client.post('/api/labels', { name: 'bug' }, as(team.admin)), 409, 'name');
      await refused(client.post('/api/labels', { name: 'Mine' }, as(team.member)), 403);

      const both = await task({ title: 'Both labels', labelIds: [ux.id, bug.id] });
      expect(both.labels).toEqual([
        { id: bug.id, name: 'Bug', color: '#dc2626' },
        { id: ux.id, name: 'UX', color: '#64748b' },
      ]);
      await task({ title: 'Only bug', labelIds: [bug.id] });
      await task({ title: 'No label' });
      await refused(client.post('/api/tasks', { title: 'x', labelIds: [999999] }, as(team.admin)), 422, 'labelIds');

      expect(titles(await ok(client.get('/api/tasks?label=bug,UX&sort=createdAt', as(team.member))))).toEqual(['Both labels', 'Only bug']);
      expect(titles(await ok(client.get(`/api/tasks?labelAll=${bug.id},${ux.id}`, as(team.member))))).toEqual(['Both labels']);
      await refused(client.get('/api/tasks?label=nosuch', as(team.member)), 400, 'label');
      const counts = await ok(client.get('/api/tasks/counts?label=Bug', as(team.member)));
      expect(counts.total).toBe(2);
      // Analytics per label: a task with two labels counts under each; managers see the workspace.
      const byLabel = await ok(client.get('/api/analytics/by-label', as(team.manager)));
      expect(byLabel.data).toEqual([
        { labelId: bug.id, name: 'Bug', color: '#dc2626', open: 2, done: 0, overdue: 0 },
        { labelId: ux.id, name: 'UX', color: '#64748b', open: 1, done: 0, overdue: 0 },
      ]);
      expect(byLabel.unlabeled.open).toBeGreaterThanOrEqual(1);
    });

    it('limited to projects, are refused elsewhere; deleting one takes it off its tasks with events', async () => {
      const ops = await project({ key: 'OPS', name: 'Operations' });
      const urgent = await ok(client.post('/api/labels', { name: 'Pager', projectIds: [ops.id] }, as(team.admin)), 201);
      await refused(client.post('/api/tasks', { title: 'Elsewhere', labelIds: [urgent.id] }, as(team.admin)), 422, 'labelIds');
      const paged = await task({ title: 'Paged', projectId: ops.id, labelIds: [urgent.id] });
      const listed = await ok(client.get(`/api/labels?project=OPS`, as(team.member)));
      expect(listed.data.map((l: { name: string }) => l.name)).toContain('Pager');
      expect((await ok(client.get(`/api/labels?project=GEN`, as(team.member)))).data.map((l: { name: string }) => l.name)).not.toContain('Pager');

      const [last] = (await events()).slice(-1);
      await ok(client.delete(`/api/labels/${urgent.id}`, as(team.admin)), 204);
      const after = await events(last!.id, (feed) => feed.some((e) => e.event === 'label.deleted'));
      const update = after.find((e) => e.event === 'task.updated' && e.taskId === paged.id);
      expect(update?.data.changes).toEqual({ labelIds: { from: [urgent.id], to: [] } });
      expect(after.map((e) => e.event)).toContain('label.deleted');
      const reread = await ok(client.get(`/api/tasks/${paged.id}`, as(team.admin)));
      expect(reread.labels).toEqual([]);
      expect(reread.version).toBe(paged.version + 1);
    });
  });

  describe('subtasks', () => {
    it('count their completed ones, refuse cycles, other projects and depth past 5, and filter by parent', async () => {
      const parent = await task({ title: 'Launch' });
      const first = await task({ title: 'Write copy', parentId: parent.id });
      await task({ title: 'Ship it', parentId: parent.id, status: 'done' });
      const reread = await ok(client.get(`/api/tasks/${parent.id}`, as(team.member)));
      expect(reread.subtasks).toEqual({ total: 2, completed: 1 });
      expect(first.parentId).toBe(parent.id);

      await refused(client.patch(`/api/tasks/${parent.id}`, { parentId: first.id }, as(team.admin)), 422, 'parentId');
      await refused(client.patch(`/api/tasks/${parent.id}`, { parentId: parent.id }, as(team.admin)), 422, 'parentId');
      const other = await project({ key: 'SUB', name: 'Elsewhere' });
      const stranger = await task({ title: 'Stranger', projectId: other.id });
      await refused(client.patch(`/api/tasks/${first.id}`, { parentId: stranger.id }, as(team.admin)), 422, 'parentId');

      let chain = parent;
      for (let depth = 1; depth <= 5; depth++) chain = await task({ title: `Level ${depth}`, parentId: chain.id });
      await refused(client.post('/api/tasks', { title: 'Level 6', parentId: chain.id }, as(team.admin)), 422, 'parentId');

      const children = await ok(client.get(`/api/tasks?parent=${parent.identifier}&sort=createdAt`, as(team.member)));
      expect(titles(children)).toEqual(['Write copy', 'Ship it', 'Level 1']);
      const topLevel = await ok(client.get('/api/tasks?parent=none&limit=100', as(team.member)));
      expect(titles(topLevel)).toContain('Launch');
      expect(titles(topLevel)).not.toContain('Write copy');
    });

    it('refuse deleting a parent without cascade; cascade deletes the whole subtree with an event each', async () => {
      const parent = await task({ title: 'Parent to delete' });
      const child = await task({ title: 'Child', parentId: parent.id });
      const grandchild = await task({ title: 'Grandchild', parentId: child.id });
      const body = await refused(client.delete(`/api/tasks/${parent.id}`, as(team.admin)), 409);
      expect(body.code).toBe('has_subtasks');
      const [last] = (await events()).slice(-1);
      await ok(client.delete(`/api/tasks/${parent.id}?cascade=true`, as(team.admin)), 204);
      const deleted = (await events(last!.id, (feed) => feed.some((e) => e.event === 'task.deleted' && e.taskId === parent.id))).filter((e) => e.event === 'task.deleted').map((e) => e.taskId);
      expect(deleted).toEqual([grandchild.id, child.id, parent.id]);
      expect((await client.get(`/api/tasks/${child.id}`, as(team.admin))).status).toBe(404);
    });

    it('a subtask moved to another project leaves its parent; a parent with subtasks cannot move alone', async () => {
      const target = await project({ key: 'MOV', name: 'Target' });
      const parent = await task({ title: 'Staying parent' });
      const child = await task({ title: 'Leaving child', parentId: parent.id });
      const body = await refused(client.patch(`/api/tasks/${parent.id}`, { projectId: target.id }, as(team.admin)), 409);
      expect(body.code).toBe('has_subtasks');
      const moved = await patch(child.id, { projectId: target.id });
      expect(moved).toMatchObject({ projectId: target.id, parentId: null });
    });
  });

  describe('relations', () => {
    it('read both ways, count open blockers, refuse cycles, duplicates and self-links', async () => {
      const a = await task({ title: 'Blocker A' });
      const b = await task({ title: 'Blocked B' });
      const c = await task({ title: 'Third C' });
      const link = await ok(client.post(`/api/tasks/${a.id}/relations`, { type: 'blocks', taskId: b.identifier }, as(team.admin)), 201);
      expect(link).toMatchObject({ type: 'blocks', task: { id: b.id, identifier: b.identifier, title: 'Blocked B', status: 'todo', statusCategory: 'unstarted' } });
      await ok(client.post(`/api/tasks/${b.id}/relations`, { type: 'blocks', taskId: c.id }, as(team.admin)), 201);

      expect((await ok(client.get(`/api/tasks/${b.id}`, as(team.member)))).blockedBy).toBe(1);
      const fromB = await ok(client.get(`/api/tasks/${b.id}/relations`, as(team.member)));
      expect(fromB.data.map((r: any) => [r.type, r.task.id])).toEqual([
        ['blocked_by', a.id],
        ['blocks', c.id],
      ]);

      await refused(client.post(`/api/tasks/${c.id}/relations`, { type: 'blocks', taskId: a.id }, as(team.admin)), 422, 'taskId');
      await refused(client.post(`/api/tasks/${a.id}/relations`, { type: 'blocks', taskId: a.id }, as(team.admin)), 422, 'taskId');
      expect((await refused(client.post(`/api/tasks/${a.id}/relations`, { type: 'blocks', taskId: b.id }, as(team.admin)), 409)).code).toBe('relation_exists');
      await ok(client.post(`/api/tasks/${a.id}/relations`, { type: 'relates_to', taskId: c.id }, as(team.admin)), 201);
      expect((await refused(client.post(`/api/tasks/${c.id}/relations`, { type: 'relates_to', taskId: a.id }, as(team.admin)), 409)).code).toBe('relation_exists');

      await patch(a.id, { status: 'done' });
      expect((await ok(client.get(`/api/tasks/${b.id}`, as(team.member)))).blockedBy).toBe(0);

      const [last] = (await events()).slice(-1);
      await ok(client.delete(`/api/tasks/${b.id}/relations/${link.id}`, as(team.admin)), 204);
      const removed = (await events(last!.id, (feed) => feed.filter((e) => e.event === 'task.relation_removed').length === 2)).filter((e) => e.event === 'task.relation_removed');
      expect(removed.map((e) => [e.taskId, e.data.relation.type])).toEqual([
        [a.id, 'blocks'],
        [b.id, 'blocked_by'],
      ]);
      expect((await ok(client.get(`/api/tasks/${a.id}/relations`, as(team.member)))).data.map((r: any) => r.type)).toEqual(['relates_to']);
    });

    it('members may link only tasks they may change, and never to tasks they cannot see', async () => {
      const theirs = await task({ title: 'Member task' }, team.member);
      const notTheirs = await task({ title: 'Admin task' });
      await refused(client.post(`/api/tasks/${notTheirs.id}/relations`, { type: 'relates_to', taskId: theirs.id }, as(team.member)), 403);
      const hidden = await project({ key: 'HID', name: 'Hidden', visibility: 'private' });
      const secret = await task({ title: 'Secret', projectId: hidden.id });
      await refused(client.post(`/api/tasks/${theirs.id}/relations`, { type: 'relates_to', taskId: secret.id }, as(team.member)), 422, 'taskId');
      await ok(client.post(`/api/tasks/${notTheirs.id}/relations`, { type: 'relates_to', taskId: secret.id }, as(team.admin)), 201);
      // The member sees the link's visible end only.
      expect((await ok(client.get(`/api/tasks/${notTheirs.id}/relations`, as(team.member)))).data).toEqual([]);
    });
  });

  describe('custom fields', () => {
    let fields: Record<string, any>;
    beforeAll(async () => {
      const define = (body: Record<string, unknown>) => ok(client.post('/api/fields', body, as(team.admin)), 201);
      fields = {
        deal: await define({ key: 'deal_value', name: 'Deal value', type: 'number' }),
        tier: await define({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold' }, { name: 'Silver' }, { name: 'Bronze' }] }),
        tags: await define({ key: 'channels', name: 'Channels', type: 'multi_select', options: [{ name: 'Email' }, { name: 'Phone' }] }),
        close: await define({ key: 'close_on', name: 'Close on', type: 'date' }),
        vip: await define({ key: 'vip', name: 'VIP', type: 'checkbox' }),
        site: await define({ key: 'site', name: 'Site', type: 'url' }),
        owner: await define({ key: 'owner', name: 'Owner', type: 'user' }),
        note: await define({ key: 'note', name: 'Note', type: 'text' }),
      };
    });

    it('are defined with stable option ids, and refused for members and on duplicate keys', async () => {
      expect(fields.tier.options.map((o: any) => o.id)).toEqual(['gold', 'silver', 'bronze']);
      await refused(client.post('/api/fields', { key: 'tier', name: 'Again', type: 'text' }, as(team.admin)), 409, 'key');
      await refused(client.post('/api/fields', { key: 'x', name: 'X', type: 'text' }, as(team.member)), 403);
      await refused(client.post('/api/fields', { key: 'x', name: 'X', type: 'text', options: [{ name: 'A' }] }, as(team.admin)), 422, 'options');
      await refused(client.post('/api/fields', { key: 'Bad-Key', name: 'X', type: 'text' }, as(team.admin)), 400, 'key');
    });

    it('take values of their type, name the field at fault, merge on update and record from/to', async () => {
      const created = await task({
        title: 'Acme deal',
        fields: { deal_value: 12000, tier: 'Gold', channels: ['phone', 'email'], close_on: '2026-12-31', vip: true, site: 'https://acme.example', owner: team.member.id, note: 'Call first' },
      });
      expect(created.fields).toEqual({ deal_value: 12000, tier: 'gold', channels: ['email', 'phone'], close_on: '2026-12-31', vip: true, site: 'https://acme.example', owner: team.member.id, note: 'Call first' });

      const bad = await refused(
        client.post('/api/tasks', { title: 'Bad', fields: { deal_value: 'lots', tier: 'platinum', close_on: '31/12/2026', nosuch: 1, owner: 999999, site: 'javascript:alert(1)' } }, as(team.admin)),
        422,
      );
      expect(bad.errors.map((e: any) => e.path).sort()).toEqual(['fields.close_on', 'fields.deal_value', 'fields.nosuch', 'fields.owner', 'fields.site', 'fields.tier']);

      const [last] = (await events()).slice(-1);
      const updated = await patch(created.id, { fields: { deal_value: 15000, note: null } });
      expect(updated.fields).toMatchObject({ deal_value: 15000, tier: 'gold' });
      expect(updated.fields).not.toHaveProperty('note');
      const change = (await events(last!.id, (feed) => feed.some((e) => e.event === 'task.updated' && e.taskId === created.id))).find((e) => e.event === 'task.updated' && e.taskId === created.id);
      expect(change?.data.changes).toEqual({ 'fields.deal_value': { from: 12000, to: 15000 }, 'fields.note': { from: 'Call first', to: null } });
    });

    it('go through bulk upserts by externalId, and a webhook may filter on one field', async () => {
      const items = [
        { externalId: 'crm-deal-1', title: 'Deal one', fields: { deal_value: 100, tier: 'gold' } },
        { externalId: 'crm-deal-2', title: 'Deal two', fields: { deal_value: 'a lot' } },
      ];
      const first = await ok(client.post('/api/tasks/bulk', { items }, as(team.admin)));
      expect(first.results.map((r: any) => r.status)).toEqual(['created', 'error']);
      expect(first.results[1].error.errors.map((e: any) => e.path)).toEqual(['items.1.fields.deal_value']);
      const again = await ok(client.post('/api/tasks/bulk', { items: [{ externalId: 'crm-deal-1', fields: { deal_value: 150 } }] }, as(team.admin)));
      expect(again.results[0]).toMatchObject({ status: 'updated', task: { fields: { deal_value: 150, tier: 'gold' } } });

      const hook = { eventTypes: [], changedFields: ['fields.deal_value'], projectIds: null };
      const updated = (changes: Record<string, unknown>) => ({ type: 'task.updated', userId: null, projectId: 1, payload: { changes } });
      expect(endpointWants(hook, updated({ 'fields.deal_value': { from: 100, to: 150 } }))).toBe(true);
      expect(endpointWants(hook, updated({ 'fields.tier': { from: 'gold', to: 'silver' } }))).toBe(false);
      expect((await ok(client.post('/api/webhooks', { url: 'https://93.184.216.34/fields', changedFields: ['fields.deal_value', 'labelIds'] }, as(team.admin)), 201)).endpoint.changedFields).toEqual([
        'fields.deal_value',
        'labelIds',
      ]);
    });

    it('filter by equality, range and emptiness, and sort with cursors over pages, empty values last', async () => {
      const values = [5, 30, 10, 20, 40, 25];
      const made: any[] = [];
      for (const [index, value] of values.entries()) {
        made.push(await task({ title: `Deal ${value}`, fields: { deal_value: value, tier: index % 2 ? 'silver' : 'bronze' }, labelIds: [] }));
      }
      await task({ title: 'Deal without value', fields: { tier: 'bronze' } });

      const inRange = await ok(client.get('/api/tasks?cf.deal_value.gte=10&cf.deal_value.lte=30&sort=cf.deal_value', as(team.member)));
      expect(titles(inRange)).toEqual(['Deal 10', 'Deal 20', 'Deal 25', 'Deal 30']);
      const silver = await ok(client.get('/api/tasks?cf.tier=Silver&sort=cf.deal_value', as(team.member)));
      expect(titles(silver)).toEqual(['Deal 20', 'Deal 25', 'Deal 30']);
      const noValue = await ok(client.get('/api/tasks?cf.deal_value.empty=true&cf.tier=bronze', as(team.member)));
      expect(titles(noValue)).toEqual(['Deal without value']);

      // Page through the bronze and silver deals two at a time, descending: the empty one comes last.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(client.get(`/api/tasks?cf.tier=bronze,silver&sort=-cf.deal_value&limit=2${cursor ? `&cursor=${cursor}` : ''}`, as(team.member)));
        seen.push(...titles(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['Deal 40', 'Deal 30', 'Deal 25', 'Deal 20', 'Deal 10', 'Deal 5', 'Deal without value']);

      await refused(client.get('/api/tasks?cf.nosuch=1', as(team.member)), 400, 'cf.nosuch');
      await refused(client.get('/api/tasks?cf.tier.gte=1', as(team.member)), 400, 'cf.tier.gte');
      await refused(client.get('/api/tasks?sort=cf.channels', as(team.member)), 400, 'sort');
      await refused(client.get('/api/tasks?cf.deal_value=abc', as(team.member)), 400, 'cf.deal_value');
    });

    it('keep values when an option is renamed, clear them when it is removed, and lose them when the field is deleted', async () => {
      const gold = await task({ title: 'Gold customer', fields: { tier: 'gold', vip: false } });
      const renamed = await ok(client.patch('/api/fields/tier', { options: [{ id: 'gold', name: 'Platinum' }, { id: 'silver', name: 'Silver' }] }, as(team.admin)));
      expect(renamed.options.map((o: any) => o.name)).toEqual(['Platinum', 'Silver']);
      expect((await ok(client.get(`/api/tasks/${gold.id}`, as(team.admin)))).fields.tier).toBe('gold');
      expect(titles(await ok(client.get('/api/tasks?cf.tier=platinum', as(team.admin))))).toContain('Gold customer');
      // Bronze was left out: tasks that had it lose the value.
      await refused(client.get('/api/tasks?cf.tier=bronze', as(team.admin)), 400, 'cf.tier');
      const lost = await ok(client.get('/api/tasks?cf.tier.empty=true&cf.deal_value.empty=false&sort=cf.deal_value', as(team.admin)));
      expect(titles(lost)).toEqual(['Deal 5', 'Deal 10', 'Deal 40']);
      const withVip = await ok(client.get('/api/tasks?cf.vip=false', as(team.admin)));
      expect(titles(withVip)).toEqual(['Gold customer']);
      await ok(client.delete('/api/fields/vip', as(team.admin)), 204);
      expect((await ok(client.get(`/api/tasks/${gold.id}`, as(team.admin)))).fields).not.toHaveProperty('vip');
      await refused(client.get('/api/tasks?cf.vip=false', as(team.admin)), 400, 'cf.vip');
    });
  });

  describe('watchers', () => {
    it('are the creator, the assignee and commenters; they, not others, hear of status changes, never the actor', async () => {
      const created = await task({ title: 'Watched', assignedTo: team.member.id }, team.manager);
      const watchers = await ok(client.get(`/api/tasks/${created.id}/watchers`, as(team.manager)));
      expect(watchers.data.map((w: any) => w.userId).sort()).toEqual([team.manager.id, team.member.id].sort());
      expect(watchers.watching).toBe(true);

      const bellBefore = async (who: Member) => (await ok(client.get('/api/notifications?limit=100', as(who)))).data.length as number;
      const adminBefore = await bellBefore(team.admin);
      const memberBefore = await bellBefore(team.member);
      const managerBefore = await bellBefore(team.manager);
      await patch(created.id, { status: 'in_progress' }, team.member);
      expect(await bellBefore(team.member)).toBe(memberBefore); // the actor
      expect(await bellBefore(team.manager)).toBe(managerBefore + 1);
      expect(await bellBefore(team.admin)).toBe(adminBefore); // not watching

      await ok(client.post(`/api/tasks/${created.id}/watchers`, {}, as(team.admin)));
      await ok(client.delete(`/api/tasks/${created.id}/watchers/me`, as(team.manager)));
      await patch(created.id, { status: 'done' }, team.member);
      expect(await bellBefore(team.admin)).toBe(adminBefore + 1);
      expect(await bellBefore(team.manager)).toBe(managerBefore + 1);

      // A comment: its author and whoever it mentions watch from now on; the watchers hear of it, the author does not.
      const otherBefore = await bellBefore(team.other);
      const adminAfterStatus = await bellBefore(team.admin);
      await ok(client.post(`/api/tasks/${created.id}/comments`, { comment: `Over to you @${team.other.email.split('@')[0]}` }, as(team.member)), 201);
      expect(await bellBefore(team.other)).toBe(otherBefore + 1); // the mention, once
      expect(await bellBefore(team.admin)).toBe(adminAfterStatus + 1); // a watcher
      const afterComment = await ok(client.get(`/api/tasks/${created.id}/watchers`, as(team.member)));
      expect(afterComment.data.map((w: any) => w.userId)).toEqual(expect.arrayContaining([team.member.id, team.other.id, team.admin.id]));

      await refused(client.post(`/api/tasks/${created.id}/watchers`, { userId: team.admin.id }, as(team.member)), 403);
      const added = await ok(client.post(`/api/tasks/${created.id}/watchers`, { userId: team.manager.id }, as(team.admin)));
      expect(added.data.map((w: any) => w.userId)).toContain(team.manager.id);
    });
  });

  describe('saved views', () => {
    it('apply their filters under the request’s own, are private unless shared, and validate their query', async () => {
      const label = await ok(client.post('/api/labels', { name: 'Viewed' }, as(team.admin)), 201);
      await task({ title: 'In view', labelIds: [label.id], priority: 'high' });
      await task({ title: 'In view, low', labelIds: [label.id], priority: 'low' });
      const view = await ok(client.post('/api/views', { name: 'Viewed things', query: `label=${label.id}&sort=createdAt`, layout: 'board' }, as(team.member)), 201);
      expect(view).toMatchObject({ name: 'Viewed things', shared: false, layout: 'board', can: ['update', 'delete'] });
      expect(titles(await ok(client.get(`/api/tasks?view=${view.id}`, as(team.member))))).toEqual(['In view', 'In view, low']);
      expect(titles(await ok(client.get(`/api/tasks?view=${view.id}&priority=high`, as(team.member))))).toEqual(['In view']);
      expect((await ok(client.get(`/api/tasks/counts?view=${view.id}`, as(team.member)))).total).toBe(2);

      expect((await client.get(`/api/tasks?view=${view.id}`, as(team.manager))).status).toBe(404);
      await ok(client.patch(`/api/views/${view.id}`, { shared: true }, as(team.member)));
      expect(titles(await ok(client.get(`/api/tasks?view=${view.id}`, as(team.manager))))).toHaveLength(2);
      const listed = await ok(client.get('/api/views', as(team.manager)));
      expect(listed.data.find((v: any) => v.id === view.id)?.can).toEqual(['update', 'delete']);
      const listedByAdmin = await ok(client.get('/api/views', as(team.admin)));
      expect(listedByAdmin.data.some((v: any) => v.id === view.id)).toBe(true);

      await refused(client.post('/api/views', { name: 'Bad', query: 'priority=extreme' }, as(team.member)), 422, 'query');
      await refused(client.post('/api/views', { name: 'Bad', query: 'cursor=abc' }, as(team.member)), 422, 'query');
      // A view of one project lists that project's tasks only.
      const ops = await ok(client.get('/api/projects/OPS', as(team.admin)));
      const ofOps = await ok(client.post('/api/views', { name: 'Ops only', projectId: ops.id, layout: 'board' }, as(team.member)), 201);
      expect((await ok(client.get(`/api/tasks?view=${ofOps.id}&limit=100`, as(team.member)))).data.every((t: any) => t.projectId === ops.id)).toBe(true);
      await ok(client.patch(`/api/views/${ofOps.id}`, { projectId: null }, as(team.member)));
      await refused(client.post('/api/views', { name: 'Nowhere', projectId: 999999 }, as(team.member)), 422, 'projectId');
      const mine = await ok(client.post('/api/views', { name: 'Private' }, as(team.manager)), 201);
      await refused(client.patch(`/api/views/${mine.id}`, { name: 'Taken over' }, as(team.member)), 404);
      await ok(client.delete(`/api/views/${mine.id}`, as(team.manager)), 204);
    });
  });
});
