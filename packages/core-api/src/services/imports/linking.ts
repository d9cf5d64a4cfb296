import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { DomainError } from '../../domain/errors.js';
import { TASK_COLUMNS, Task, type TaskRow } from '../../models/Task.js';
import type { RelationService } from '../relations.js';
import type { TaskService } from '../tasks.js';
import type { ImportLinks } from './links.js';
import type { RelationRecord, TaskRecord } from './records.js';
import { rowError, withPrefix } from './setup.js';
import type { Outcome } from './taskWriter.js';

/**
 * The second pass of an import: what points from one task to another, once
 * every task exists. Both go through the task and relation services (their
 * checks: same project, no cycles, depth; and their events), and both are
 * idempotent by nature: a parent already set, a link already there, is left.
 */
export async function linkParent(knex: Knex, tasks: TaskService, caller: Caller, links: ImportLinks, record: TaskRecord): Promise<Outcome> {
  const childId = await links.get(knex, 'task', record.externalId);
  if (childId === undefined) return 'unchanged'; // the task itself was refused, and reported
  const parentId = await links.get(knex, 'task', record.parentExternalId!);
  if (parentId === undefined) throw rowError('parent', `${record.parentExternalId} is not a task of this import`);
  return knex.transaction(async (trx) => {
    const row = (await Task.rows(trx).where({ workspaceId: caller.workspaceId, id: childId }).forNoKeyUpdate().first(TASK_COLUMNS)) as TaskRow | undefined;
    if (!row || row.parentId === parentId) return 'unchanged';
    try {
      await tasks.updateIn(trx, caller, row, { parentId });
    } catch (error) {
      throw withPrefix(error, 'parent');
    }
    return 'updated';
  });
}

export async function linkRelation(knex: Knex, relations: RelationService, caller: Caller, links: ImportLinks, record: RelationRecord): Promise<Outcome> {
  const from = await links.get(knex, 'task', record.taskExternalId);
  const to = await links.get(knex, 'task', record.relatedExternalId);
  if (from === undefined) throw rowError('task', `${record.taskExternalId} is not a task of this import`);
  if (to === undefined) throw rowError('relatedTask', `${record.relatedExternalId} is not a task of this import`);
  try {
    await relations.add(caller, from, { type: record.type, taskId: to });
    return 'created';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'relation_exists') return 'unchanged';
    throw withPrefix(error, 'relation');
  }
}
