import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { errorCode, gql, type GraphqlResponse } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';
import { SseSubscription } from './support/sse.js';

const TASK = `id identifier title labels { id name color } fields subtasks { total completed } blockedBy
  parent { id title } relations { type task { id identifier status statusCategory } creator { id } }
  watchers { watching data { userId name user { id } } }`;
const CREATE_TASK = `mutation ($input: CreateTaskInput!) { createTask(input: $input) { ${TASK} } }`;
const TASKS = `query ($filter: TaskFilter, $orderBy: TaskOrder, $orderByField: String) {
  tasks(filter: $filter, orderBy: $orderBy, orderByField: $orderByField) { nodes { title } } }`;

describe(`GraphQL labels, custom fields, subtasks, relations, watchers and views (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'GraphQL structure');
  });
  afterAll(() => server.close());

  const ok = async (who: Member, query: string, variables?: Record<string, unknown>) => {
    const response = await gql(client, who.token, query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  const paths = (response: GraphqlResponse) => (response.errors?.[0]?.extensions.errors ?? []).map((e: { path: string }) => e.path);
  const titles = (data: { tasks: { nodes: Array<{ title: string }> } }) => data.tasks.nodes.map((t) => t.title);
  const createTask = async (input: Record<string, unknown>, who = team.admin) => (await ok(who, CREATE_TASK, { input })).createTask;

  it('creates labels and fields by mutation (managers and admins), lists them, and refuses members', async () => {
    const { createLabel } = await ok(team.manager, 'mutation ($input: CreateLabelInput!) { createLabel(input: $input) { id name color projectIds projects { key } } }', {
      input: { name: 'Bug', color: '#dc2626' },
    });
    expect(createLabel).toMatchObject({ name: 'Bug', color: '#dc2626', projectIds: null, projects: null });
    const field = await ok(team.admin, 'mutation ($input: CreateFieldInput!) { createField(input: $input) { key type options { id name } } }', {
      input: { key: 'tier', name: 'Tier', type: 'SELECT', options: [{ name: 'Gold' }, { name: 'Silver' }] },
    });
    expect(field.createField).toEqual({ key: 'tier', type: 'SELECT', options: [{ id: 'gold', name: 'Gold' }, { id: 'silver', name: 'Silver' }] });
    await ok(team.admin, 'mutation { createField(input: { key: "deal_value", name: "Deal value", type: NUMBER }) { key } }');

    const lists = await ok(team.member, '{ labels(q: "bu") { name } fields { key type } }');
    expect(lists.labels).toEqual([{ name: 'Bug' }]);
    expect(lists.fields).toEqual([
      { key: 'tier', type: 'SELECT' },
      { key: 'deal_value', type: 'NUMBER' },
    ]);
    expect(errorCode(await gql(client, team.member.token, 'mutation { createLabel(input: { name: "Mine" }) { id } }'))).toBe('FORBIDDEN');
    const taken = await gql(client, team.admin.token, 'mutation { createLabel(input: { name: "bug" }) { id } }');
    expect(errorCode(taken)).toBe('CONFLICT');
    expect(paths(taken)).toEqual(['input.name']);
    const badKey = await gql(client, team.admin.token, 'mutation { updateField(key: "Bad-Key", input: { name: "X" }) { key } }');
    expect(errorCode(badKey)).toBe('VALIDATION_FAILED');
    expect(paths(badKey)).toEqual(['key']);

    const updated = await ok(team.admin, `mutation { updateLabel(id: ${createLabel.id}, input: { color: "#2563eb" }) { color } }`);
    expect(updated.updateLabel.color).toBe('#2563eb');
  });

  it('creates a task with labelIds, parentId and fields, and reads labels, fields, subtasks, parent, relations and watchers back', async () => {
    const { labels } = await ok(team.admin, '{ labels { id name } }');
    const bug = labels.find((l: { name: string }) => l.name === 'Bug');
    const parent = await createTask({ title: 'Launch' });
    const child = await createTask({ title: 'Write copy', parentId: parent.id, labelIds: [bug.id], fields: { tier: 'Gold', deal_value: 1200 } }, team.manager);
    expect(child).toMatchObject({
      labels: [{ id: bug.id, name: 'Bug', color: '#2563eb' }],
      fields: { tier: 'gold', deal_value: 1200 },
      parent: { id: parent.id, title: 'Launch' },
      watchers: { watching: true, data: [{ userId: String(team.manager.id), name: expect.any(String), user: { id: String(team.manager.id) } }] },
    });

    const link = await ok(team.admin, 'mutation ($task: ID!, $input: AddTaskRelationInput!) { addTaskRelation(taskId: $task, input: $input) { id type task { identifier } } }', {
      task: parent.identifier,
      input: { type: 'BLOCKS', taskId: child.id },
    });
    expect(link.addTaskRelation).toMatchObject({ type: 'BLOCKS', task: { identifier: child.identifier } });
    const again = await gql(client, team.admin.token, `mutation { addTaskRelation(taskId: ${parent.id}, input: { type: BLOCKS, taskId: "${child.identifier}" }) { id } }`);
    expect(errorCode(again)).toBe('CONFLICT');
    const self = await gql(client, team.admin.token, `mutation { addTaskRelation(taskId: ${child.id}, input: { type: RELATES_TO, taskId: ${child.id} }) { id } }`);
    expect(paths(self)).toEqual(['input.taskId']);

    const watched = await ok(team.member, `mutation { watchTask(taskId: ${child.id}) { watching data { userId } } }`);
    expect(watched.watchTask.watching).toBe(true);
    expect(errorCode(await gql(client, team.member.token, `mutation { watchTask(taskId: ${child.id}, userId: ${team.other.id}) { watching } }`))).toBe('FORBIDDEN');

    const read = await ok(team.member, `{ task(id: "${child.identifier}") { ${TASK} } parent: task(id: ${parent.id}) { subtasks { total completed } relations { type task { id } } } }`);
    expect(read.task.blockedBy).toBe(1);
    expect(read.task.relations).toEqual([{ type: 'BLOCKED_BY', task: { id: parent.id, identifier: parent.identifier, status: 'TODO', statusCategory: 'UNSTARTED' }, creator: { id: String(team.admin.id) } }]);
    expect(read.task.watchers.data.map((w: { userId: string }) => w.userId)).toEqual([team.manager.id, team.member.id].map(String));
    expect(read.parent).toEqual({ subtasks: { total: 1, completed: 0 }, relations: [{ type: 'BLOCKS', task: { id: child.id } }] });

    const unwatched = await ok(team.member, `mutation { unwatchTask(taskId: ${child.id}) { watching } }`);
    expect(unwatched.unwatchTask.watching).toBe(false);
    const removed = await ok(team.admin, `mutation { removeTaskRelation(taskId: ${child.id}, relationId: ${link.addTaskRelation.id}) }`);
    expect(removed.removeTaskRelation).toBe(link.addTaskRelation.id);

    const refused = await gql(client, team.admin.token, `mutation { deleteTask(id: ${parent.id}) }`);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0]!.extensions.reason).toBe('has_subtasks');
    expect((await ok(team.admin, `mutation { deleteTask(id: ${parent.id}, cascade: true) }`)).deleteTask).toBe(parent.id);
    expect(errorCode(await gql(client, team.admin.token, `{ task(id: ${child.id}) { id } }`))).toBe('NOT_FOUND');
  });

  it('filters by label, by parent and by custom fields, sorts by a custom field, and names REST-validated filters', async () => {
    const t = await createTeam(client, 'GraphQL filters');
    const label = (await ok(t.admin, 'mutation { createLabel(input: { name: "Urgent" }) { id } }')).createLabel;
    await ok(t.admin, 'mutation { createField(input: { key: "size", name: "Size", type: NUMBER }) { key } }');
    await ok(t.admin, 'mutation { createField(input: { key: "tier", name: "Tier", type: SELECT, options: [{ name: "Gold" }, { name: "Silver" }] }) { key } }');
    const make = (input: Record<string, unknown>) => createTask(input, t.admin);
    const big = await make({ title: 'Big', labelIds: [label.id], fields: { size: 8, tier: 'gold' } });
    await make({ title: 'Small', fields: { size: 2, tier: 'silver' } });
    await make({ title: 'Unsized', parentId: big.id });

    expect(titles(await ok(t.member, TASKS, { filter: { label: ['urgent'] } }))).toEqual(['Big']);
    expect(titles(await ok(t.member, TASKS, { filter: { labelAll: [label.id] } }))).toEqual(['Big']);
    expect(titles(await ok(t.member, TASKS, { filter: { parent: big.identifier } }))).toEqual(['Unsized']);
    expect(titles(await ok(t.member, TASKS, { filter: { fields: [{ key: 'tier', in: ['Gold'] }] } }))).toEqual(['Big']);
    expect(titles(await ok(t.member, TASKS, { filter: { fields: [{ key: 'size', gte: '3', lte: '10' }] } }))).toEqual(['Big']);
    expect(titles(await ok(t.member, TASKS, { filter: { fields: [{ key: 'size', empty: true }] } }))).toEqual(['Unsized']);
    expect(titles(await ok(t.member, TASKS, { orderByField: 'size' }))).toEqual(['Small', 'Big', 'Unsized']);
    expect(titles(await ok(t.member, TASKS, { orderByField: '-size' }))).toEqual(['Big', 'Small', 'Unsized']);
    const counts = await ok(t.member, 'query ($filter: TaskFilter) { taskCounts(filter: $filter) { total } }', { filter: { fields: [{ key: 'tier', in: ['gold', 'silver'] }] } });
    expect(counts.taskCounts.total).toBe(2);

    const badFilter = await gql(client, t.member.token, TASKS, { filter: { fields: [{ key: 'size', gte: 'lots' }, { key: 'nosuch', empty: false }] } });
    expect(errorCode(badFilter)).toBe('VALIDATION_FAILED');
    expect(paths(badFilter)[0]).toMatch(/^filter\.fields\.(size\.gte|nosuch\.empty)$/);
    expect(paths(await gql(client, t.member.token, TASKS, { filter: { label: ['nosuch'] } }))).toEqual(['filter.label']);
    expect(paths(await gql(client, t.member.token, TASKS, { orderByField: 'nosuch' }))).toEqual(['orderByField']);
    expect(paths(await gql(client, t.member.token, TASKS, { orderBy: 'DUE_DATE_ASC', orderByField: 'size' }))).toEqual(['orderByField']);

    const bad = await gql(client, t.admin.token, CREATE_TASK, { input: { title: 'Bad', fields: { size: 'lots', tier: 'platinum' } } });
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    expect(paths(bad).sort()).toEqual(['input.fields.size', 'input.fields.tier']);
  });

  it('delivers relation, watcher, label, field and shared-view events to taskChanged (without a task snapshot)', async () => {
    const t = await createTeam(client, 'GraphQL live structure');
    const a = await createTask({ title: 'Live A' }, t.admin);
    const b = await createTask({ title: 'Live B' }, t.admin);
    const live = await SseSubscription.open(server.url, t.member.token, 'subscription { taskChanged { type taskId task { id } data } }');
    try {
      await ok(t.admin, `mutation { addTaskRelation(taskId: ${a.id}, input: { type: BLOCKS, taskId: ${b.id} }) { id } }`);
      await ok(t.manager, `mutation { watchTask(taskId: ${a.id}) { watching } }`);
      await ok(t.admin, 'mutation { createLabel(input: { name: "Live" }) { id } }');
      await ok(t.admin, 'mutation { createField(input: { key: "live", name: "Live", type: TEXT }) { id } }');
      await ok(t.member, 'mutation { createView(input: { name: "Private" }) { id } }');
      await ok(t.member, 'mutation { createView(input: { name: "Shared", shared: true }) { id } }');
      const events = (await live.received(6)).map((e) => e.data.taskChanged);
      expect(events.map((e) => [e.type, e.taskId])).toEqual([
        ['task.relation_added', a.id],
        ['task.relation_added', b.id],
        ['task.watcher_added', a.id],
        ['label.created', null],
        ['field.created', null],
        ['view.created', null],
      ]);
      expect(events.every((e) => e.task === null)).toBe(true);
      expect(events[0].data.relation).toMatchObject({ type: 'blocks', taskId: Number(a.id), relatedTaskId: Number(b.id) });
      expect(events[5].data.view).toMatchObject({ name: 'Shared', shared: true });
    } finally {
      live.close();
    }
  });

  it('saves views: a private one is not seen by another user, a shared one is; tasks(filter: { view }) applies it', async () => {
    const t = await createTeam(client, 'GraphQL views');
    await ok(t.admin, 'mutation { createField(input: { key: "tier", name: "Tier", type: SELECT, options: [{ name: "Gold" }, { name: "Silver" }] }) { key } }');
    await createTask({ title: 'Gold deal', fields: { tier: 'gold' } }, t.admin);
    await createTask({ title: 'Silver deal', fields: { tier: 'silver' } }, t.admin);
    const CREATE = 'mutation ($input: CreateViewInput!) { createView(input: $input) { id name query layout shared can owner { id } } }';
    const mine = (await ok(t.member, CREATE, { input: { name: 'My gold', query: 'cf.tier=gold', layout: 'BOARD' } })).createView;
    expect(mine).toMatchObject({ name: 'My gold', layout: 'BOARD', shared: false, can: ['UPDATE', 'DELETE'], owner: { id: String(t.member.id) } });
    const shared = (await ok(t.member, CREATE, { input: { name: 'Everyone', query: 'sort=-createdAt', shared: true } })).createView;

    expect(titles(await ok(t.member, TASKS, { filter: { view: mine.id } }))).toEqual(['Gold deal']);
    const others = await ok(t.other, '{ views { name can } }');
    expect(others.views).toEqual([{ name: 'Everyone', can: [] }]);
    expect(errorCode(await gql(client, t.other.token, `{ view(id: ${mine.id}) { id } }`))).toBe('NOT_FOUND');
    expect(errorCode(await gql(client, t.other.token, TASKS, { filter: { view: mine.id } }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(client, t.other.token, `mutation { deleteView(id: ${shared.id}) }`))).toBe('FORBIDDEN');

    const badQuery = await gql(client, t.member.token, `mutation { updateView(id: ${mine.id}, input: { query: "cf.tier.gte=x&nosuch=1" }) { id } }`);
    expect(paths(badQuery)).toEqual(['input.query']);
    expect((await ok(t.member, `mutation { updateView(id: ${mine.id}, input: { shared: true }) { shared } }`)).updateView.shared).toBe(true);
    expect((await ok(t.other, `{ view(id: ${mine.id}) { name } }`)).view.name).toBe('My gold');
    expect((await ok(t.manager, `mutation { deleteView(id: ${mine.id}) }`)).deleteView).toBe(mine.id);
  });
});
