import type { Knex } from 'knex';
import { fieldError } from '../domain/errors.js';
import { Task } from '../models/Task.js';
import type { TaskMoveInput } from '../schemas/tasks.js';
import { endOfColumn, type Column } from './taskRows.js';

const POSITION_STEP = 1024;
const MIN_GAP = 1e-6;

/**
 * Where a card lands between two neighbours of its column; undefined when
 * the gap between them has worn too thin (renumber the column, then ask
 * again).
 */
export async function positionBetween(trx: Knex.Transaction, column: Column, id: number, input: TaskMoveInput): Promise<number | undefined> {
  const neighbour = async (neighbourId: number | null | undefined, field: 'afterId' | 'beforeId') => {
    if (neighbourId == null) return undefined;
    if (neighbourId === id) throw fieldError(field, 'cannot be the moved task itself');
    const row = await Task.rows(trx).where({ workspaceId: column.workspaceId, id: neighbourId }).first('position', 'status', 'projectId');
    if (!row) throw fieldError(field, 'is not a task of this workspace');
    if (row.status !== column.status || row.projectId !== column.projectId) throw fieldError(field, `is not in the ${column.status} column of this project`);
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
  return endOfColumn(trx, column);
}

/** Spreads a column's cards evenly again, keeping their order. */
export async function renumberColumn(trx: Knex.Transaction, column: Column): Promise<void> {
  await trx.raw(
    `update tasks set position = ordered.n * ? from (
       select id, row_number() over (order by position, id) as n from tasks where workspace_id = ? and project_id = ? and status = ?
     ) ordered where tasks.id = ordered.id and tasks.workspace_id = ?`,
    [POSITION_STEP, column.workspaceId, column.projectId, column.status, column.workspaceId],
  );
}
