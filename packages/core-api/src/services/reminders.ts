import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { conflict, fieldError, forbidden, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { REMINDER_COLUMNS, TaskReminder, type ReminderRow } from '../models/Recurrence.js';
import type { TaskRow } from '../models/Task.js';
import { MAX_REMINDERS_PER_USER, type ReminderCreateInput, type ReminderDto } from '../schemas/reminders.js';
import { notify } from './notify.js';
import { every } from './periodic.js';
import { checkAssignee } from './taskSlots.js';
import type { TaskService } from './tasks.js';

const MAX_BEFORE_DUE_MS = 366 * 86_400_000;
/** A reminder whose time is this long gone when the job sees it is dropped, not sent (the job was down, or the due date moved into the past). */
const STALE_MS = 24 * 3_600_000;

/** An ISO 8601 duration (weeks, days, hours, minutes, seconds) in milliseconds; undefined when not one of those. */
export function durationMs(text: string): number | undefined {
  const match = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match) return undefined;
  const [w, d, h, m, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  return ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000;
}

export function toReminderDto(row: ReminderRow): ReminderDto {
  return {
    id: row.id,
    taskId: row.taskId,
    userId: row.userId,
    at: row.at?.toISOString() ?? null,
    beforeDue: row.beforeDue,
    fireAt: row.fireAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A `beforeDue` reminder's time follows its task's due date: called when the due date changes. */
export async function moveReminders(trx: Knex.Transaction, task: Pick<TaskRow, 'id' | 'dueDate'>): Promise<void> {
  const due = task.dueDate;
  await TaskReminder.rows(trx)
    .where('taskId', task.id)
    .whereNotNull('beforeDueMs')
    // A new time is a new reminder: it goes out again (its dedupe key names the time).
    .update({ fireAt: due ? trx.raw('?::timestamptz - (before_due_ms * interval \'1 millisecond\')', [due]) : null, sentAt: null });
}

/**
 * Carries the reminders of a series' occurrence to the next one: a
 * `beforeDue` as it is; an `at` as the same time before the due date
 * (when both have one).
 */
export async function copyReminders(trx: Knex.Transaction, from: TaskRow, to: TaskRow): Promise<void> {
  const rows = (await TaskReminder.rows(trx).where('taskId', from.id).orderBy('id').select(REMINDER_COLUMNS)) as ReminderRow[];
  for (const row of rows) {
    let at: Date | null = null;
    if (row.at) {
      if (!from.dueDate || !to.dueDate) continue;
      at = new Date(to.dueDate.getTime() - (from.dueDate.getTime() - row.at.getTime()));
    }
    const fireAt = at ?? (to.dueDate && row.beforeDueMs !== null ? new Date(to.dueDate.getTime() - row.beforeDueMs) : null);
    const [created] = (await TaskReminder.rows(trx)
      .insert({ workspaceId: to.workspaceId, taskId: to.id, userId: row.userId, createdBy: row.createdBy, at, beforeDue: row.beforeDue, beforeDueMs: row.beforeDueMs, fireAt })
      .returning(REMINDER_COLUMNS)) as ReminderRow[];
    await reminderEvent(trx, to, created!, 'reminder.created', null);
  }
}

function reminderEvent(trx: Knex.Transaction, task: Pick<TaskRow, 'id' | 'workspaceId' | 'projectId'>, row: ReminderRow, type: 'reminder.created' | 'reminder.deleted', actorId: number | null) {
  // Private: only the reminded user sees it (and their other tabs update live).
  return appendEvent(trx, { workspaceId: task.workspaceId, actorId, taskId: task.id, projectId: task.projectId, userId: row.userId, type, payload: { reminder: toReminderDto(row) } });
}

/** GET/POST/DELETE /api/tasks/{id}/reminders. */
export class ReminderService {
  constructor(
    private readonly knex: Knex,
    private readonly tasks: TaskService,
  ) {}

  /** Your reminders on a task; managers and admins see everyone's. */
  async list(caller: Caller, taskRef: number | string): Promise<{ data: ReminderDto[] }> {
    const task = await this.tasks.get(caller, taskRef);
    const query = TaskReminder.rows(this.knex).where('taskId', task.id).orderBy('id').limit(500).select(REMINDER_COLUMNS);
    if (!managesOthers(caller)) query.where('userId', caller.userId);
    return { data: ((await query) as ReminderRow[]).map(toReminderDto) };
  }

  async create(caller: Caller, taskRef: number | string, input: ReminderCreateInput, now = new Date()): Promise<ReminderDto> {
    const task = await this.tasks.get(caller, taskRef);
    const userId = input.userId ?? caller.userId;
    if (userId !== caller.userId && !managesOthers(caller)) throw forbidden('Only managers and admins set reminders for others');
    if ((input.at === undefined) === (input.beforeDue === undefined)) throw fieldError('at', 'send either `at` (a time) or `beforeDue` (a duration), one of them');
    let beforeDueMs: number | null = null;
    if (input.beforeDue !== undefined) {
      beforeDueMs = durationMs(input.beforeDue) ?? -1;
      if (beforeDueMs < 0 || beforeDueMs > MAX_BEFORE_DUE_MS) throw fieldError('beforeDue', 'must be an ISO 8601 duration of weeks, days, hours, minutes and seconds, at most 366 days');
    }
    const at = input.at === undefined ? null : new Date(input.at);
    if (at && at.getTime() < now.getTime() - 60_000) throw fieldError('at', 'is in the past');
    return this.knex.transaction(async (trx) => {
      if (userId !== caller.userId) {
        await checkAssignee(trx, caller.workspaceId, task.projectId, userId).catch(() => {
          throw fieldError('userId', 'is not an active user who can see this task');
        });
      }
      // The task row, locked: two requests at once cannot both pass the limit.
      await trx('tasks').where({ id: task.id }).forNoKeyUpdate().first('id');
      const [{ count }] = (await TaskReminder.rows(trx).where({ taskId: task.id, userId }).count({ count: '*' })) as [{ count: string | number }];
      if (Number(count) >= MAX_REMINDERS_PER_USER) throw conflict(`A user may have at most ${MAX_REMINDERS_PER_USER} reminders on a task`, 'too_many_reminders');
      const fireAt = at ?? (task.dueDate && beforeDueMs !== null ? new Date(task.dueDate.getTime() - beforeDueMs) : null);
      const [row] = (await TaskReminder.rows(trx)
        .insert({ workspaceId: caller.workspaceId, taskId: task.id, userId, createdBy: caller.userId, at, beforeDue: input.beforeDue ?? null, beforeDueMs, fireAt })
        .returning(REMINDER_COLUMNS)) as ReminderRow[];
      await reminderEvent(trx, task, row!, 'reminder.created', caller.userId);
      return toReminderDto(row!);
    });
  }

  /** Removes one of your reminders; managers and admins remove anyone's. */
  async remove(caller: Caller, taskRef: number | string, reminderId: number): Promise<void> {
    const task = await this.tasks.get(caller, taskRef);
    await this.knex.transaction(async (trx) => {
      const row = (await TaskReminder.rows(trx).where({ id: reminderId, taskId: task.id, workspaceId: caller.workspaceId }).first(REMINDER_COLUMNS)) as ReminderRow | undefined;
      // Someone else's reminder is not there for a member (as in the list).
      if (!row || (row.userId !== caller.userId && !managesOthers(caller))) throw notFound('Reminder');
      const deleted = await TaskReminder.rows(trx).where({ id: row.id }).delete().returning('id');
      if (deleted.length) await reminderEvent(trx, task, row, 'reminder.deleted', caller.userId);
    });
  }
}

const managesOthers = (caller: Caller) => caller.role !== 'member' && !caller.projectIds;

interface DueReminder {
  id: number;
  workspaceId: number;
  taskId: number;
  userId: number;
  fireAt: Date;
  title: string;
  identifier: string;
  dueDate: Date | null;
  open: boolean;
  sees: boolean;
}

/**
 * Sends reminders whose time has come, once each: every row is claimed with
 * SKIP LOCKED and marked sent in the transaction that notifies (and the
 * notification's dedupe key `reminder:<id>:<fireAtMs>` is unique), so runs
 * in several processes never send one twice. A reminder of a closed task, of
 * a user who can no longer see it, or long past, is marked and not sent.
 */
export class ReminderJob {
  constructor(private readonly knex: Knex) {}

  /** Returns how many reminders this run sent. */
  async run(now = new Date()): Promise<number> {
    let sent = 0;
    for (let batch = 0; batch < 20; batch++) {
      const { claimed, notified } = await this.knex.transaction(async (trx) => {
        const result = await trx.raw(
          `select r.id, r.workspace_id as "workspaceId", r.task_id as "taskId", r.user_id as "userId", r.fire_at as "fireAt",
             t.title, t.identifier, t.due_date as "dueDate", t.status_category not in ('completed', 'canceled') as open,
             (u.active and (u.role = 'admin' or p.visibility = 'workspace' or p.lead_id = u.id
               or exists (select 1 from project_members m where m.project_id = p.id and m.user_id = u.id))) as sees
           from task_reminders r
           join tasks t on t.id = r.task_id
           join users u on u.id = r.user_id
           join projects p on p.id = t.project_id
           where r.sent_at is null and r.fire_at <= ?
           order by r.fire_at, r.id
           limit 100
           for update of r skip locked`,
          [now],
        );
        const rows = result.rows as DueReminder[];
        let notified = 0;
        for (const row of rows) {
          const fireAt = new Date(row.fireAt);
          if (row.open && row.sees && now.getTime() - fireAt.getTime() <= STALE_MS) {
            const due = row.dueDate ? ` (due ${new Date(row.dueDate).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
            const ids = await notify(trx, {
              workspaceId: Number(row.workspaceId),
              recipients: [Number(row.userId)],
              actorId: null,
              taskId: Number(row.taskId),
              type: 'task.reminder',
              message: `Reminder: ${row.identifier} "${row.title}"${due}`,
              dedupeKey: `reminder:${row.id}:${fireAt.getTime()}`,
            });
            notified += ids.length;
          }
          await TaskReminder.rows(trx).where({ id: row.id }).update({ sentAt: now });
        }
        return { claimed: rows.length, notified };
      });
      sent += notified;
      if (claimed < 100) break;
    }
    return sent;
  }

  /** Runs every `intervalMs` until the returned function is called. */
  schedule(intervalMs: number, onError: (error: unknown) => void, onRun: (sent: number) => void = () => {}): () => void {
    return every(intervalMs, () => this.run(), onError, onRun);
  }
}
