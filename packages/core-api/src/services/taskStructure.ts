import type { Knex } from 'knex';
import { conflict, fieldError } from '../domain/errors.js';
import { Task, type TaskRow } from '../models/Task.js';
import type { TaskUpdateInput } from '../schemas/tasks.js';
import { applyFieldInput, loadFields, writeFieldIndex, type FieldDefinitions } from './fieldValues.js';
import { checkTaskLabels } from './labels.js';
import type { Change } from './taskChanges.js';

/** How deep subtasks nest: a top-level task's subtasks are at depth 1. */
export const MAX_SUBTASK_DEPTH = 5;

/** The structural part of a task write: labels, parent and custom fields. */
export interface StructureInput {
  labelIds?: number[] | undefined;
  parentId?: number | null | undefined;
  fields?: Record<string, unknown> | undefined;
}

/** What a write changes in a task's structure: columns to set, `task.updated` changes, and the field definitions read. */
export interface StructureChanges {
  patch: Record<string, unknown>;
  changes: Record<string, Change>;
  definitions?: FieldDefinitions;
}

/**
 * Checks and applies labels, parent and custom fields for a task of
 * `projectId` (`row`: the task as it is, on an update). Each refusal is a
 * 422 naming its field.
 */
export async function applyStructure(trx: Knex, workspaceId: number, projectId: number, row: TaskRow | undefined, input: StructureInput): Promise<StructureChanges> {
  const result: StructureChanges = { patch: {}, changes: {} };
  if (input.labelIds !== undefined) {
    const to = await checkTaskLabels(trx, workspaceId, projectId, input.labelIds);
    const from = row?.labels.map((label) => label.id) ?? [];
    if (!row || !sameSet(from, to)) {
      result.patch.labelIds = to;
      if (row) result.changes.labelIds = { from, to };
    }
  }
  if (input.parentId !== undefined && input.parentId !== (row?.parentId ?? null)) {
    if (input.parentId !== null) await checkParent(trx, workspaceId, projectId, row?.id, input.parentId);
    result.patch.parentId = input.parentId;
    if (row) result.changes.parentId = { from: row.parentId, to: input.parentId };
  }
  if (input.fields !== undefined && Object.keys(input.fields).length > 0) {
    result.definitions = await loadFields(trx, workspaceId);
    const applied = await applyFieldInput(trx, workspaceId, projectId, row?.fields ?? {}, input.fields, result.definitions);
    if (Object.keys(applied.changes).length) {
      result.patch.fields = JSON.stringify(applied.fields);
      Object.assign(result.changes, applied.changes);
    }
  }
  return result;
}

/** After the task row is written: the custom-field index follows its values. */
export async function afterStructureWrite(trx: Knex, taskId: number, structure: StructureChanges, created: Record<string, unknown> | undefined): Promise<void> {
  if (!structure.definitions) return;
  const changes = created ? Object.fromEntries(Object.entries(created).map(([key, to]) => [`fields.${key}`, { from: null, to }])) : structure.changes;
  await writeFieldIndex(trx, taskId, structure.definitions, changes);
}

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * A parent must be a task of the same project; making it one must not close
 * a cycle (the parent is the task itself or one of its subtasks), nor nest
 * the task's deepest subtask past MAX_SUBTASK_DEPTH.
 */
export async function checkParent(db: Knex, workspaceId: number, projectId: number, taskId: number | undefined, parentId: number): Promise<void> {
  const parent = (await Task.rows(db).where({ workspaceId, id: parentId }).first('id', 'projectId')) as { id: number; projectId: number } | undefined;
  if (!parent) throw fieldError('parentId', 'is not a task of this workspace');
  if (Number(parent.projectId) !== projectId) throw fieldError('parentId', 'is a task of another project: a subtask stays in its parent’s project');
  // The parent's ancestors (itself first), as far up as the limit allows.
  const ancestors = (
    await db.raw(
      `with recursive up(id, parent_id, depth) as (
         select id, parent_id, 1 from tasks where id = ?
         union all select t.id, t.parent_id, up.depth + 1 from tasks t join up on t.id = up.parent_id where up.depth <= ?
       ) select id from up`,
      [parentId, MAX_SUBTASK_DEPTH + 1],
    )
  ).rows as Array<{ id: number }>;
  if (taskId !== undefined && ancestors.some((ancestor) => Number(ancestor.id) === taskId)) {
    throw fieldError('parentId', 'would make a cycle: it is this task or one of its subtasks');
  }
  const height = taskId === undefined ? 0 : await subtreeHeight(db, taskId);
  if (ancestors.length + height > MAX_SUBTASK_DEPTH) {
    throw fieldError('parentId', `would nest subtasks deeper than ${MAX_SUBTASK_DEPTH} levels`);
  }
}

/** How many levels of subtasks a task has below it (0: none). */
async function subtreeHeight(db: Knex, taskId: number): Promise<number> {
  const row = (
    await db.raw(
      `with recursive down(id, depth) as (
         select id, 1 from tasks where parent_id = ?
         union all select t.id, down.depth + 1 from tasks t join down on t.parent_id = down.id where down.depth <= ?
       ) select coalesce(max(depth), 0) as height from down`,
      [taskId, MAX_SUBTASK_DEPTH + 1],
    )
  ).rows[0] as { height: number };
  return Number(row.height);
}

/** The ids of a task's subtasks at every depth. */
export async function descendantIds(db: Knex, taskId: number): Promise<number[]> {
  const rows = (
    await db.raw(`with recursive down(id) as (select id from tasks where parent_id = ? union all select t.id from tasks t join down on t.parent_id = down.id) select id from down`, [taskId])
  ).rows as Array<{ id: number }>;
  return rows.map((row) => Number(row.id));
}

/** A task with subtasks cannot leave its project alone: its subtasks would be in another. */
export function assertMovable(row: TaskRow, input: TaskUpdateInput): void {
  if (input.projectId !== undefined && input.projectId !== row.projectId && row.subtasks.total > 0) {
    throw conflict(`${row.identifier} has subtasks: move them out or detach them first`, 'has_subtasks');
  }
}
