import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { notFound } from '../domain/errors.js';
import { whereProjectVisible, type ProjectViewer } from '../models/Project.js';
import { TASK_COLUMNS, Task, taskSnapshot, type TaskRow } from '../models/Task.js';
import type { TaskStatus } from '../schemas/tasks.js';
import type { TaskDto } from '../schemas/tasks.js';
import { allowedTaskActions } from './policy.js';

/** The task as one caller sees it: with what they may do with it. */
export function toTaskDto(row: TaskRow, caller: Caller): TaskDto {
  // Assigned rather than spread: this runs for every task of every list.
  const dto = taskSnapshot(row) as TaskDto;
  dto.can = allowedTaskActions(caller, row);
  return dto;
}

export function etag(row: { version: number }): string {
  return `"v${row.version}"`;
}

/**
 * Loads a task the caller may see (its project's visibility included) and
 * locks it for the transaction, or 404. NO KEY UPDATE still lets comments
 * (foreign keys to the task) be written meanwhile.
 */
export async function lockTask(trx: Knex.Transaction, caller: ProjectViewer, id: number): Promise<TaskRow> {
  const row = (await whereProjectVisible(Task.rows(trx).where({ workspaceId: caller.workspaceId, id }), caller).forNoKeyUpdate().first(TASK_COLUMNS)) as TaskRow | undefined;
  if (!row) throw notFound('Task');
  return row;
}

/** A board column: one status of one project. */
export interface Column {
  workspaceId: number;
  projectId: number;
  status: TaskStatus;
}

/** The end of a column, as SQL to use inside an INSERT or UPDATE (saves a round trip). */
export function endOfColumnSql(knex: Knex, column: Column): Knex.Raw {
  return knex.raw(`(select coalesce(max(position), 0) + 1024 from ${Task.tableName} where workspace_id = ? and project_id = ? and status = ?)`, [
    column.workspaceId,
    column.projectId,
    column.status,
  ]);
}

/** The position at the end of a column. */
export async function endOfColumn(trx: Knex, column: Column): Promise<number> {
  const row = await Task.rows(trx).where(column).max({ max: 'position' }).first();
  return Number(row?.max ?? 0) + 1024;
}

/** The stored task, for transports that hold rows (routes, GraphQL loaders) without reaching the database. */
export type { TaskRow };
