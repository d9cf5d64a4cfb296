import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member } from './support/client.js';
import { databaseMode, sharedDatabase, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

interface Note {
  id: number;
  userId: number;
  taskId: number | null;
  type: string;
  kind?: string;
  read: boolean;
  archived: boolean;
}

interface Group {
  taskId: number | null;
  task: { id: number; identifier: string; title: string } | null;
  count: number;
  unread: number;
  kinds: string[];
  latest: Note;
}

/** What the grouped list must answer, computed from the flat list (newest first). */
function groupsOf(notes: Note[]) {
  const groups = new Map<string, { taskId: number | null; count: number; unread: number; kinds: Set<string>; latestId: number }>();
  for (const note of notes) {
    const key = note.taskId === null ? `n${note.id}` : `t${note.taskId}`;
    const group = groups.get(key) ?? { taskId: note.taskId, count: 0, unread: 0, kinds: new Set<string>(), latestId: note.id };
    group.count += 1;
    if (!note.read) group.unread += 1;
    group.kinds.add(note.kind!);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({ ...group, kinds: [...group.kinds].sort() }));
}

describe(`notifications grouped by task, read per task, archived (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const createTask = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', { title: 'Group me', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; identifier: string; title: string };
  };

  const walk = async <T>(who: Member, query: Record<string, string>, limit: number): Promise<T[]> => {
    const rows: T[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, limit: String(limit) });
      if (cursor) params.set('cursor', cursor);
      const page: any = await client.get(`/api/notifications?${params}`, { token: who.token });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      rows.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return rows;
  };
  const flat = (who: Member, query: Record<string, string> = {}) => walk<Note>(who, query, 100);
  const grouped = (who: Member, query: Record<string, string> = {}, limit = 100) => walk<Group>(who, { ...query, group: 'task' }, limit);
  const unreadCount = async (who: Member) => (await client.get('/api/notifications/unread-count', { token: who.token })).body.unread as number;

  const expectGroupsMatch = (groups: Group[], notes: Note[]) => {
    const expected = groupsOf(notes);
    expect(groups.map((g) => ({ taskId: g.taskId, count: g.count, unread: g.unread, kinds: g.kinds, latestId: g.latest.id }))).toEqual(expected);
  };

  it('answers one row per task, newest first, with counts, kinds and the newest notification; pages and users stay apart', async () => {
    const team = await createTeam(client, 'Grouped');
    const stranger = await createTeam(client, 'Elsewhere');
    const { manager, member, other } = team;
    const first = await createTask(manager, { title: 'First', assignedTo: member.id });
    const second = await createTask(manager, { title: 'Second', assignedTo: member.id });
    const third = await createTask(manager, { title: 'Third', assignedTo: other.id });
    for (const text of ['one', 'two']) expect((await client.post(`/api/tasks/${first.id}/comments`, { comment: text }, { token: manager.token })).status).toBe(201);
    expect((await client.patch(`/api/tasks/${first.id}`, { status: 'in_progress' }, { token: manager.token })).status).toBe(200);
    await createTask(stranger.manager, { assignedTo: stranger.member.id });
    // A notification without a task (none of today's kinds, but the list must hold them) is a group of its own.
    const { knex } = await sharedDatabase();
    const [loose] = await knex('notifications').insert({ workspaceId: team.workspaceId, userId: member.id, type: 'system.notice', message: 'Hello' }).returning('id');
    const [loose2] = await knex('notifications').insert({ workspaceId: team.workspaceId, userId: member.id, type: 'system.notice', message: 'Again' }).returning('id');

    const notes = await flat(member);
    expect(notes.every((note) => note.userId === member.id && note.archived === false)).toBe(true);
    const groups = await grouped(member);
    expectGroupsMatch(groups, notes);
    expect(groups.map((g) => g.taskId)).toEqual([null, null, first.id, second.id]);
    expect(groups.slice(0, 2).map((g) => g.latest.id)).toEqual([loose2.id, loose.id]);
    const firstGroup = groups[2]!;
    expect(firstGroup.task).toEqual({ id: first.id, identifier: first.identifier, title: 'First' });
    expect(firstGroup.count).toBeGreaterThanOrEqual(3);
    expect(firstGroup.kinds).toEqual(expect.arrayContaining(['assigned', 'commented', 'status_changed']));
    expect(firstGroup.latest.type).toBe('task.status_changed');
    expect(groups[0]!.task).toBeNull();
    // Pages of one walk the same rows.
    expect(await grouped(member, {}, 1)).toEqual(groups);
    // Others see only their own.
    expect((await grouped(other)).map((g) => g.taskId)).toEqual([third.id]);
    expect((await grouped(stranger.member)).every((g) => g.latest.userId === stranger.member.id)).toBe(true);
    expect(await grouped(team.admin)).toEqual([]);

    // A bad cursor names the parameter.
    const bad = await client.get('/api/notifications?group=task&cursor=nope', { token: member.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('cursor');
    const badGroup = await client.get('/api/notifications?group=project', { token: member.token });
    expect(badGroup.status).toBe(400);
    expect(JSON.stringify(badGroup.body.errors)).toContain('group');
  });

  it("marks a task's notifications read in one call, with one event", async () => {
    const team = await createTeam(client, 'Read task');
    const { manager, member } = team;
    const first = await createTask(manager, { assignedTo: member.id });
    const second = await createTask(manager, { assignedTo: member.id });
    expect((await client.post(`/api/tasks/${first.id}/comments`, { comment: 'ping' }, { token: manager.token })).status).toBe(201);
    const before = await unreadCount(member);
    const firstIds = (await flat(member)).filter((n) => n.taskId === first.id).map((n) => n.id);
    expect(firstIds.length).toBeGreaterThanOrEqual(2);

    const marked = await client.post(`/api/notifications/tasks/${first.id}/read`, undefined, { token: member.token });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body).toEqual({ updated: firstIds.length });
    expect(await unreadCount(member)).toBe(before - firstIds.length);
    expect((await grouped(member, { unread: 'true' })).map((g) => g.taskId)).toEqual([second.id]);
    const groups = await grouped(member);
    expect(groups.find((g) => g.taskId === first.id)).toMatchObject({ unread: 0, count: firstIds.length });

    const { knex } = await sharedDatabase();
    const events = await eventually(async () => {
      const rows = await knex('events').where({ workspaceId: team.workspaceId, type: 'notification.read', userId: member.id }).select('payload', 'taskId');
      return rows.length ? rows : undefined;
    });
    expect(events).toHaveLength(1);
    expect([...events[0].payload.ids].sort()).toEqual([...firstIds].sort());
    // About one task: the event says which, so a bell updates that group in place.
    expect(Number(events[0].taskId)).toBe(first.id);

    // Again: nothing changes, no event; someone else's call touches only their own.
    expect((await client.post(`/api/notifications/tasks/${first.id}/read`, undefined, { token: member.token })).body).toEqual({ updated: 0 });
    expect((await client.post(`/api/notifications/tasks/${second.id}/read`, undefined, { token: team.other.token })).body).toEqual({ updated: 0 });
    expect((await grouped(member, { unread: 'true' })).map((g) => g.taskId)).toEqual([second.id]);
    expect(Number((await knex('events').where({ workspaceId: team.workspaceId, type: 'notification.read' }).count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('archives: out of the default lists and the unread count, listed with archived=true, and back', async () => {
    const team = await createTeam(client, 'Archive');
    const { manager, member, other } = team;
    const first = await createTask(manager, { assignedTo: member.id });
    const second = await createTask(manager, { assignedTo: member.id });
    expect((await client.post(`/api/tasks/${second.id}/comments`, { comment: 'more' }, { token: manager.token })).status).toBe(201);
    const all = await flat(member);
    const unread = await unreadCount(member);
    const secondIds = all.filter((n) => n.taskId === second.id).map((n) => n.id);

    const archived = await client.post(`/api/notifications/tasks/${second.id}/archive`, undefined, { token: member.token });
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect(archived.body).toEqual({ updated: secondIds.length });
    expect(await unreadCount(member)).toBe(unread - secondIds.length);
    expect((await flat(member)).map((n) => n.taskId)).toEqual([first.id]);
    expect((await grouped(member)).map((g) => g.taskId)).toEqual([first.id]);
    const archivedList = await flat(member, { archived: 'true' });
    expect(archivedList.map((n) => n.id).sort()).toEqual([...secondIds].sort());
    expect(archivedList.every((n) => n.archived)).toBe(true);
    expect((await grouped(member, { archived: 'true' })).map((g) => [g.taskId, g.count])).toEqual([[second.id, secondIds.length]]);

    // One notification: archive, again (no change), someone else's (404), back.
    const firstNote = all.find((n) => n.taskId === first.id)!;
    const one = await client.post(`/api/notifications/${firstNote.id}/archive`, undefined, { token: member.token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: firstNote.id, archived: true });
    expect((await client.post(`/api/notifications/${firstNote.id}/archive`, undefined, { token: member.token })).body.archived).toBe(true);
    expect((await client.post(`/api/notifications/${firstNote.id}/archive`, undefined, { token: other.token })).status).toBe(404);
    expect((await client.post(`/api/notifications/${firstNote.id}/unarchive`, undefined, { token: other.token })).status).toBe(404);
    expect(await flat(member)).toEqual([]);
    const back = await client.post(`/api/notifications/${firstNote.id}/unarchive`, undefined, { token: member.token });
    expect(back.body).toMatchObject({ id: firstNote.id, archived: false });
    expect((await client.post(`/api/notifications/tasks/${second.id}/unarchive`, undefined, { token: member.token })).body).toEqual({ updated: secondIds.length });
    expect((await flat(member)).map((n) => n.id)).toEqual(all.map((n) => n.id));
    expect(await unreadCount(member)).toBe(unread);

    // Each change was one private event for the member.
    const { knex } = await sharedDatabase();
    const events = await eventually(async () => {
      const rows = await knex('events').where({ workspaceId: team.workspaceId, type: 'notification.archived' }).orderBy('id').select('userId', 'payload', 'taskId');
      return rows.length === 4 ? rows : undefined;
    });
    expect(events.map((e: any) => [e.userId, e.payload.archived, e.payload.ids.length, Number(e.taskId)])).toEqual([
      [member.id, true, secondIds.length, second.id],
      [member.id, true, 1, first.id],
      [member.id, false, 1, first.id],
      [member.id, false, secondIds.length, second.id],
    ]);
  });

  it('GraphQL: notificationGroups, markTaskNotificationsRead, archiveNotifications', async () => {
    const team = await createTeam(client, 'Graph bell');
    const { manager, member } = team;
    const task = await createTask(manager, { title: 'Graphy', assignedTo: member.id });
    expect((await client.post(`/api/tasks/${task.id}/comments`, { comment: 'hey' }, { token: manager.token })).status).toBe(201);
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await client.post('/graphql', { query, variables }, { token: member.token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as { data?: any; errors?: any[] };
    };
    const groups = await gql('{ notificationGroups(first: 10) { nodes { taskId task { identifier title } count unread kinds latest { id type archived } } pageInfo { hasNextPage } } }');
    expect(groups.errors).toBeUndefined();
    const [group] = groups.data.notificationGroups.nodes;
    expect(group).toMatchObject({ taskId: String(task.id), task: { identifier: task.identifier, title: 'Graphy' }, unread: group.count, latest: { archived: false } });
    expect(group.kinds).toContain('assigned');

    const read = await gql('mutation($t: ID!) { markTaskNotificationsRead(taskId: $t) }', { t: String(task.id) });
    expect(read.data.markTaskNotificationsRead).toBe(group.count);
    const archived = await gql('mutation($t: ID!) { archiveNotifications(taskId: $t) }', { t: String(task.id) });
    expect(archived.data.archiveNotifications).toBe(group.count);
    expect((await gql('{ notificationGroups { nodes { taskId } } }')).data.notificationGroups.nodes).toEqual([]);
    expect((await gql('{ notifications(archived: true) { nodes { archived } } }')).data.notifications.nodes).toHaveLength(group.count);
    const restored = await gql('mutation($id: ID!) { archiveNotifications(ids: [$id], archived: false) }', { id: String(group.latest.id) });
    expect(restored.data.archiveNotifications).toBe(1);
    const none = await gql('mutation { archiveNotifications }');
    expect(none.errors?.[0]?.extensions?.code).toBeDefined();
  });
});
