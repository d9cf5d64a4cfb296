import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, fieldError } from '../domain/errors.js';
import { TASK_STATUSES, type TaskCountsByStatusDto, type TaskCountsInput, type TaskCreateInput, type TaskListInput, type TaskMoveInput, type TaskStatus, type TaskUpdateInput } from '../schemas/tasks.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';
import { appendEvent } from '../events/append.js';
import { notify } from './notify.js';
import { assertTaskAction } from './policy.js';
import { applyTaskFilters, applyTaskSort } from './taskQuery.js';
import { endOfColumn, endOfColumnSql, lockTask, toTaskDto } from './taskRows.js';
import { TASK_COLUMNS, taskSnapshot, type TaskRow, Task } from '../models/Task.js';
import { Event } from '../models/Event.js';
import { User } from '../models/User.js';

const POSITION_STEP = 1024;
const MIN_GAP = 1e-6;
// Event types that repeat what a `task.updated` event already says; kept
// for subscribers that want only them, left out of the activity history.
const DERIVED_EVENTS = ['task.status_changed', 'task.assigned'];

type Change = { from: unknown; to: unknown };

/** Tasks: the rules, the event log and the notifications of every change. */
export class TaskService {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: TaskListInput) {
    const limit = input.limit ?? 50;
    const query = Task.rows(this.knex).where('workspaceId', caller.workspaceId).select(TASK_COLUMNS).limit(limit + 1);
    applyTaskFilters(query, caller, input);
    const cursorOf = applyTaskSort(query, input.sort ?? '-createdAt', input.cursor);
    const rows = (await query) as TaskRow[];
    return toPage(rows, limit, (row) => toTaskDto(row, caller), cursorOf);
  }

  /**
   * How many tasks match the list's filters, per status: what a board shows
   * as each column's true count while it loads the cards page by page.
   */
  async counts(caller: Caller, input: TaskCountsInput): Promise<TaskCountsByStatusDto> {
    const query = Task.rows(this.knex).where('workspaceId', caller.workspaceId).select('status').count({ count: '*' }).groupBy('status');
    applyTaskFilters(query, caller, input);
    const rows = (await query) as Array<{ status: TaskStatus; count: string | number }>;
    const byStatus = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
    for (const row of rows) byStatus[row.status] = Number(row.count);
    return { byStatus, total: rows.reduce((sum, row) => sum + Number(row.count), 0) };
  }

  async get(caller: Caller, id: number): Promise<TaskRow> {
    const row = await Task.rows(this.knex).where({ workspaceId: caller.workspaceId, id }).first(TASK_COLUMNS);
    if (!row) throw new DomainError(404, { code: 'not_found', detail: 'Task not found' });
    return row as TaskRow;
  }

  /** Whether the workspace has this task (a realtime `task:<id>` topic needs one). */
  async exists(workspaceId: number, id: number): Promise<boolean> {
    return (await Task.rows(this.knex).where({ workspaceId, id }).first('id')) !== undefined;
  }

  /** Tasks of the caller's workspace by id, in one query; unknown ids are left out (batch loaders). */
  async getMany(caller: Caller, ids: readonly number[]): Promise<TaskRow[]> {
    if (ids.length === 0) return [];
    return (await Task.rows(this.knex).where('workspaceId', caller.workspaceId).whereIn('id', ids).select(TASK_COLUMNS)) as TaskRow[];
  }

  async create(caller: Caller, input: TaskCreateInput): Promise<TaskRow> {
    try {
      return await this.knex.transaction((trx) => this.createIn(trx, caller, input));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DomainError(409, {
        code: 'external_id_taken',
        detail: 'A task with this externalId already exists; update it, or upsert with POST /api/tasks/bulk',
        errors: [{ path: 'externalId', in: 'body', message: 'is already used by another task' }],
      });
    }
  }

  /** Creates a task inside `trx` (also used by bulk import). */
  async createIn(trx: Knex.Transaction, caller: Caller, input: TaskCreateInput): Promise<TaskRow> {
    if (input.assignedTo != null) await this.assertAssignable(trx, caller.workspaceId, input.assignedTo);
    const status = input.status ?? 'todo';
    const [row] = (await Task.rows(trx)
      .insert({
        workspaceId: caller.workspaceId,
        title: input.title.trim(),
        description: input.description ?? '',
        status,
        priority: input.priority ?? 'medium',
        assignedTo: input.assignedTo ?? null,
        createdBy: caller.userId,
        dueDate: input.dueDate ?? null,
        position: input.position ?? endOfColumnSql(trx, caller.workspaceId, status),
        externalId: input.externalId ?? null,
        completedAt: status === 'done' ? new Date() : null,
      })
      .returning(TASK_COLUMNS)) as TaskRow[];
    const task = row!;
    const base = { workspaceId: caller.workspaceId, actorId: caller.userId, taskId: task.id };
    await appendEvent(trx, { ...base, type: 'task.created', payload: { task: taskSnapshot(task) } });
    if (task.assignedTo !== null) {
      await appendEvent(trx, { ...base, type: 'task.assigned', payload: { task: taskSnapshot(task), from: null, to: task.assignedTo } });
      await notify(trx, { ...base, recipients: [task.assignedTo], type: 'task.assigned', message: `${caller.name} assigned you "${task.title}"` });
    }
    return task;
  }

  /**
   * Applies a partial update. With `expectedVersion` (from If-Match) a stale
   * write answers 412 and changes nothing.
   */
  update(caller: Caller, id: number, input: TaskUpdateInput, expectedVersion?: number): Promise<TaskRow> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller.workspaceId, id);
      return this.updateIn(trx, caller, row, input, expectedVersion);
    });
  }

  async updateIn(trx: Knex.Transaction, caller: Caller, row: TaskRow, input: TaskUpdateInput, expectedVersion?: number): Promise<TaskRow> {
    assertTaskAction(caller, row, 'update');
    if (expectedVersion !== undefined && expectedVersion !== row.version) throw staleVersion(row, caller);
    const changes = diff(row, input);
    if (Object.keys(changes).length === 0) return row;
    if (changes.assignedTo) {
      assertTaskAction(caller, row, 'assign');
      if (input.assignedTo != null) await this.assertAssignable(trx, caller.workspaceId, input.assignedTo);
    }
    const patch: Record<string, unknown> = { version: row.version + 1, updatedAt: new Date() };
    for (const [field, change] of Object.entries(changes)) patch[field] = change.to;
    if (changes.status) {
      patch.completedAt = changes.status.to === 'done' ? new Date() : null;
      if (input.position === undefined) patch.position = endOfColumnSql(trx, row.workspaceId, input.status!);
    }
    const [updated] = (await Task.rows(trx)
      .where({ workspaceId: row.workspaceId, id: row.id })
      .update(patch)
      .returning(TASK_COLUMNS)) as TaskRow[];
    const task = updated!;
    const snapshot = taskSnapshot(task);
    const base = { workspaceId: row.workspaceId, actorId: caller.userId, taskId: row.id };
    await appendEvent(trx, { ...base, type: 'task.updated', payload: { task: snapshot, changes } });
    if (changes.status) {
      await appendEvent(trx, { ...base, type: 'task.status_changed', payload: { task: snapshot, ...changes.status } });
      await notify(trx, {
        ...base,
        recipients: [task.createdBy, task.assignedTo],
        type: 'task.status_changed',
        message: `${caller.name} moved "${task.title}" to ${String(changes.status.to).replace('_', ' ')}`,
      });
    }
    if (changes.assignedTo) {
      await appendEvent(trx, { ...base, type: 'task.assigned', payload: { task: snapshot, ...changes.assignedTo } });
      await notify(trx, { ...base, recipients: [task.assignedTo], type: 'task.assigned', message: `${caller.name} assigned you "${task.title}"` });
    }
    return task;
  }

  /**
   * Moves a card to a status column, between two neighbours. Only the moved
   * card is written, unless the gap between its neighbours has worn too
   * thin, when the column is renumbered once.
   */
  move(caller: Caller, id: number, input: TaskMoveInput, expectedVersion?: number): Promise<TaskRow> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller.workspaceId, id);
      assertTaskAction(caller, row, 'move');
      const status = input.status ?? row.status;
      let position = await this.positionBetween(trx, caller.workspaceId, id, status, input);
      if (position === undefined) {
        await this.renumberColumn(trx, caller.workspaceId, status);
        position = (await this.positionBetween(trx, caller.workspaceId, id, status, input))!;
      }
      return this.updateIn(trx, caller, row, { status, position }, expectedVersion);
    });
  }

  remove(caller: Caller, id: number, expectedVersion?: number): Promise<void> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller.workspaceId, id);
      assertTaskAction(caller, row, 'delete');
      if (expectedVersion !== undefined && expectedVersion !== row.version) throw staleVersion(row, caller);
      await Task.rows(trx).where({ workspaceId: row.workspaceId, id }).delete();
      await appendEvent(trx, {
        workspaceId: row.workspaceId,
        actorId: caller.userId,
        taskId: id,
        type: 'task.deleted',
        payload: { task: taskSnapshot(row) },
      });
    });
  }

  /** The task's history, oldest first, from the event log. */
  async activity(caller: Caller, id: number, input: { limit?: number; cursor?: string }) {
    await this.get(caller, id);
    const limit = input.limit ?? 50;
    const query = Event.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, taskId: id })
      .whereNull('userId')
      .whereNotIn('type', DERIVED_EVENTS)
      .orderBy('id')
      .limit(limit + 1)
      .select('id', 'type', 'actorId', 'taskId', 'payload', 'createdAt');
    if (input.cursor) query.where('id', '>', decodeIdCursor(input.cursor));
    const rows = (await query) as Array<{ id: number; type: string; actorId: number | null; taskId: number; payload: Record<string, unknown>; createdAt: Date }>;
    return toPage(rows, limit, (row) => ({ ...row, createdAt: row.createdAt.toISOString() }), (last) => idCursor(last.id));
  }

  private async assertAssignable(trx: Knex, workspaceId: number, userId: number): Promise<void> {
    const user = await User.rows(trx).where({ workspaceId, id: userId }).first('active');
    if (!user) throw fieldError('assignedTo', 'is not a user of this workspace');
    if (!user.active) throw fieldError('assignedTo', 'is a deactivated user');
  }

  private async positionBetween(trx: Knex.Transaction, workspaceId: number, id: number, status: string, input: TaskMoveInput) {
    const neighbour = async (neighbourId: number | null | undefined, field: 'afterId' | 'beforeId') => {
      if (neighbourId == null) return undefined;
      if (neighbourId === id) throw fieldError(field, 'cannot be the moved task itself');
      const row = await Task.rows(trx).where({ workspaceId, id: neighbourId }).first('position', 'status');
      if (!row) throw fieldError(field, 'is not a task of this workspace');
      if (row.status !== status) throw fieldError(field, `is not in the ${status} column`);
      return Number(row.position);
    };
    const above = await neighbour(input.afterId, 'afterId');
    const below = await neighbour(input.beforeId, 'beforeId');
    if (above !== undefined && below !== undefined) {
      if (below - above < MIN_GAP) return undefined;
      return (above + below) / 2;
    }
    if (above !== undefined) return above + POSITION_STEP;
    if (below !== undefined) return below - POSITION_STEP;
    return endOfColumn(trx, workspaceId, status as TaskRow['status']);
  }

  private async renumberColumn(trx: Knex.Transaction, workspaceId: number, status: string): Promise<void> {
    await trx.raw(
      `update tasks set position = ordered.n * ? from (
         select id, row_number() over (order by position, id) as n from tasks where workspace_id = ? and status = ?
       ) ordered where tasks.id = ordered.id and tasks.workspace_id = ?`,
      [POSITION_STEP, workspaceId, status, workspaceId],
    );
  }
}

function staleVersion(row: TaskRow, caller: Caller): DomainError {
  return new DomainError(412, {
    code: 'version_conflict',
    detail: `The task has changed since version you sent; it is now at version ${row.version}`,
    extra: { currentVersion: row.version, current: toTaskDto(row, caller) },
  });
}

/** The fields whose value the input really changes, with before and after. */
function diff(row: TaskRow, input: TaskUpdateInput): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const [field, to] of Object.entries(input)) {
    if (to === undefined) continue;
    const from = row[field as keyof TaskRow];
    if (field === 'dueDate') {
      const before = (from as Date | null)?.toISOString() ?? null;
      const after = to === null ? null : new Date(to as string).toISOString();
      if (before !== after) changes.dueDate = { from: before, to: after };
    } else {
      const value = field === 'title' ? String(to).trim() : to;
      if (value !== from) changes[field] = { from, to: value };
    }
  }
  return changes;
}
