import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, uniqueEmail, type Member, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`comments (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const createTask = async (who: Member, body: Record<string, unknown> = {}) => {
    const created = await client.post('/api/tasks', { title: 'Discuss me', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; createdBy: number; assignedTo: number | null };
  };

  const comment = async (who: Member, taskId: number, text: string) => {
    const created = await client.post(`/api/tasks/${taskId}/comments`, { comment: text }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; mentions: number[]; comment: string };
  };

  /** The task's activity, as event types, following cursors. */
  const activity = async (who: Member, taskId: number) => {
    const types: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await client.get(`/api/tasks/${taskId}/activity?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: who.token });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      types.push(...page.body.data.map((event: any) => event.type));
      cursor = page.body.nextCursor;
    } while (cursor);
    return types;
  };

  /** Every comment of a task, oldest first, walking pages of `limit`. */
  const listAll = async (who: Member, taskId: number, limit: number) => {
    const comments: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await client.get(`/api/tasks/${taskId}/comments?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: who.token });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      comments.push(...page.body.data);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    return { comments, pages };
  };

  /** Adds a member with a chosen name to the team's workspace. */
  const addUser = async (team: Team, name: string, emailLocal?: string) => {
    const email = emailLocal ? `${emailLocal}@example.test` : uniqueEmail('named');
    const created = await client.post('/api/users', { name, email, role: 'member', password: 'correct horse battery' }, { token: team.admin.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.user as { id: number; name: string; email: string };
  };

  it('creates, lists, edits and deletes a comment, each change with its event', async () => {
    const team = await createTeam(client, 'Chatty');
    const task = await createTask(team.member, { assignedTo: team.other.id });
    expect(await activity(team.member, task.id)).toEqual(['task.created']);

    const created = await client.post(`/api/tasks/${task.id}/comments`, { comment: 'First thoughts' }, { token: team.other.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ taskId: task.id, userId: team.other.id, comment: 'First thoughts', mentions: [], edited: false });
    expect(created.body.can.sort()).toEqual(['delete', 'update']);
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created']);

    const listed = await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token });
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, comment: 'First thoughts', can: [] });
    const asManager = await client.get(`/api/tasks/${task.id}/comments`, { token: team.manager.token });
    expect(asManager.body.data[0].can).toEqual(['delete']);

    const edited = await client.patch(`/api/tasks/${task.id}/comments/${created.body.id}`, { comment: 'Second thoughts' }, { token: team.other.token });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ id: created.body.id, comment: 'Second thoughts', edited: true });
    expect((await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token })).body.data[0].comment).toBe('Second thoughts');
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created', 'comment.updated']);

    const removed = await client.delete(`/api/tasks/${task.id}/comments/${created.body.id}`, { token: team.other.token });
    expect(removed.status).toBe(204);
    expect((await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token })).body.data).toEqual([]);
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created', 'comment.updated', 'comment.deleted']);
    const again = await client.delete(`/api/tasks/${task.id}/comments/${created.body.id}`, { token: team.other.token });
    expect(again.status).toBe(404);
  });

  it('lets any member comment on any task of the workspace', async () => {
    const team = await createTeam(client, 'Open');
    const task = await createTask(team.manager);
    for (const who of [team.admin, team.manager, team.member, team.other]) await comment(who, task.id, `from ${who.role}`);
    const { comments } = await listAll(team.member, task.id, 100);
    expect(comments.map((c) => c.userId)).toEqual([team.admin.id, team.manager.id, team.member.id, team.other.id]);
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created', 'comment.created', 'comment.created', 'comment.created']);
  });

  it('lets only the author edit, and the author, managers and admins delete', async () => {
    const team = await createTeam(client, 'Rules');
    const task = await createTask(team.member);
    const mine = await comment(team.member, task.id, 'my words');
    const path = `/api/tasks/${task.id}/comments/${mine.id}`;
    const before = await activity(team.member, task.id);

    for (const who of [team.other, team.manager, team.admin]) {
      const edit = await client.patch(path, { comment: 'not yours' }, { token: who.token });
      expect(edit.status, who.role).toBe(403);
      expect(isProblem(edit)).toBe(true);
    }
    const deleteByOther = await client.delete(path, { token: team.other.token });
    expect(deleteByOther.status).toBe(403);
    expect(isProblem(deleteByOther)).toBe(true);
    // Refused changes change nothing and leave no event.
    expect(await activity(team.member, task.id)).toEqual(before);
    expect((await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token })).body.data.map((c: any) => c.comment)).toEqual(['my words']);

    expect((await client.delete(path, { token: team.manager.token })).status).toBe(204);
    const second = await comment(team.other, task.id, 'more words');
    expect((await client.delete(`/api/tasks/${task.id}/comments/${second.id}`, { token: team.admin.token })).status).toBe(204);
    const third = await comment(team.admin, task.id, 'admin words');
    expect((await client.delete(`/api/tasks/${task.id}/comments/${third.id}`, { token: team.manager.token })).status).toBe(204);
    expect((await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token })).body.data).toEqual([]);
    expect(await activity(team.member, task.id)).toEqual([
      ...before,
      'comment.deleted',
      'comment.created',
      'comment.deleted',
      'comment.created',
      'comment.deleted',
    ]);
  });

  it("answers 404 for another workspace's tasks and comments, and leaves them untouched", async () => {
    const team = await createTeam(client, 'Home');
    const stranger = await createTeam(client, 'Away');
    const task = await createTask(team.member);
    const own = await comment(team.member, task.id, 'private');
    const theirTask = await createTask(stranger.member);
    const path = `/api/tasks/${task.id}/comments/${own.id}`;

    for (const who of [stranger.admin, stranger.manager, stranger.member]) {
      const list = await client.get(`/api/tasks/${task.id}/comments`, { token: who.token });
      expect(list.status, who.role).toBe(404);
      expect(isProblem(list)).toBe(true);
      expect((await client.post(`/api/tasks/${task.id}/comments`, { comment: 'hi' }, { token: who.token })).status, who.role).toBe(404);
      expect((await client.patch(path, { comment: 'hi' }, { token: who.token })).status, who.role).toBe(404);
      expect((await client.delete(path, { token: who.token })).status, who.role).toBe(404);
      // Their own task id with our comment id: still not found.
      expect((await client.patch(`/api/tasks/${theirTask.id}/comments/${own.id}`, { comment: 'hi' }, { token: who.token })).status).toBe(404);
      expect((await client.delete(`/api/tasks/${theirTask.id}/comments/${own.id}`, { token: who.token })).status).toBe(404);
    }
    const listed = await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token });
    expect(listed.body.data.map((c: any) => c.comment)).toEqual(['private']);
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created']);
    expect(await activity(stranger.member, theirTask.id)).toEqual(['task.created']);

    // A comment addressed through another task of the same workspace is not found either.
    const sibling = await createTask(team.member);
    expect((await client.patch(`/api/tasks/${sibling.id}/comments/${own.id}`, { comment: 'moved?' }, { token: team.member.token })).status).toBe(404);
    expect((await client.delete(`/api/tasks/${sibling.id}/comments/${own.id}`, { token: team.admin.token })).status).toBe(404);
    expect((await client.get(`/api/tasks/999999999/comments`, { token: team.member.token })).status).toBe(404);
    expect((await client.get(`/api/tasks/${task.id}/comments`)).status).toBe(401);
  });

  it('refuses bad input with a problem naming the field, and writes nothing', async () => {
    const team = await createTeam(client, 'Strict');
    const task = await createTask(team.member);
    for (const body of [{}, { comment: '' }, { comment: '   ' }, { comment: 42 }, { comment: 'ok', extra: true }, { comment: 'x'.repeat(10_001) }]) {
      const response = await client.post(`/api/tasks/${task.id}/comments`, body, { token: team.member.token });
      expect([400, 422], JSON.stringify(body)).toContain(response.status);
      expect(isProblem(response)).toBe(true);
    }
    const own = await comment(team.member, task.id, 'fine');
    const badEdit = await client.patch(`/api/tasks/${task.id}/comments/${own.id}`, { comment: '' }, { token: team.member.token });
    expect([400, 422]).toContain(badEdit.status);
    expect(badEdit.body.errors.map((e: any) => e.path).join()).toContain('comment');
    const badCursor = await client.get(`/api/tasks/${task.id}/comments?cursor=nonsense`, { token: team.member.token });
    expect(badCursor.status).toBe(400);
    expect((await client.get(`/api/tasks/${task.id}/comments?limit=101`, { token: team.member.token })).status).toBe(400);
    expect((await client.get(`/api/tasks/${task.id}/comments`, { token: team.member.token })).body.data.map((c: any) => c.comment)).toEqual(['fine']);
    expect(await activity(team.member, task.id)).toEqual(['task.created', 'comment.created']);
  });

  it('pages through comments oldest first, each exactly once', async () => {
    const team = await createTeam(client, 'Pages');
    const task = await createTask(team.member);
    const other = await createTask(team.member);
    const ids: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      ids.push((await comment(i % 2 ? team.other : team.member, task.id, `comment ${i}`)).id);
      if (i === 3) await comment(team.member, other.id, 'elsewhere');
    }
    for (const limit of [1, 2, 3, 7, 50]) {
      const { comments, pages } = await listAll(team.manager, task.id, limit);
      expect(comments.map((c) => c.id), `limit ${limit}`).toEqual(ids);
      expect(pages).toBe(Math.max(1, Math.ceil(ids.length / limit)));
    }
    // A page boundary survives a deletion of the row the cursor points at.
    const first = await client.get(`/api/tasks/${task.id}/comments?limit=3`, { token: team.member.token });
    expect((await client.delete(`/api/tasks/${task.id}/comments/${ids[2]}`, { token: team.manager.token })).status).toBe(204);
    const rest = await client.get(`/api/tasks/${task.id}/comments?limit=50&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: team.member.token });
    expect(rest.body.data.map((c: any) => c.id)).toEqual(ids.slice(3));
  });

  it('recognises @mentions of active workspace members in every form', async () => {
    const team = await createTeam(client, 'Mentions');
    const ada = await addUser(team, 'Ada Lovelace', `ada.l.${Date.now()}`);
    const grace = await addUser(team, 'Grace Hopper');
    const linus = await addUser(team, 'Linus Torvalds');
    const alan = await addUser(team, 'Alan Turing');
    await addUser(team, 'Alan Kay');
    const outsider = await createTeam(client, 'Outsiders');
    const outsiderAda = await client.post('/api/users', { name: 'Zed Outsider', email: uniqueEmail('zed'), role: 'member', password: 'correct horse battery' }, { token: outsider.admin.token });
    expect(outsiderAda.status).toBe(201);
    const task = await createTask(team.member);
    const adaLocal = ada.email.split('@')[0]!;

    const cases: Array<[string, number[]]> = [
      ['thanks @Ada Lovelace', [ada.id]],
      ['@GraceHopper can you look?', [grace.id]],
      ['ping @linus', [linus.id]],
      ['ping @alan', []],
      ['ping @Alan Turing', [alan.id]],
      [`cc @${adaLocal.toUpperCase()}`, [ada.id]],
      ['@ADA LOVELACE and @gracehopper', [ada.id, grace.id]],
      [`mail ${adaLocal}@example.test or someone@linus.dev`, []],
      ['@Zed Outsider is not one of us', []],
      ['no mention here', []],
    ];
    for (const [text, expected] of cases) {
      const created = await comment(team.member, task.id, text);
      expect([...created.mentions].sort((a, b) => a - b), text).toEqual([...expected].sort((a, b) => a - b));
    }

    // A deactivated member is no longer mentioned.
    const deactivated = await client.patch(`/api/users/${grace.id}`, { active: false }, { token: team.admin.token });
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);
    expect((await comment(team.member, task.id, '@GraceHopper @linus')).mentions).toEqual([linus.id]);

    // Editing recomputes the mentions.
    const edited = await comment(team.member, task.id, 'nobody yet');
    const patched = await client.patch(`/api/tasks/${task.id}/comments/${edited.id}`, { comment: 'now @ada' }, { token: team.member.token });
    expect(patched.status).toBe(200);
    expect(patched.body.mentions).toEqual([ada.id]);
  });
});
