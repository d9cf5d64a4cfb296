import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, type Member, type Team } from './support/client.js';
import { databaseMode, sharedDatabase, startTestServer } from './support/server.js';

interface Note {
  id: number;
  userId: number;
  taskId: number | null;
  actorId: number | null;
  type: string;
  kind?: string;
  message: string;
  read: boolean;
  createdAt: string;
}

describe(`notifications (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const createTask = async (who: Member, body: Record<string, unknown> = {}) => {
    const created = await client.post('/api/tasks', { title: 'Notify me', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; title: string };
  };

  const patchTask = async (who: Member, id: number, body: Record<string, unknown>) => {
    const patched = await client.patch(`/api/tasks/${id}`, body, { token: who.token });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    return patched.body;
  };

  const comment = async (who: Member, taskId: number, text: string) => {
    const created = await client.post(`/api/tasks/${taskId}/comments`, { comment: text }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; mentions: number[] };
  };

  /** All of a user's notifications, walking pages of `limit`, newest first. */
  const inbox = async (who: Member, options: { limit?: number; unread?: boolean } = {}) => {
    const notes: Note[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: String(options.limit ?? 100) });
      if (options.unread !== undefined) params.set('unread', String(options.unread));
      if (cursor) params.set('cursor', cursor);
      const page: any = await client.get(`/api/notifications?${params}`, { token: who.token });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(options.limit ?? 100);
      notes.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return notes;
  };

  /** What each member of the team was told, as `type task actor`, oldest first. */
  const everyone = async (team: Team) => {
    const result = { admin: [] as string[], manager: [] as string[], member: [] as string[], other: [] as string[] };
    for (const key of ['admin', 'manager', 'member', 'other'] as const) {
      const notes = await inbox(team[key]);
      for (const note of notes) expect(note.userId).toBe(team[key].id);
      result[key] = notes.reverse().map((note) => `${note.type} ${note.taskId} ${note.actorId}`);
    }
    return result;
  };

  const unreadCount = async (who: Member) => {
    const response = await client.get('/api/notifications/unread-count', { token: who.token });
    expect(response.status).toBe(200);
    return response.body.unread as number;
  };

  /** Adds a member with a chosen name to the team's workspace. */
  const addMember = async (team: Team, name: string): Promise<Member> => {
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}.${team.workspaceId}@example.test`;
    const password = 'correct horse battery';
    const created = await client.post('/api/users', { name, email, role: 'member', password }, { token: team.admin.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const login = await client.post('/api/auth/login', { email, password });
    expect(login.status).toBe(200);
    return { id: created.body.user.id, token: login.body.accessToken, refreshToken: login.body.refreshToken, email, password, role: 'member' };
  };

  it('notifies the assignee, and only the assignee, of an assignment', async () => {
    const team = await createTeam(client, 'Assign');
    const { manager, member, other } = team;
    const task = await createTask(manager, { assignedTo: member.id });
    expect(await everyone(team)).toEqual({ admin: [], manager: [], member: [`task.assigned ${task.id} ${manager.id}`], other: [] });
    const [note] = await inbox(member);
    expect(note).toMatchObject({ userId: member.id, taskId: task.id, actorId: manager.id, type: 'task.assigned', read: false });
    expect(note!.message).toContain('Notify me');

    await patchTask(manager, task.id, { assignedTo: other.id });
    // Assigning yourself or unassigning notifies nobody of an assignment; editing other fields tells the watchers once.
    const own = await createTask(member, { assignedTo: member.id });
    await patchTask(manager, task.id, { assignedTo: manager.id });
    await patchTask(manager, task.id, { assignedTo: null, title: 'Renamed', priority: 'high' });
    expect(await everyone(team)).toEqual({
      admin: [],
      manager: [],
      member: [`task.assigned ${task.id} ${manager.id}`, `task.watched_change ${task.id} ${manager.id}`],
      other: [`task.assigned ${task.id} ${manager.id}`, `task.watched_change ${task.id} ${manager.id}`],
    });
    expect((await inbox(other))[0]!.message).toBe('Assign manager changed the title and the priority of "Renamed"');

    // A member may hand their own task to someone else.
    await patchTask(member, own.id, { assignedTo: other.id });
    expect((await everyone(team)).other).toEqual([`task.assigned ${task.id} ${manager.id}`, `task.watched_change ${task.id} ${manager.id}`, `task.assigned ${own.id} ${member.id}`]);
  });

  it('notifies creator and assignee of a status change, never the actor', async () => {
    const team = await createTeam(client, 'Status');
    const { admin, manager, member, other } = team;
    const task = await createTask(member, { assignedTo: other.id });
    const stale = (await client.get(`/api/tasks/${task.id}`, { token: member.token })).headers.get('etag')!;
    const before = await everyone(team);
    expect(before.other).toEqual([`task.assigned ${task.id} ${member.id}`]);

    await patchTask(manager, task.id, { status: 'in_progress' });
    await patchTask(other, task.id, { status: 'in_review' });
    const moved = await client.post(`/api/tasks/${task.id}/move`, { status: 'done' }, { token: member.token });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Changing something other than the status is not a status change: the watchers hear of it once, as a watched change.
    await patchTask(admin, task.id, { priority: 'low', description: 'more detail' });
    // A refused change notifies nobody.
    const refused = await client.patch(`/api/tasks/${task.id}`, { status: 'todo' }, { token: admin.token, headers: { 'if-match': stale } });
    expect(refused.status).toBe(412);

    expect(await everyone(team)).toEqual({
      admin: [],
      manager: [],
      member: [`task.status_changed ${task.id} ${manager.id}`, `task.status_changed ${task.id} ${other.id}`, `task.watched_change ${task.id} ${admin.id}`],
      other: [...before.other, `task.status_changed ${task.id} ${manager.id}`, `task.status_changed ${task.id} ${member.id}`, `task.watched_change ${task.id} ${admin.id}`],
    });
    const [latest, previous] = await inbox(other);
    expect(latest).toMatchObject({ type: 'task.watched_change', kind: 'watched_change' });
    expect(previous!.message).toContain('done');
    expect(previous!.kind).toBe('status_changed');

    // Creator and assignee in one person: told once, of the status change and of a comment.
    const solo = await createTask(member, { assignedTo: member.id });
    await patchTask(manager, solo.id, { status: 'in_progress' });
    await comment(admin, solo.id, 'nice');
    expect((await everyone(team)).member.filter((line) => line.includes(` ${solo.id} `))).toEqual([
      `task.status_changed ${solo.id} ${manager.id}`,
      `comment.created ${solo.id} ${admin.id}`,
    ]);
  });

  it('notifies the watchers of a comment (its author watching from then on), and a mentioned person only of the mention', async () => {
    const team = await createTeam(client, 'Comment');
    const { admin, manager, member, other } = team;
    const task = await createTask(member, { assignedTo: other.id });
    const start = await everyone(team);

    await comment(admin, task.id, 'looks good');
    expect(await everyone(team)).toEqual({
      ...start,
      member: [`comment.created ${task.id} ${admin.id}`],
      other: [...start.other, `comment.created ${task.id} ${admin.id}`],
    });

    // The assignee comments and mentions the creator: the creator hears of the mention only.
    const mentionLocal = member.email.split('@')[0]!;
    const mentioning = await comment(other, task.id, `@${mentionLocal} please check`);
    expect(mentioning.mentions).toEqual([member.id]);
    // The creator comments mentioning themselves and the manager: no self-notification.
    const selfish = await comment(member, task.id, `note to @${mentionLocal} and @${manager.email.split('@')[0]}`);
    expect(selfish.mentions.sort((a, b) => a - b)).toEqual([manager.id, member.id].sort((a, b) => a - b));

    expect(await everyone(team)).toEqual({
      // The admin watches since commenting; the manager, mentioned, from the mention on.
      admin: [`comment.created ${task.id} ${other.id}`, `comment.created ${task.id} ${member.id}`],
      manager: [`comment.mention ${task.id} ${member.id}`],
      member: [`comment.created ${task.id} ${admin.id}`, `comment.mention ${task.id} ${other.id}`],
      other: [...start.other, `comment.created ${task.id} ${admin.id}`, `comment.created ${task.id} ${member.id}`],
    });

    // Editing notifies only the newly mentioned; the previously mentioned are not told again.
    const edited = await client.patch(
      `/api/tasks/${task.id}/comments/${selfish.id}`,
      { comment: `note to @${manager.email.split('@')[0]} and @${admin.email.split('@')[0]}` },
      { token: member.token },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const after = await everyone(team);
    expect(after.admin).toEqual([`comment.created ${task.id} ${other.id}`, `comment.created ${task.id} ${member.id}`, `comment.mention ${task.id} ${member.id}`]);
    expect(after.manager).toEqual([`comment.mention ${task.id} ${member.id}`]);
    expect(after.member).toHaveLength(2);
    expect(after.other).toHaveLength(start.other.length + 2);
  });

  it('a mention and an assignment produce exactly the notifications listed', async () => {
    const team = await createTeam(client, 'Exact');
    const { admin, manager, member, other } = team;
    const ada = await addMember(team, 'Ada Lovelace');
    const gone = await addMember(team, 'Gone Person');
    expect((await client.patch(`/api/users/${gone.id}`, { active: false }, { token: admin.token })).status).toBe(200);

    const task = await createTask(manager, { title: 'Ship it', assignedTo: member.id });
    await comment(other, task.id, 'Over to @Ada Lovelace and @GonePerson, cc @ada');
    await patchTask(manager, task.id, { assignedTo: ada.id });

    const notes = {
      admin: await inbox(admin),
      manager: await inbox(manager),
      member: await inbox(member),
      other: await inbox(other),
      ada: await inbox(ada),
    };
    const shape = (list: Note[]) => list.reverse().map(({ type, taskId, actorId, message, read }) => ({ type, taskId, actorId, message, read }));
    expect(shape(notes.admin)).toEqual([]);
    expect(shape(notes.other)).toEqual([]);
    expect(shape(notes.manager)).toEqual([
      { type: 'comment.created', taskId: task.id, actorId: other.id, message: 'Exact other commented on "Ship it"', read: false },
    ]);
    expect(shape(notes.member)).toEqual([
      { type: 'task.assigned', taskId: task.id, actorId: manager.id, message: 'Exact manager assigned you "Ship it"', read: false },
      { type: 'comment.created', taskId: task.id, actorId: other.id, message: 'Exact other commented on "Ship it"', read: false },
    ]);
    expect(shape(notes.ada)).toEqual([
      { type: 'comment.mention', taskId: task.id, actorId: other.id, message: 'Exact other mentioned you on "Ship it"', read: false },
      { type: 'task.assigned', taskId: task.id, actorId: manager.id, message: 'Exact manager assigned you "Ship it"', read: false },
    ]);
    expect(await unreadCount(ada)).toBe(2);

    // Each notification was written with its (private) event, and none shows in the task's activity.
    const { knex } = await sharedDatabase();
    const rows = await knex('notifications').where({ workspaceId: team.workspaceId }).select('id', 'userId');
    expect(rows).toHaveLength(5);
    const events = await knex('events').where({ workspaceId: team.workspaceId, type: 'notification.created' }).select('userId', 'payload');
    expect(events.map((e: any) => [e.userId, e.payload.notification.id]).sort()).toEqual(rows.map((r: any) => [r.userId, r.id]).sort());
    const activity = await client.get(`/api/tasks/${task.id}/activity`, { token: member.token });
    expect(activity.body.data.map((e: any) => e.type)).toEqual(['task.created', 'comment.created', 'task.updated']);
  });

  it('filters unread, counts them, and marks one or all read', async () => {
    const team = await createTeam(client, 'Inbox');
    const stranger = await createTeam(client, 'Elsewhere');
    const tasks = [];
    for (let i = 0; i < 4; i += 1) tasks.push(await createTask(team.manager, { title: `Job ${i}`, assignedTo: team.member.id }));
    const otherTask = await createTask(team.manager, { assignedTo: team.other.id });
    const strangerTask = await createTask(stranger.manager, { assignedTo: stranger.member.id });
    const [othersNote] = await inbox(team.other);
    const [strangersNote] = await inbox(stranger.member);
    expect(othersNote!.taskId).toBe(otherTask.id);
    expect(strangersNote!.taskId).toBe(strangerTask.id);

    const all = await inbox(team.member);
    expect(all.map((n) => n.taskId)).toEqual(tasks.map((t) => t.id).reverse());
    expect(await unreadCount(team.member)).toBe(4);

    const marked = await client.post(`/api/notifications/${all[1]!.id}/read`, undefined, { token: team.member.token });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body).toMatchObject({ id: all[1]!.id, read: true, userId: team.member.id });
    expect(await unreadCount(team.member)).toBe(3);
    expect((await inbox(team.member, { unread: true })).map((n) => n.id)).toEqual([all[0]!.id, all[2]!.id, all[3]!.id]);
    expect((await inbox(team.member, { unread: false })).map((n) => n.id)).toEqual([all[1]!.id]);
    expect((await inbox(team.member)).map((n) => [n.id, n.read])).toEqual(all.map((n, i) => [n.id, i === 1]));
    // Marking it again is harmless, and not a change (no second event, below).
    const again = await client.post(`/api/notifications/${all[1]!.id}/read`, undefined, { token: team.member.token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(marked.body);
    expect(await unreadCount(team.member)).toBe(3);

    // Someone else's notification, in this workspace or another, is not found, and stays unread.
    for (const [who, id] of [
      [team.member, othersNote!.id],
      [team.admin, all[0]!.id],
      [stranger.admin, all[0]!.id],
      [team.member, strangersNote!.id],
      [team.member, 999_999_999],
    ] as Array<[Member, number]>) {
      const response = await client.post(`/api/notifications/${id}/read`, undefined, { token: who.token });
      expect(response.status).toBe(404);
      expect(isProblem(response)).toBe(true);
    }
    expect(await unreadCount(team.other)).toBe(1);
    expect(await unreadCount(stranger.member)).toBe(1);
    expect(await unreadCount(team.member)).toBe(3);
    // Another user's notifications never show in your list.
    expect(await inbox(team.admin)).toEqual([]);

    const readAll = await client.post('/api/notifications/read-all', undefined, { token: team.member.token });
    expect(readAll.status).toBe(200);
    expect(readAll.body).toEqual({ updated: 3 });
    expect(await unreadCount(team.member)).toBe(0);
    expect(await inbox(team.member, { unread: true })).toEqual([]);
    expect((await inbox(team.member, { unread: false })).map((n) => n.id)).toEqual(all.map((n) => n.id));
    expect((await client.post('/api/notifications/read-all', undefined, { token: team.member.token })).body).toEqual({ updated: 0 });
    // Marking all read touched only the caller's own notifications.
    expect(await unreadCount(team.other)).toBe(1);
    expect(await unreadCount(stranger.member)).toBe(1);

    // Marks are events for the user's other devices: one per change that read something.
    const { knex } = await sharedDatabase();
    const reads = await knex('events').where({ workspaceId: team.workspaceId, type: 'notification.read' }).orderBy('id').select('userId', 'payload');
    expect(reads.map((e: any) => [e.userId, [...e.payload.ids].sort((a: number, b: number) => a - b)])).toEqual([
      [team.member.id, [all[1]!.id]],
      [team.member.id, [all[0]!.id, all[2]!.id, all[3]!.id].sort((a, b) => a - b)],
    ]);

    expect((await client.get('/api/notifications')).status).toBe(401);
    expect((await client.get('/api/notifications/unread-count')).status).toBe(401);
    expect((await client.get('/api/notifications?unread=maybe', { token: team.member.token })).status).toBe(400);
    expect((await client.get('/api/notifications?cursor=nope', { token: team.member.token })).status).toBe(400);
  });

  it('pages through notifications newest first, each exactly once', async () => {
    const team = await createTeam(client, 'Paging');
    const ids: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      await createTask(team.manager, { title: `Page ${i}`, assignedTo: team.member.id });
    }
    const all = await inbox(team.member);
    ids.push(...all.map((n) => n.id));
    expect(ids).toHaveLength(7);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    for (const limit of [1, 2, 3, 7, 50]) {
      expect((await inbox(team.member, { limit })).map((n) => n.id), `limit ${limit}`).toEqual(ids);
    }

    // The unread filter pages the same way.
    for (const id of [ids[0]!, ids[3]!, ids[6]!]) {
      expect((await client.post(`/api/notifications/${id}/read`, undefined, { token: team.member.token })).status).toBe(200);
    }
    const unread = ids.filter((_, i) => ![0, 3, 6].includes(i));
    for (const limit of [1, 2, 3]) {
      expect((await inbox(team.member, { limit, unread: true })).map((n) => n.id)).toEqual(unread);
      expect((await inbox(team.member, { limit, unread: false })).map((n) => n.id)).toEqual([ids[0], ids[3], ids[6]]);
    }

    // A notification arriving between two pages neither repeats nor hides the rest.
    const first = await client.get('/api/notifications?limit=3', { token: team.member.token });
    await createTask(team.manager, { title: 'Late', assignedTo: team.member.id });
    const seen = [...first.body.data.map((n: Note) => n.id)];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page: any = await client.get(`/api/notifications?limit=3&cursor=${encodeURIComponent(cursor)}`, { token: team.member.token });
      seen.push(...page.body.data.map((n: Note) => n.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(ids);
    expect(await inbox(team.member)).toHaveLength(8);
  });
});
