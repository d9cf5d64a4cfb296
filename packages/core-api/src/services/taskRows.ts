import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { notFound } from '../domain/errors.js';
import type { TaskPriority, TaskStatus } from '../schemas/tasks.js';
import type { TaskDto } from '../schemas/tasks.js';
import { allowedTaskActions } from './policy.js';

/** A task row as the services read it (every column but the search vector). */
export interface TaskRow {
  id: number;
  workspaceId: number;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignedTo: number | null;
  createdBy: number;
  dueDate: Date | null;
  position: number;
  version: number;
  externalId: string | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const TASK_COLUMNS = [
  'id',
  'workspaceId',
  'title',
  'description',
  'status',
  'priority',
  'assignedTo',
  'createdBy',
  'dueDate',
  'position',
  'version',
  'externalId',
  'completedAt',
  'createdAt',
  'updatedAt',
] as const;

/** The task as events, webhooks and realtime carry it: the same for every reader. */
export function taskSnapshot(row: TaskRow): Omit<TaskDto, 'can'> {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignedTo: row.assignedTo,
    createdBy: row.createdBy,
    dueDate: row.dueDate?.toISOString() ?? null,
    position: row.position,
    version: row.version,
    externalId: row.externalId,
    completedAt: row.completedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

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
 * Loads a task of the caller's workspace and locks it for the transaction,
 * or 404. NO KEY UPDATE still lets comments (foreign keys to the task) be
 * written meanwhile.
 */
export async function lockTask(trx: Knex.Transaction, workspaceId: number, id: number): Promise<TaskRow> {
  const row = await trx('tasks').where({ workspaceId, id }).forNoKeyUpdate().first(TASK_COLUMNS);
  if (!row) throw notFound('Task');
  return row as TaskRow;
}

/** The end of a status column, as SQL to use inside an INSERT or UPDATE (saves a round trip). */
export function endOfColumnSql(knex: Knex, workspaceId: number, status: TaskStatus): Knex.Raw {
  return knex.raw('(select coalesce(max(position), 0) + 1024 from tasks where workspace_id = ? and status = ?)', [workspaceId, status]);
}

/** The position at the end of a status column. */
export async function endOfColumn(trx: Knex, workspaceId: number, status: TaskStatus): Promise<number> {
  const row = await trx('tasks').where({ workspaceId, status }).max({ max: 'position' }).first();
  return Number(row?.max ?? 0) + 1024;
}
