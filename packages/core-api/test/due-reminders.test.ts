import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { databaseMode, jobDatabase, type JobDatabase } from './support/server.js';

const HOUR = 3_600_000;
const REMINDERS = ['task.due_soon', 'task.overdue'];
// No scheduled runs: every run in these tests is one the test makes.
const NO_SCHEDULE = { DUE_REMINDERS_INTERVAL: '0' };

/**
 * A `now` far in the future and different for every test: run(now) scans
 * every workspace, so a window of its own keeps other tests' tasks (and
 * earlier runs' on a persistent database) out of it.
 */
const farFuture = () => new Date(Date.UTC(2200 + Math.floor(Math.random() * 700), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 27), 12));
const iso = (date: Date, offsetMs = 0) => new Date(date.getTime() + offsetMs).toISOString();

describe(`due reminders (${databaseMode()} database)`, () => {
  let jobs: JobDatabase;
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    jobs = await jobDatabase('due_reminders');
    server = await jobs.start(NO_SCHEDULE);
    client = new TestClient(server.url);
  });
  afterAll(async () => {
    await server.close();
    await jobs.close();
  });

  const createTask = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', { title: 'Deadline', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; title: string };
  };

  const patchTask = async (who: Member, id: number, body: Record<string, unknown>) => {
    const patched = await client.patch(`/api/tasks/${id}`, body, { token: who.token });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  };

  const inbox = async (who: Member) => {
    const notes: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await client.get(`/api/notifications?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: who.token });
      expect(page.status).toBe(200);
      notes.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return notes.reverse();
  };

  /** The team's due reminders as `who type taskId`, oldest first per person. */
  const reminders = async (team: Team) => {
    const lines: string[] = [];
    for (const key of ['admin', 'manager', 'member', 'other'] as const) {
      for (const note of await inbox(team[key])) {
        if (REMINDERS.includes(note.type)) lines.push(`${key} ${note.type} ${note.taskId}`);
      }
    }
    return lines;
  };

  /** How many reminders each of the team's tasks got, straight from the table. */
  const remindersPerTask = async (team: Team) => {
    const { knex } = jobs;
    const rows = await knex('notifications')
      .where({ workspaceId: team.workspaceId })
      .whereIn('type', REMINDERS)
      .groupBy('taskId', 'type')
      .select('taskId', 'type', knex.raw('count(*)::int as n'));
    return new Map(rows.map((row: any) => [`${row.taskId} ${row.type}`, Number(row.n)]));
  };

  /** Many tasks, half due soon and half overdue, through the bulk endpoint. */
  const manyTasks = async (team: Team, now: Date, count: number): Promise<number[]> => {
    const items = Array.from({ length: count }, (_, i) => ({
      title: `Bulk ${i}`,
      assignedTo: [team.member.id, team.other.id, null][i % 3],
      dueDate: iso(now, (i % 2 ? -1 : 1) * (i + 1) * 60_000),
    }));
    const bulk = await client.post('/api/tasks/bulk', { items }, { token: team.manager.token });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.summary.created).toBe(count);
    return bulk.body.results.map((result: any) => result.task.id as number);
  };

  const expectOncePerTask = async (team: Team, ids: number[], now: Date) => {
    const counts = await remindersPerTask(team);
    expect(counts.size).toBe(ids.length);
    ids.forEach((id, i) => expect(counts.get(`${id} ${i % 2 ? 'task.overdue' : 'task.due_soon'}`), `task ${i}`).toBe(1));
    // And each written with its event for the recipient's bell.
    const { knex } = jobs;
    const row = await knex('events')
      .where({ workspaceId: team.workspaceId, type: 'notification.created' })
      .whereIn('taskId', ids)
      .whereRaw("payload->'notification'->>'type' in ('task.due_soon', 'task.overdue')")
      .count({ n: '*' })
      .first();
    expect(Number(row?.n), now.toISOString()).toBe(ids.length);
  };

  it('reminds the assignee (or else the creator) of tasks due soon and overdue, once', async () => {
    const team = await createTeam(client, 'Due');
    const now = farFuture();
    const soon = await createTask(team.manager, { title: 'Soon', assignedTo: team.member.id, dueDate: iso(now, 2 * HOUR) });
    const late = await createTask(team.other, { title: 'Late', dueDate: iso(now, -2 * HOUR) });
    const later = await createTask(team.manager, { title: 'Later', assignedTo: team.member.id, dueDate: iso(now, 48 * HOUR) });
    await createTask(team.manager, { title: 'Finished', assignedTo: team.member.id, status: 'done', dueDate: iso(now, -HOUR) });
    await createTask(team.manager, { title: 'Ancient', assignedTo: team.member.id, dueDate: iso(now, -8 * 24 * HOUR) });
    await createTask(team.manager, { title: 'Whenever', assignedTo: team.member.id });
    const unreadBefore = (await client.get('/api/notifications/unread-count', { token: team.member.token })).body.unread;

    await server.services.dueReminders.run(now);
    expect(await reminders(team)).toEqual([`member task.due_soon ${soon.id}`, `other task.overdue ${late.id}`]);
    const [dueSoon] = (await inbox(team.member)).filter((note) => REMINDERS.includes(note.type));
    expect(dueSoon).toMatchObject({ userId: team.member.id, taskId: soon.id, actorId: null, type: 'task.due_soon', read: false, message: '"Soon" is due soon' });
    const [overdue] = (await inbox(team.other)).filter((note) => REMINDERS.includes(note.type));
    expect(overdue).toMatchObject({ userId: team.other.id, taskId: late.id, actorId: null, message: '"Late" is overdue' });
    expect((await client.get('/api/notifications/unread-count', { token: team.member.token })).body.unread).toBe(unreadBefore + 1);

    // Run again, at the same moment and a little later: nothing new.
    await server.services.dueReminders.run(now);
    await server.services.dueReminders.run(new Date(now.getTime() + 60_000));
    expect(await reminders(team)).toEqual([`member task.due_soon ${soon.id}`, `other task.overdue ${late.id}`]);

    // Three hours on, the task that was due soon is overdue: one more reminder, once.
    await server.services.dueReminders.run(new Date(now.getTime() + 3 * HOUR));
    await server.services.dueReminders.run(new Date(now.getTime() + 3 * HOUR));
    expect(await reminders(team)).toEqual([`member task.due_soon ${soon.id}`, `member task.overdue ${soon.id}`, `other task.overdue ${late.id}`]);

    // A day later the far task is due soon.
    await server.services.dueReminders.run(new Date(now.getTime() + 30 * HOUR));
    expect(await reminders(team)).toContain(`member task.due_soon ${later.id}`);
    // Reminders are private: they are not part of the task's activity.
    const activity = await client.get(`/api/tasks/${soon.id}/activity`, { token: team.member.token });
    expect(activity.body.data.map((event: any) => event.type)).toEqual(['task.created']);
  });

  it('notifies once when two runs overlap in one process', async () => {
    const team = await createTeam(client, 'Overlap');
    const now = farFuture();
    const ids = await manyTasks(team, now, 24);
    await Promise.all([server.services.dueReminders.run(now), server.services.dueReminders.run(now), server.services.dueReminders.run(now)]);
    await expectOncePerTask(team, ids, now);
    await server.services.dueReminders.run(now);
    await expectOncePerTask(team, ids, now);
  });

  it('notifies once when two API processes run the job at the same moment', async () => {
    // On PostgreSQL the second server has its own connection pool, as a
    // second process would; the embedded database has only the one.
    const second = await jobs.startSeparate(NO_SCHEDULE);
    try {
      expect(second.database === server.database).toBe(databaseMode() !== 'postgres');
      const team = await createTeam(client, 'Processes');
      const now = farFuture();
      const ids = await manyTasks(team, now, 30);
      await Promise.all([
        server.services.dueReminders.run(now),
        second.services.dueReminders.run(now),
        server.services.dueReminders.run(now),
        second.services.dueReminders.run(now),
      ]);
      await expectOncePerTask(team, ids, now);
      // Seen through the other server's API too.
      const viaSecond = await new TestClient(second.url).get('/api/notifications?limit=100', { token: team.member.token });
      expect(viaSecond.body.data.filter((note: any) => REMINDERS.includes(note.type))).toHaveLength(ids.filter((_, i) => i % 3 === 0).length);
    } finally {
      await second.close();
    }
  });

  it('reminds again for a new deadline, and never for a done task', async () => {
    const team = await createTeam(client, 'Moving');
    const now = farFuture();
    const task = await createTask(team.member, { title: 'Moving target', assignedTo: team.other.id, dueDate: iso(now, 2 * HOUR) });
    const finished = await createTask(team.member, { title: 'Finished early', assignedTo: team.other.id, dueDate: iso(now, 3 * HOUR) });
    await patchTask(team.other, finished.id, { status: 'done' });

    await server.services.dueReminders.run(now);
    expect(await reminders(team)).toEqual([`other task.due_soon ${task.id}`]);

    // A new deadline makes a new reminder due, once.
    await patchTask(team.member, task.id, { dueDate: iso(now, 5 * HOUR) });
    await server.services.dueReminders.run(now);
    await server.services.dueReminders.run(now);
    expect(await reminders(team)).toEqual([`other task.due_soon ${task.id}`, `other task.due_soon ${task.id}`]);

    // Done before the deadline passes: no overdue reminder.
    await patchTask(team.other, task.id, { status: 'done' });
    await server.services.dueReminders.run(new Date(now.getTime() + 6 * HOUR));
    expect(await reminders(team)).toEqual([`other task.due_soon ${task.id}`, `other task.due_soon ${task.id}`]);

    // Reopened, it is overdue.
    await patchTask(team.other, task.id, { status: 'in_progress' });
    await server.services.dueReminders.run(new Date(now.getTime() + 6 * HOUR));
    await server.services.dueReminders.run(new Date(now.getTime() + 7 * HOUR));
    expect(await reminders(team)).toEqual([`other task.due_soon ${task.id}`, `other task.due_soon ${task.id}`, `other task.overdue ${task.id}`]);

    // Removing the deadline stops the reminders.
    const cleared = await createTask(team.member, { title: 'No rush', assignedTo: team.other.id, dueDate: iso(now, 10 * HOUR) });
    await patchTask(team.member, cleared.id, { dueDate: null });
    await server.services.dueReminders.run(new Date(now.getTime() + 9 * HOUR));
    expect((await reminders(team)).filter((line) => line.endsWith(` ${cleared.id}`))).toEqual([]);
    expect((await reminders(team)).filter((line) => line.endsWith(` ${finished.id}`))).toEqual([]);
  });
});
