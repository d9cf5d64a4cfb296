import type { Knex } from 'knex';
import type { Caller, Role } from '../domain/caller.js';
import { DomainError } from '../domain/errors.js';
import { checkRule, isTimeZone, nextOccurrence, parseRule, type RuleSpec } from '../domain/recurrenceRule.js';
import { appendEvent } from '../events/append.js';
import { TaskSeries, type OccurrenceTemplate, type SeriesRow } from '../models/Recurrence.js';
import { TASK_COLUMNS, Task, type TaskRow } from '../models/Task.js';
import type { RecurrenceDto, RecurrenceInputDto, RecurrenceMode } from '../schemas/recurrence.js';
import type { TaskCreateInput } from '../schemas/tasks.js';
import { copyReminders } from './reminders.js';
import type { Change } from './taskChanges.js';
import type { TaskService } from './tasks.js';
import { watch, watcherIds } from './watchers.js';
import { every } from './periodic.js';

/** Where a new occurrence belongs: its series and the time it stands for (unique together). */
export interface Occurrence {
  seriesId: number;
  at: Date;
}

const SERIES_COLUMNS = ['id', 'workspaceId', 'createdBy', 'rule', 'mode', 'timezone', 'dtstart', 'latestTaskId', 'latestAt', 'nextAt', 'template', 'endedAt', 'stoppedAt'];

const specOf = (series: Pick<SeriesRow, 'rule' | 'dtstart' | 'timezone'>): RuleSpec => ({ rule: series.rule, dtstart: series.dtstart, timezone: series.timezone });
const toMinute = (date: Date) => new Date(Math.floor(date.getTime() / 60_000) * 60_000);

/** A user's time zone (users.timezone); UTC when unset. */
export async function userTimezone(db: Knex, workspaceId: number, userId: number): Promise<string> {
  const row = (await db('users').where({ workspaceId, id: userId }).first('timezone')) as { timezone?: string | null } | undefined;
  // A zone this runtime does not know (its time-zone data is older than the one that set it) reads as UTC.
  return row?.timezone && isTimeZone(row.timezone) ? row.timezone : 'UTC';
}

function templateOf(task: TaskRow): OccurrenceTemplate {
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    projectId: task.projectId,
    assignedTo: task.assignedTo,
    labelIds: task.labels.map((label) => label.id),
    parentId: task.parentId,
    fields: task.fields,
  };
}

/**
 * Starts a series with `task` as its first occurrence, at its due date (or
 * now, to the minute, without one), evaluated in the caller's time zone.
 * Answers the columns to set on the task.
 */
export async function startSeries(trx: Knex.Transaction, caller: Caller, task: TaskRow, input: RecurrenceInputDto, dueDate: Date | null): Promise<{ recurrenceOf: number; occurrenceAt: Date }> {
  const timezone = await userTimezone(trx, caller.workspaceId, caller.userId);
  const at = dueDate ?? toMinute(new Date());
  const rule = parseRule(input.rule);
  await checkRule({ rule, dtstart: at, timezone });
  const mode = input.mode ?? 'after_completion';
  const [series] = (await TaskSeries.rows(trx)
    .insert({ workspaceId: caller.workspaceId, createdBy: caller.userId, rule, mode, timezone, dtstart: at, latestTaskId: task.id, latestAt: at, nextAt: mode === 'schedule' ? at : null, template: JSON.stringify(templateOf(task)) })
    .returning('id')) as Array<{ id: number }>;
  return { recurrenceOf: series!.id, occurrenceAt: at };
}

/**
 * A PATCH's `recurrence` on `row`: null stops its series; a rule changes its
 * series from the latest occurrence on (or starts one with this task when it
 * has none running). Answers the change for `task.updated` and columns to set.
 */
export async function changeRecurrence(
  trx: Knex.Transaction,
  caller: Caller,
  row: TaskRow,
  input: RecurrenceInputDto | null,
  dueDate: Date | null,
): Promise<{ change?: Change; patch: Record<string, unknown> }> {
  const series = row.recurrenceOf === null ? undefined : await lockSeries(trx, row.recurrenceOf);
  const running = series && series.stoppedAt === null ? series : undefined;
  if (input === null) {
    if (!running) return { patch: {} };
    await stopSeries(trx, running, row, caller.userId, 'stopped');
    return { change: { from: row.recurrence, to: null }, patch: {} };
  }
  if (!running) {
    const patch = await startSeries(trx, caller, row, input, dueDate);
    const timezone = await userTimezone(trx, caller.workspaceId, caller.userId);
    return { change: { from: row.recurrence, to: { rule: parseRule(input.rule), mode: input.mode ?? 'after_completion', timezone, ended: false } }, patch };
  }
  const rule = parseRule(input.rule);
  const mode: RecurrenceMode = input.mode ?? running.mode;
  if (rule === running.rule && mode === running.mode) return { patch: {} };
  // Future occurrences only: the new rule starts from the latest occurrence's time (its wall clock).
  await checkRule({ rule, dtstart: running.latestAt, timezone: running.timezone });
  await TaskSeries.rows(trx)
    .where({ id: running.id })
    .update({ rule, mode, dtstart: running.latestAt, endedAt: null, nextAt: mode === 'schedule' ? running.latestAt : null, updatedAt: new Date() });
  const to: RecurrenceDto = { rule, mode, timezone: running.timezone, ended: false };
  return { change: { from: row.recurrence, to }, patch: {} };
}

async function lockSeries(trx: Knex.Transaction, id: number): Promise<SeriesRow | undefined> {
  return (await TaskSeries.rows(trx).where({ id }).forUpdate().first(SERIES_COLUMNS)) as SeriesRow | undefined;
}

async function stopSeries(trx: Knex.Transaction, series: SeriesRow, task: Pick<TaskRow, 'id' | 'title' | 'projectId'> | undefined, actorId: number | null, reason: 'stopped' | 'ended' | 'failed'): Promise<void> {
  const now = new Date();
  await TaskSeries.rows(trx)
    .where({ id: series.id })
    .update(reason === 'ended' ? { endedAt: now, nextAt: null, updatedAt: now } : { stoppedAt: now, nextAt: null, updatedAt: now });
  await appendEvent(trx, {
    workspaceId: series.workspaceId,
    actorId,
    taskId: task?.id ?? null,
    projectId: task?.projectId ?? series.template.projectId,
    type: 'task.recurrence_stopped',
    payload: { task: task ? { id: task.id, title: task.title } : null, seriesId: series.id, reason },
  });
}

/**
 * `after_completion`: the latest occurrence of a running series was just
 * completed (in `trx`, which holds its row): the next one is created now,
 * at the rule's first time after both the occurrence's own time and now.
 */
export async function afterOccurrenceCompleted(trx: Knex.Transaction, tasks: TaskService, task: TaskRow, now = new Date()): Promise<TaskRow | undefined> {
  if (task.recurrenceOf === null) return undefined;
  const series = await lockSeries(trx, task.recurrenceOf);
  if (!series || series.stoppedAt || series.endedAt || series.mode !== 'after_completion' || series.latestTaskId !== task.id) return undefined;
  const after = new Date(Math.max(series.latestAt.getTime(), now.getTime()));
  return createOccurrence(trx, tasks, series, nextOccurrence(specOf(series), after), task);
}

/**
 * Creates the series' occurrence at `at` through the ordinary task creation
 * (events, webhooks, realtime), as the series' creator, copying the source
 * occurrence (or the stored template): project, fields, labels, assignee,
 * watchers and reminders. No next time: the series has ended.
 */
async function createOccurrence(trx: Knex.Transaction, tasks: TaskService, series: SeriesRow, at: Date | null, source: TaskRow | undefined): Promise<TaskRow | undefined> {
  if (at === null) {
    await stopSeries(trx, series, source, null, 'ended');
    return undefined;
  }
  const creator = (await trx('users').where({ workspaceId: series.workspaceId, id: series.createdBy }).first('id', 'name', 'role', 'active')) as { id: number; name: string; role: Role; active: boolean } | undefined;
  if (!creator?.active) {
    await stopSeries(trx, series, source, null, 'failed');
    return undefined;
  }
  const caller: Caller = { userId: Number(creator.id), workspaceId: series.workspaceId, role: creator.role, name: creator.name, via: 'password' };
  const template = source ? templateOf(source) : series.template;
  const input: TaskCreateInput = {
    title: template.title,
    description: template.description,
    priority: template.priority as TaskCreateInput['priority'],
    projectId: template.projectId,
    labelIds: template.labelIds,
    fields: template.fields,
    dueDate: at.toISOString(),
    ...(template.assignedTo === null ? {} : { assignedTo: template.assignedTo }),
    ...(template.parentId === null ? {} : { parentId: template.parentId }),
  };
  const occurrence = { seriesId: series.id, at };
  let task: TaskRow | undefined;
  // A savepoint each: what the copy can no longer have (a deactivated assignee, a deleted parent) is left out on the second try.
  for (const attempt of [input, { ...input, assignedTo: undefined, parentId: undefined, labelIds: undefined, fields: undefined }]) {
    try {
      task = await trx.transaction((savepoint) => tasks.createIn(savepoint, caller, attempt, undefined, occurrence));
      break;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  if (!task) {
    await stopSeries(trx, series, source, null, 'failed');
    return undefined;
  }
  if (source) {
    await watch(trx, series.workspaceId, task.id, await watcherIds(trx, source.id));
    await copyReminders(trx, source, task);
  }
  await TaskSeries.rows(trx)
    .where({ id: series.id })
    .update({ latestTaskId: task.id, latestAt: at, nextAt: series.mode === 'schedule' ? at : null, template: JSON.stringify(templateOf(task)), updatedAt: new Date() });
  return task;
}

/**
 * The `schedule` mode's job: a series whose latest occurrence's time has
 * come gets its next one, done or not. Missed times (the job was not
 * running) are skipped: the next is the rule's first time after now. Each
 * series is claimed with SKIP LOCKED, so concurrent runs in any number of
 * processes create each occurrence once (the unique (series, time) index
 * stands behind that).
 */
export class RecurrenceJob {
  constructor(
    private readonly knex: Knex,
    private readonly tasks: TaskService,
  ) {}

  /** Returns how many occurrences this run created. */
  async run(now = new Date()): Promise<number> {
    let created = 0;
    for (let claimed = 0; claimed < 500; claimed++) {
      const done = await this.knex.transaction(async (trx) => {
        const series = (await TaskSeries.rows(trx)
          .whereNull('stoppedAt')
          .whereNotNull('nextAt')
          .where('nextAt', '<=', now)
          .orderBy('nextAt')
          .forUpdate()
          .skipLocked()
          .first(SERIES_COLUMNS)) as SeriesRow | undefined;
        if (!series) return true;
        const source = series.latestTaskId === null ? undefined : ((await Task.rows(trx).where({ id: series.latestTaskId }).first(TASK_COLUMNS)) as TaskRow | undefined);
        const after = new Date(Math.max(series.latestAt.getTime(), now.getTime()));
        if (await createOccurrence(trx, this.tasks, series, nextOccurrence(specOf(series), after), source)) created++;
        return false;
      });
      if (done) break;
    }
    return created;
  }

  /** Runs every `intervalMs` until the returned function is called. */
  schedule(intervalMs: number, onError: (error: unknown) => void, onRun: (created: number) => void = () => {}): () => void {
    return every(intervalMs, () => this.run(), onError, onRun);
  }
}
