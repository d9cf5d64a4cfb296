import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { databaseMode, jobDatabase, type JobDatabase } from './support/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A due date in a window of its own (the job scans every workspace; other tests' reminders stay out of it). */
const farFuture = () => new Date(Date.UTC(2300 + Math.floor(Math.random() * 600), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 27), 9));
const iso = (date: Date, offsetMs = 0) => new Date(date.getTime() + offsetMs).toISOString();

/** Task reminders: at a time or before the due date, per user, sent once (also by two processes), carried to every occurrence. */
describe(`task reminders (${databaseMode()} database)`, () => {
  let jobs: JobDatabase;
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    jobs = await jobDatabase('reminders');
    server = await jobs.start();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Reminders');
  });
  afterAll(async () => {
    await server.close();
    await jobs.close();
  });

  const create = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', { title: 'Call the bank', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };
  const remind = async (who: Member, taskId: number, body: Record<string, unknown>, status = 201) => {
    const created = await client.post(`/api/tasks/${taskId}/reminders`, body, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(status);
    return created.body;
  };
  /** The reminder notifications `who` got for a task, by their message. */
  const reminded = async (who: Member, taskId: number) => {
    const page = await client.get('/api/notifications?limit=100', { token: who.token });
    return page.body.data.filter((note: any) => note.type === 'task.reminder' && note.taskId === taskId);
  };

  it('sends an `at` reminder once at its time, to its user only', async () => {
    const due = farFuture();
    const task = await create(team.member, { dueDate: iso(due), assignedTo: team.member.id });
    const reminder = await remind(team.member, task.id, { at: iso(due, -2 * HOUR) });
    expect(reminder).toMatchObject({ taskId: task.id, userId: team.member.id, at: iso(due, -2 * HOUR), beforeDue: null, fireAt: iso(due, -2 * HOUR), sentAt: null, createdBy: team.member.id });
    await server.services.reminderJob.run(new Date(due.getTime() - 2 * HOUR - 1));
    expect(await reminded(team.member, task.id)).toHaveLength(0);
    await server.services.reminderJob.run(new Date(due.getTime() - 2 * HOUR));
    await server.services.reminderJob.run(new Date(due.getTime() - HOUR));
    const notes = await reminded(team.member, task.id);
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toContain('Call the bank');
    expect(await reminded(team.other, task.id)).toHaveLength(0);
    const list = await client.get(`/api/tasks/${task.id}/reminders`, { token: team.member.token });
    expect(list.body.data[0].sentAt).toBe(iso(due, -2 * HOUR));
  });

  it('moves a beforeDue reminder with the due date, and sends it again for the new time', async () => {
    const due = farFuture();
    const task = await create(team.member, { dueDate: iso(due) });
    const reminder = await remind(team.member, task.id, { beforeDue: 'PT30M' });
    expect(reminder.fireAt).toBe(iso(due, -30 * 60_000));
    await server.services.reminderJob.run(new Date(due.getTime() - 30 * 60_000));
    expect(await reminded(team.member, task.id)).toHaveLength(1);

    const later = new Date(due.getTime() + DAY);
    await client.patch(`/api/tasks/${task.id}`, { dueDate: iso(later) }, { token: team.member.token });
    const [moved] = (await client.get(`/api/tasks/${task.id}/reminders`, { token: team.member.token })).body.data;
    expect(moved).toMatchObject({ id: reminder.id, fireAt: iso(later, -30 * 60_000), sentAt: null });
    await server.services.reminderJob.run(new Date(later.getTime() - 30 * 60_000));
    expect(await reminded(team.member, task.id)).toHaveLength(2);

    // Without a due date it waits; a closed task is not reminded of.
    await client.patch(`/api/tasks/${task.id}`, { dueDate: null }, { token: team.member.token });
    expect((await client.get(`/api/tasks/${task.id}/reminders`, { token: team.member.token })).body.data[0].fireAt).toBeNull();
    const third = new Date(later.getTime() + DAY);
    await client.patch(`/api/tasks/${task.id}`, { dueDate: iso(third), status: 'done' }, { token: team.member.token });
    await server.services.reminderJob.run(third);
    expect(await reminded(team.member, task.id)).toHaveLength(2);
  });

  it('carries reminders to every occurrence of a recurring task', async () => {
    const { knex } = jobs;
    await knex('users').where({ id: team.manager.id }).update({ timezone: 'Europe/Berlin' });
    const due = farFuture();
    const first = await create(team.manager, { dueDate: iso(due), recurrence: { rule: 'FREQ=WEEKLY', mode: 'schedule' } });
    await remind(team.manager, first.id, { beforeDue: 'P1D' });
    await remind(team.manager, first.id, { at: iso(due, -3 * HOUR) });
    await remind(team.manager, first.id, { beforeDue: 'PT1H', userId: team.member.id });

    const taskIds = [first.id];
    for (let week = 1; week <= 2; week++) {
      await server.services.recurrenceJob.run(new Date(due.getTime() + (week - 1) * 7 * DAY + 1000));
      const rows = await knex('tasks').where({ recurrenceOf: first.recurrenceOf }).orderBy('occurrenceAt').select('id', 'dueDate');
      expect(rows).toHaveLength(week + 1);
      taskIds.push(Number(rows[week].id));
    }
    for (const [index, taskId] of taskIds.entries()) {
      const task = (await client.get(`/api/tasks/${taskId}`, { token: team.manager.token })).body;
      const reminders = (await client.get(`/api/tasks/${taskId}/reminders`, { token: team.manager.token })).body.data;
      const dueMs = new Date(task.dueDate).getTime();
      expect(reminders.map((r: any) => [r.userId, r.beforeDue, r.fireAt]), `occurrence ${index}`).toEqual([
        [team.manager.id, 'P1D', iso(new Date(dueMs), -DAY)],
        [team.manager.id, null, iso(new Date(dueMs), -3 * HOUR)],
        [team.member.id, 'PT1H', iso(new Date(dueMs), -HOUR)],
      ]);
    }
    // Each occurrence's reminders go out at their own times.
    const lastDue = new Date((await client.get(`/api/tasks/${taskIds[2]}`, { token: team.manager.token })).body.dueDate);
    await server.services.reminderJob.run(new Date(lastDue.getTime() - HOUR));
    expect(await reminded(team.member, taskIds[2]!)).toHaveLength(1);
    expect(await reminded(team.manager, taskIds[2]!)).toHaveLength(2);
  });

  it('lets managers remind others, not members; lists and deletes by the same rules; limits reminders per user', async () => {
    const due = farFuture();
    const task = await create(team.admin, { dueDate: iso(due) });
    const forbidden = await client.post(`/api/tasks/${task.id}/reminders`, { beforeDue: 'PT1H', userId: team.other.id }, { token: team.member.token });
    expect(forbidden.status).toBe(403);
    const byManager = await remind(team.manager, task.id, { beforeDue: 'PT1H', userId: team.other.id });
    const own = await remind(team.member, task.id, { beforeDue: 'PT2H' });
    const memberList = await client.get(`/api/tasks/${task.id}/reminders`, { token: team.member.token });
    expect(memberList.body.data.map((r: any) => r.id)).toEqual([own.id]);
    const managerList = await client.get(`/api/tasks/${task.id}/reminders`, { token: team.manager.token });
    expect(managerList.body.data.map((r: any) => r.id)).toEqual([byManager.id, own.id]);
    expect((await client.delete(`/api/tasks/${task.id}/reminders/${byManager.id}`, { token: team.member.token })).status).toBe(404);
    expect((await client.delete(`/api/tasks/${task.id}/reminders/${byManager.id}`, { token: team.other.token })).status).toBe(204);
    expect((await client.delete(`/api/tasks/${task.id}/reminders/${byManager.id}`, { token: team.other.token })).status).toBe(404);

    for (let i = 1; i < 10; i++) await remind(team.member, task.id, { beforeDue: `PT${i}M` });
    const tooMany = await client.post(`/api/tasks/${task.id}/reminders`, { beforeDue: 'PT59M' }, { token: team.member.token });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe('too_many_reminders');

    const { knex } = jobs;
    const events = await knex('events').where({ taskId: task.id }).whereIn('type', ['reminder.created', 'reminder.deleted']).orderBy('id').select('type', 'userId');
    expect(events[0]).toEqual({ type: 'reminder.created', userId: team.other.id });
    expect(events.at(-1)).toEqual({ type: 'reminder.created', userId: team.member.id });
    expect(events.filter((e: any) => e.type === 'reminder.deleted')).toEqual([{ type: 'reminder.deleted', userId: team.other.id }]);
  });

  it('answers 422 naming the field for bad input', async () => {
    const task = await create(team.member, { dueDate: iso(farFuture()) });
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{}, 'at', 422],
      [{ at: iso(farFuture()), beforeDue: 'PT1H' }, 'at', 422],
      [{ at: '2001-01-01T00:00:00Z' }, 'at', 422],
      [{ beforeDue: 'P400D' }, 'beforeDue', 422],
      [{ beforeDue: 'P1M' }, 'beforeDue', 400],
      [{ beforeDue: 'soon' }, 'beforeDue', 400],
      [{ beforeDue: 'PT1H', userId: 999_999_999 }, 'userId', 403],
    ];
    for (const [body, path, status] of cases) {
      const refused = await client.post(`/api/tasks/${task.id}/reminders`, body, { token: status === 403 ? team.member.token : team.member.token });
      expect(refused.status, JSON.stringify(body)).toBe(status);
      if (status !== 403) expect(refused.body.errors[0].path, JSON.stringify(body)).toContain(path);
    }
    const unknownUser = await client.post(`/api/tasks/${task.id}/reminders`, { beforeDue: 'PT1H', userId: 999_999_999 }, { token: team.admin.token });
    expect(unknownUser.status).toBe(422);
    expect(unknownUser.body.errors[0].path).toBe('userId');
  });

  it('sends each reminder once with two job runners at the same moment (separate pools on PostgreSQL)', async () => {
    const second = await jobs.startSeparate();
    try {
      const due = farFuture();
      const ids: number[] = [];
      for (let i = 0; i < 15; i++) {
        const task = await create(team.other, { title: `Pay ${i}`, dueDate: iso(due, i * 1000) });
        await remind(team.other, task.id, { beforeDue: 'PT10M' });
        ids.push(task.id);
      }
      const now = new Date(due.getTime() + DAY / 2);
      const runs = await Promise.all([server.services.reminderJob.run(now), second.services.reminderJob.run(now), server.services.reminderJob.run(now), second.services.reminderJob.run(now)]);
      expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15);
      const { knex } = jobs;
      const rows = await knex('notifications').whereIn('taskId', ids).where({ type: 'task.reminder' }).groupBy('taskId').select('taskId', knex.raw('count(*)::int as n'));
      expect(rows).toHaveLength(15);
      for (const row of rows) expect(Number(row.n)).toBe(1);
    } finally {
      await second.close();
    }
  });
});
