import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ConflictError, createClient, PermissionError, ValidationError, type Recurrence, type Reminder, type ReminderList, type TaskbaseClient } from '../src/index.js';
import { adminClient, password, startTestServer, uniqueEmail } from './support/server.js';

/** Issue 19: recurring tasks (through tasks.create/update) and client.tasks.reminders against a real core-api. */
describe(`recurring tasks and reminders (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let admin: TaskbaseClient;
  let member: TaskbaseClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await adminClient(server.url)).client;
    const email = uniqueEmail('member');
    await admin.users.create({ name: 'Mel Member', email, role: 'member', password });
    member = createClient({ url: server.url });
    await member.auth.signIn({ email, password });
  });
  afterAll(() => server.close());

  it('types come from the OpenAPI document', () => {
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['tasks']['reminders']['create']>>>().toEqualTypeOf<Reminder>();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['tasks']['reminders']['list']>>>().toEqualTypeOf<ReminderList>();
    expectTypeOf<NonNullable<Awaited<ReturnType<TaskbaseClient['tasks']['get']>>['recurrence']>>().toEqualTypeOf<Recurrence>();
  });

  it('a recurring task: completing it creates the next occurrence; null stops the series', async () => {
    const task = await member.tasks.create({ title: 'Backups', dueDate: '2030-04-01T08:00:00.000Z', recurrence: { rule: 'FREQ=WEEKLY', mode: 'after_completion' } });
    expect(task.recurrence).toEqual({ rule: 'FREQ=WEEKLY', mode: 'after_completion', timezone: 'UTC', ended: false });
    await member.tasks.update(task.id, { status: 'done' });
    const next = (await member.tasks.list({ q: 'Backups', sort: 'dueDate' })).data.filter((t) => t.recurrenceOf === task.recurrenceOf);
    expect(next.map((t) => t.dueDate)).toEqual(['2030-04-01T08:00:00.000Z', '2030-04-08T08:00:00.000Z']);
    const refused = await member.tasks.update(task.id, { recurrence: { rule: 'FREQ=MINUTELY' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors.map((e) => e.path)).toContain('recurrence.rule');
    expect((await member.tasks.update(next[1]!.id, { recurrence: null })).recurrence).toBeNull();
  });

  it('tasks.reminders: create (at, beforeDue), list, delete; 403 for others, 409 past 10', async () => {
    const task = await member.tasks.create({ title: 'Renew', dueDate: '2030-05-01T09:00:00.000Z' });
    const before = await member.tasks.reminders.create(task.id, { beforeDue: 'P1D' });
    expect(before).toMatchObject({ beforeDue: 'P1D', fireAt: '2030-04-30T09:00:00.000Z', sentAt: null });
    const at = await member.tasks.reminders.create(task.identifier, { at: '2030-04-29T12:00:00.000Z' });
    expect((await member.tasks.reminders.list(task.id)).data.map((r) => r.id)).toEqual([before.id, at.id]);
    await expect(member.tasks.reminders.create(task.id, { beforeDue: 'PT1H', userId: 1 })).rejects.toBeInstanceOf(PermissionError);
    await member.tasks.reminders.delete(task.id, at.id);
    for (let i = 1; i < 10; i++) await member.tasks.reminders.create(task.id, { beforeDue: `PT${i}H` });
    await expect(member.tasks.reminders.create(task.id, { beforeDue: 'PT30M' })).rejects.toBeInstanceOf(ConflictError);
  });
});
