import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { errorCode, gql } from './support/graphql.js';
import { databaseMode, jobDatabase, type JobDatabase } from './support/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Recurring tasks: rules in the creator's time zone across DST changes,
 * both modes, exactly-once creation with several processes, editing and
 * stopping a series. The jobs run only when a test runs them, with its clock.
 */
describe(`recurring tasks (${databaseMode()} database)`, () => {
  let jobs: JobDatabase;
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    jobs = await jobDatabase('recurrence');
    server = await jobs.start();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Recurring');
  });
  afterAll(async () => {
    await server.close();
    await jobs.close();
  });

  const setTimezone = async (who: Member, timezone: string) => {
    const { knex } = jobs;
    await knex('users').where({ id: who.id }).update({ timezone });
  };
  const create = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', { title: 'Water the plants', ...body }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };
  const patch = async (who: Member, id: number, body: Record<string, unknown>, status = 200) => {
    const patched = await client.patch(`/api/tasks/${id}`, body, { token: who.token });
    expect(patched.status, JSON.stringify(patched.body)).toBe(status);
    return patched.body;
  };
  /** The series' occurrences, oldest first. */
  const occurrences = async (seriesId: number) => {
    const { knex } = jobs;
    const rows = await knex('tasks').where({ recurrenceOf: seriesId }).orderBy('occurrenceAt').select('id');
    return Promise.all(rows.map(async (row: { id: number }) => (await client.get(`/api/tasks/${row.id}`, { token: team.admin.token })).body));
  };
  const dues = async (seriesId: number) => (await occurrences(seriesId)).map((task: any) => task.dueDate);

  it('after_completion: completing the latest occurrence creates exactly the next one, 09:00 in Berlin across the change to summer time', async () => {
    await setTimezone(team.member, 'Europe/Berlin');
    const label = await client.post('/api/labels', { name: `Home ${Date.now()}` }, { token: team.admin.token });
    // 2027-03-26 09:00 CET; Berlin moves to CEST on 2027-03-28.
    const first = await create(team.member, {
      dueDate: '2027-03-26T08:00:00.000Z',
      assignedTo: team.other.id,
      priority: 'high',
      labelIds: [label.body.id],
      recurrence: { rule: 'RRULE:FREQ=DAILY', mode: 'after_completion' },
    });
    expect(first.recurrence).toEqual({ rule: 'FREQ=DAILY', mode: 'after_completion', timezone: 'Europe/Berlin', ended: false });
    const seriesId = first.recurrenceOf;
    expect(seriesId).toEqual(expect.any(Number));
    await client.post(`/api/tasks/${first.id}/watchers`, { userId: team.manager.id }, { token: team.admin.token });

    await patch(team.member, first.id, { status: 'done' });
    let all = await occurrences(seriesId);
    expect(all.map((task: any) => task.dueDate)).toEqual(['2027-03-26T08:00:00.000Z', '2027-03-27T08:00:00.000Z']);
    const second = all[1];
    expect(second).toMatchObject({ title: 'Water the plants', assignedTo: team.other.id, priority: 'high', status: 'todo', recurrenceOf: seriesId, createdBy: team.member.id });
    expect(second.labels.map((l: any) => l.id)).toEqual([label.body.id]);
    const watchers = await client.get(`/api/tasks/${second.id}/watchers`, { token: team.admin.token });
    expect(watchers.body.data.map((w: any) => w.userId).sort()).toEqual([team.manager.id, team.member.id, team.other.id].sort());

    // Reopening and completing it again, or completing an older one, creates nothing more.
    await patch(team.member, first.id, { status: 'todo' });
    await patch(team.member, first.id, { status: 'done' });
    expect(await dues(seriesId)).toHaveLength(2);

    await patch(team.other, second.id, { status: 'done' });
    all = await occurrences(seriesId);
    // 09:00 CEST is 07:00 UTC: the wall clock is kept.
    expect(all.map((task: any) => task.dueDate)).toEqual(['2027-03-26T08:00:00.000Z', '2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z']);
    // The occurrence was created through the ordinary path: a task.created event.
    const { knex } = jobs;
    const events = await knex('events').where({ taskId: all[2].id, type: 'task.created' }).count({ n: '*' });
    expect(Number(events[0]!.n)).toBe(1);
  });

  it('after_completion in New York across the return to standard time, with a rule of weekdays', async () => {
    await setTimezone(team.manager, 'America/New_York');
    // Friday 2027-11-05 17:30 EDT (21:30 UTC); New York returns to EST on Sunday 2027-11-07.
    const first = await create(team.manager, { dueDate: '2027-11-05T21:30:00.000Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', mode: 'after_completion' } });
    await patch(team.manager, first.id, { status: 'done' });
    // Monday 17:30 EST is 22:30 UTC.
    expect(await dues(first.recurrenceOf)).toEqual(['2027-11-05T21:30:00.000Z', '2027-11-08T22:30:00.000Z']);
  });

  it('schedule: the job creates the next occurrence when the latest one’s time comes (injected clock), in New York across the change to summer time', async () => {
    await setTimezone(team.admin, 'America/New_York');
    // Sunday 2027-03-07 08:00 EST (13:00 UTC); summer time from 2027-03-14.
    const first = await create(team.admin, { dueDate: '2027-03-07T13:00:00.000Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU', mode: 'schedule' } });
    const seriesId = first.recurrenceOf;
    await server.services.recurrenceJob.run(new Date('2027-03-07T12:59:59.000Z'));
    expect(await dues(seriesId)).toEqual(['2027-03-07T13:00:00.000Z']);
    await server.services.recurrenceJob.run(new Date('2027-03-07T13:00:00.000Z'));
    await server.services.recurrenceJob.run(new Date('2027-03-07T13:00:30.000Z'));
    // Created whether or not the first is done (it is not): 08:00 EDT is 12:00 UTC.
    expect(await dues(seriesId)).toEqual(['2027-03-07T13:00:00.000Z', '2027-03-14T12:00:00.000Z']);
    await server.services.recurrenceJob.run(new Date('2027-03-14T12:00:00.000Z'));
    expect(await dues(seriesId)).toEqual(['2027-03-07T13:00:00.000Z', '2027-03-14T12:00:00.000Z', '2027-03-21T12:00:00.000Z']);
  });

  it('schedule in Berlin across the return to winter time; COUNT ends the series', async () => {
    await setTimezone(team.other, 'Europe/Berlin');
    // Saturday 2027-10-30 10:00 CEST (08:00 UTC); winter time from 2027-10-31.
    const first = await create(team.other, { dueDate: '2027-10-30T08:00:00.000Z', recurrence: { rule: 'FREQ=DAILY;COUNT=3', mode: 'schedule' } });
    const seriesId = first.recurrenceOf;
    await server.services.recurrenceJob.run(new Date('2027-10-30T08:00:00.000Z'));
    await server.services.recurrenceJob.run(new Date('2027-10-31T09:00:00.000Z'));
    await server.services.recurrenceJob.run(new Date('2027-11-01T09:00:00.000Z'));
    expect(await dues(seriesId)).toEqual(['2027-10-30T08:00:00.000Z', '2027-10-31T09:00:00.000Z', '2027-11-01T09:00:00.000Z']);
    const last = (await occurrences(seriesId))[2];
    expect(last.recurrence).toMatchObject({ rule: 'FREQ=DAILY;COUNT=3', ended: true });
  });

  it('editing the rule applies to future occurrences; null stops the series in one call', async () => {
    await setTimezone(team.member, 'UTC');
    const first = await create(team.member, { dueDate: '2028-01-03T09:00:00.000Z', recurrence: { rule: 'FREQ=DAILY' } });
    expect(first.recurrence.mode).toBe('after_completion');
    await patch(team.member, first.id, { status: 'done' });
    const [, second] = await occurrences(first.recurrenceOf);
    expect(second.dueDate).toBe('2028-01-04T09:00:00.000Z');
    const edited = await patch(team.member, second.id, { recurrence: { rule: 'FREQ=WEEKLY;BYDAY=FR' } });
    expect(edited.recurrence).toMatchObject({ rule: 'FREQ=WEEKLY;BYDAY=FR', mode: 'after_completion' });
    // The first occurrence keeps its date; it shows the series' rule as it is now.
    expect((await client.get(`/api/tasks/${first.id}`, { token: team.member.token })).body.recurrence.rule).toBe('FREQ=WEEKLY;BYDAY=FR');
    await patch(team.member, second.id, { status: 'done' });
    expect(await dues(first.recurrenceOf)).toEqual(['2028-01-03T09:00:00.000Z', '2028-01-04T09:00:00.000Z', '2028-01-07T09:00:00.000Z']);

    const third = (await occurrences(first.recurrenceOf))[2];
    const stopped = await patch(team.member, third.id, { recurrence: null });
    expect(stopped.recurrence).toBeNull();
    expect(stopped.recurrenceOf).toBe(first.recurrenceOf);
    await patch(team.member, third.id, { status: 'done' });
    expect(await dues(first.recurrenceOf)).toHaveLength(3);
    const { knex } = jobs;
    const event = await knex('events').where({ taskId: third.id, type: 'task.recurrence_stopped' }).first('payload');
    expect(event.payload).toMatchObject({ seriesId: first.recurrenceOf, reason: 'stopped' });
    const updated = await knex('events').where({ taskId: third.id, type: 'task.updated' }).orderBy('id').first('payload');
    expect(updated.payload.changes.recurrence).toMatchObject({ to: null });
  });

  it('answers 422 naming recurrence.rule for a bad rule, one too frequent, or one with DTSTART', async () => {
    for (const rule of ['FREQ=SOMETIMES', 'FREQ=MINUTELY', 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0,15', 'DTSTART:20270101T000000Z\nRRULE:FREQ=DAILY', 'FREQ=DAILY;COUNT=0', 'BYDAY=MO', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30']) {
      const refused = await client.post('/api/tasks', { title: 'Bad', recurrence: { rule } }, { token: team.member.token });
      expect(refused.status, rule).toBe(422);
      expect(refused.body.errors[0].path, rule).toBe('recurrence.rule');
    }
    const task = await create(team.member, {});
    const refused = await client.patch(`/api/tasks/${task.id}`, { recurrence: { rule: 'FREQ=SECONDLY' } }, { token: team.member.token });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toBe('recurrence.rule');
    const badMode = await client.post('/api/tasks', { title: 'Bad', recurrence: { rule: 'FREQ=DAILY', mode: 'sometimes' } }, { token: team.member.token });
    expect(badMode.status).toBe(400);
  });

  it('GraphQL: createTask with recurrence, Task.recurrence/recurrenceOf/reminders, reminder mutations, updateTask stops the series', async () => {
    await setTimezone(team.member, 'Europe/Berlin');
    const created = await gql(client, team.member.token, `mutation { createTask(input: { title: "Standup", dueDate: "2029-06-04T07:00:00Z", recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO", mode: SCHEDULE } }) { id recurrence { rule mode timezone ended } recurrenceOf } }`);
    expect(created.errors).toBeUndefined();
    const task = created.data.createTask;
    expect(task.recurrence).toEqual({ rule: 'FREQ=WEEKLY;BYDAY=MO', mode: 'SCHEDULE', timezone: 'Europe/Berlin', ended: false });
    const reminder = await gql(client, team.member.token, `mutation ($id: ID!) { createTaskReminder(taskId: $id, input: { beforeDue: "PT1H" }) { id beforeDue fireAt } }`, { id: task.id });
    expect(reminder.data.createTaskReminder).toMatchObject({ beforeDue: 'PT1H', fireAt: '2029-06-04T06:00:00.000Z' });
    const bad = await gql(client, team.member.token, `mutation ($id: ID!) { createTaskReminder(taskId: $id, input: { beforeDue: "P1M" }) { id } }`, { id: task.id });
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');
    const read = await gql(client, team.member.token, `query ($id: ID!) { task(id: $id) { reminders { id userId } } }`, { id: task.id });
    expect(read.data.task.reminders).toEqual([{ id: reminder.data.createTaskReminder.id, userId: String(team.member.id) }]);
    const badRule = await gql(client, team.member.token, `mutation ($id: ID!) { updateTask(id: $id, input: { recurrence: { rule: "FREQ=SECONDLY" } }) { id } }`, { id: task.id });
    expect(errorCode(badRule)).toBe('VALIDATION_FAILED');
    const stopped = await gql(client, team.member.token, `mutation ($id: ID!) { updateTask(id: $id, input: { recurrence: null }) { recurrence { rule } recurrenceOf } }`, { id: task.id });
    expect(stopped.data.updateTask).toEqual({ recurrence: null, recurrenceOf: task.recurrenceOf });
    const deleted = await gql(client, team.member.token, `mutation ($id: ID!, $r: ID!) { deleteTaskReminder(taskId: $id, id: $r) }`, { id: task.id, r: reminder.data.createTaskReminder.id });
    expect(deleted.errors).toBeUndefined();
  });

  it('creates each scheduled occurrence once with two job runners at the same moment (separate pools on PostgreSQL), and once for two concurrent completions', async () => {
    const second = await jobs.startSeparate();
    try {
      await setTimezone(team.admin, 'UTC');
      const start = new Date(Date.UTC(2400 + Math.floor(Math.random() * 500), 5, 1, 9));
      const series: number[] = [];
      for (let i = 0; i < 12; i++) {
        const task = await create(team.admin, { title: `Standup ${i}`, dueDate: start.toISOString(), recurrence: { rule: 'FREQ=DAILY', mode: 'schedule' } });
        series.push(task.recurrenceOf);
      }
      const runs = await Promise.all([
        server.services.recurrenceJob.run(start),
        second.services.recurrenceJob.run(start),
        server.services.recurrenceJob.run(start),
        second.services.recurrenceJob.run(start),
      ]);
      expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
      for (const id of series) expect(await dues(id)).toEqual([start.toISOString(), new Date(start.getTime() + DAY).toISOString()]);

      const task = await create(team.admin, { dueDate: start.toISOString(), recurrence: { rule: 'FREQ=DAILY' } });
      const completions = await Promise.all([
        client.patch(`/api/tasks/${task.id}`, { status: 'done' }, { token: team.admin.token }),
        new TestClient(second.url).patch(`/api/tasks/${task.id}`, { status: 'done' }, { token: team.admin.token }),
      ]);
      expect(completions.map((c) => c.status)).toEqual([200, 200]);
      expect(await dues(task.recurrenceOf)).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
