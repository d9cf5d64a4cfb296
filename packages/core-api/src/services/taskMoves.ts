import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { TaskAlias } from '../models/Project.js';
import type { TaskRow } from '../models/Task.js';
import type { TaskUpdateInput } from '../schemas/tasks.js';
import { labelsUsedIn } from './labels.js';
import { setCategory, type Change } from './taskChanges.js';
import { endOfColumnSql } from './taskRows.js';
import { checkAssignee, takeSlot } from './taskSlots.js';
import { mapByCategory, statusIn } from './workflow.js';

/**
 * A move to another project: the task takes that project's next number
 * (its old identifier keeps resolving), and a status of its workflow — the
 * one asked for, or the first of the same category.
 */
export async function moveToProject(trx: Knex.Transaction, caller: Caller, row: TaskRow, input: TaskUpdateInput, changes: Record<string, Change>, patch: Record<string, unknown>): Promise<void> {
  const slot = await takeSlot(trx, caller, input.projectId, undefined);
  const status = input.status === undefined ? mapByCategory(slot.project.workflow, row.statusCategory) : statusIn(slot.project, input.status);
  const identifier = `${slot.project.key}-${slot.number}`;
  Object.assign(patch, { number: slot.number, identifier, status: status.key });
  changes.identifier = { from: row.identifier, to: identifier };
  if (status.key !== row.status) changes.status = { from: row.status, to: status.key };
  else delete changes.status;
  setCategory(row, status.category, changes, patch);
  if (input.position === undefined) patch.position = endOfColumnSql(trx, { workspaceId: row.workspaceId, projectId: slot.project.id, status: status.key });
  // A subtask leaves its parent behind; labels the new project does not use fall off.
  if (row.parentId !== null && input.parentId === undefined) {
    patch.parentId = null;
    changes.parentId = { from: row.parentId, to: null };
  }
  if (input.labelIds === undefined && row.labels.length) {
    const from = row.labels.map((label) => label.id);
    const to = await labelsUsedIn(trx, row.workspaceId, slot.project.id, from);
    if (to.length !== from.length) {
      patch.labelIds = to;
      changes.labelIds = { from, to };
    }
  }
  // An assignee who would lose sight of the task (a private project they are not in) is named, not silently kept.
  if (input.assignedTo === undefined && row.assignedTo !== null) await checkAssignee(trx, row.workspaceId, slot.project.id, row.assignedTo, slot.project.key);
  await TaskAlias.rows(trx).insert({ workspaceId: row.workspaceId, identifier: row.identifier, taskId: row.id }).onConflict(['workspaceId', 'identifier']).merge();
}
