import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { appendEvents } from '../../events/append.js';
import { Label } from '../../models/Label.js';
import { TASK_COLUMNS, Task, taskSnapshot, type TaskRow } from '../../models/Task.js';
import { COMMENT_COLUMNS, TaskComment, type CommentRow } from '../../models/TaskComment.js';
import { TaskFieldValue } from '../../models/CustomField.js';
import { TaskWatcher } from '../../models/TaskRelation.js';
import { applyFieldInput, indexRows, type FieldDefinitions } from '../fieldValues.js';
import { renderText } from '../markdown.js';
import type { ImportLinks } from './links.js';
import type { CommentRecord, TaskRecord } from './records.js';
import { rowError, withPrefix } from './setup.js';
import type { ResolvedTask } from './taskWriter.js';

export interface NewTask {
  record: TaskRecord;
  resolved: ResolvedTask;
  watcherIds: number[];
}

/**
 * Inserts many new tasks in a few statements: numbers taken per project at
 * once, positions at the end of each column computed here, one multi-row
 * insert, then their custom-field index, watchers, links and `task.created`
 * events each in one statement. The same rows and events as one task at a
 * time, at a fraction of the round trips (an import of 100k tasks is
 * mostly this). Any refusal throws: the caller then writes the batch one
 * record at a time, to report each refusal by its line.
 */
export async function insertTasks(trx: Knex.Transaction, caller: Caller, links: ImportLinks, definitions: FieldDefinitions, items: NewTask[]): Promise<TaskRow[]> {
  if (items.length === 0) return [];
  const ws = caller.workspaceId;
  await checkLabels(trx, ws, items);
  const fields: Array<Record<string, unknown>> = [];
  for (const { resolved } of items) {
    if (!resolved.fields) {
      fields.push({});
      continue;
    }
    try {
      fields.push((await applyFieldInput(trx, ws, resolved.project.id, {}, resolved.fields, definitions)).fields);
    } catch (error) {
      throw withPrefix(error, '');
    }
  }
  // Numbers: one update per project, for all of the batch's tasks there.
  const perProject = new Map<number, { key: string; count: number; next: number }>();
  for (const { resolved } of items) {
    const entry = perProject.get(resolved.project.id) ?? { key: resolved.project.key, count: 0, next: 0 };
    entry.count += 1;
    perProject.set(resolved.project.id, entry);
  }
  for (const [projectId, entry] of perProject) {
    const [row] = (await trx('projects').where({ id: projectId }).update({ nextNumber: trx.raw('next_number + ?', [entry.count]) }).returning(trx.raw('next_number - ? as first', [entry.count]))) as Array<{ first: number }>;
    entry.next = Number(row!.first);
  }
  // Positions: after the end of each column, in the file's order.
  const ends = new Map<string, number>();
  const columns = (await trx('tasks')
    .where({ workspaceId: ws })
    .whereIn('projectId', [...perProject.keys()])
    .groupBy('projectId', 'status')
    .select('projectId', 'status')
    .max({ last: 'position' })) as Array<{ projectId: number; status: string; last: number | null }>;
  for (const column of columns) ends.set(`${column.projectId}:${column.status}`, Number(column.last ?? 0));
  const rows = [];
  for (const [index, { record, resolved }] of items.entries()) {
    const project = perProject.get(resolved.project.id)!;
    const number = project.next++;
    const column = `${resolved.project.id}:${resolved.status.key}`;
    const position = (ends.get(column) ?? 0) + 1024;
    ends.set(column, position);
    const createdAt = resolved.createdAt ?? new Date();
    rows.push({
      workspaceId: ws,
      projectId: resolved.project.id,
      number,
      identifier: `${project.key}-${number}`,
      title: record.title.trim(),
      description: record.description ?? '',
      descriptionHtml: await renderText(trx, ws, record.description ?? ''),
      status: resolved.status.key,
      statusCategory: resolved.status.category,
      priority: resolved.priority,
      assignedTo: resolved.assignedTo,
      createdBy: resolved.createdBy,
      dueDate: resolved.dueDate,
      position,
      externalId: record.externalId.slice(0, 200),
      completedAt: resolved.completedAt !== undefined ? resolved.completedAt : resolved.status.category === 'completed' ? createdAt : null,
      labelIds: resolved.labelIds,
      fields: JSON.stringify(fields[index]),
      createdAt,
      updatedAt: createdAt,
    });
  }
  const tasks = (await Task.rows(trx).insert(rows).returning(TASK_COLUMNS)) as TaskRow[];
  const indexed = tasks.flatMap((task, index) =>
    Object.entries(fields[index]!).flatMap(([key, value]) => {
      const field = definitions.get(key);
      return field && value !== null ? indexRows(field, task.id, value) : [];
    }),
  );
  for (let start = 0; start < indexed.length; start += 1000) await TaskFieldValue.rows(trx).insert(indexed.slice(start, start + 1000));
  const watchers = tasks.flatMap((task, index) => [...new Set(items[index]!.watcherIds)].map((userId) => ({ workspaceId: ws, taskId: task.id, userId })));
  if (watchers.length) await TaskWatcher.rows(trx).insert(watchers).onConflict(['taskId', 'userId']).ignore();
  await links.putMany(trx, 'task', tasks.map((task, index) => [items[index]!.record.externalId, task.id]));
  await appendEvents(
    trx,
    tasks.map((task) => ({ workspaceId: ws, actorId: caller.userId, taskId: task.id, projectId: task.projectId, type: 'task.created' as const, payload: { task: taskSnapshot(task) } })),
  );
  return tasks;
}

/** The labels exist (the import made or matched them); a label kept to some projects must be one of the task's. */
async function checkLabels(trx: Knex, workspaceId: number, items: NewTask[]): Promise<void> {
  const ids = [...new Set(items.flatMap((item) => item.resolved.labelIds))];
  if (ids.length === 0) return;
  const rows = (await Label.rows(trx).where({ workspaceId }).whereIn('id', ids).select('id', 'name', 'projectIds')) as Array<{ id: number; name: string; projectIds: number[] | null }>;
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  for (const { resolved } of items) {
    for (const id of resolved.labelIds) {
      const label = byId.get(id);
      if (!label) throw rowError('labels', `${id} is not a label of this workspace`);
      if (label.projectIds && !label.projectIds.map(Number).includes(resolved.project.id)) throw rowError('labels', `the label ${label.name} is not used in ${resolved.project.key}`);
    }
  }
}

export interface NewComment {
  record: CommentRecord;
  task: { id: number; projectId: number; title: string };
  userId: number;
  createdAt: Date;
}

/** Many new comments in a few statements, with the same rows, watchers, links and `comment.created` events as one at a time. */
export async function insertComments(trx: Knex.Transaction, caller: Caller, links: ImportLinks, items: NewComment[]): Promise<void> {
  if (items.length === 0) return;
  const ws = caller.workspaceId;
  const rows = [];
  for (const { record, task, userId, createdAt } of items) {
    rows.push({ workspaceId: ws, taskId: task.id, userId, comment: record.body, commentHtml: await renderText(trx, ws, record.body), mentions: '[]', createdAt, updatedAt: createdAt });
  }
  const comments = (await TaskComment.rows(trx).insert(rows).returning(COMMENT_COLUMNS)) as CommentRow[];
  const watchers = [...new Map(items.map((item) => [`${item.task.id}:${item.userId}`, { workspaceId: ws, taskId: item.task.id, userId: item.userId }])).values()];
  await TaskWatcher.rows(trx).insert(watchers).onConflict(['taskId', 'userId']).ignore();
  await links.putMany(trx, 'comment', comments.map((comment, index) => [items[index]!.record.externalId, comment.id]));
  await appendEvents(
    trx,
    comments.map((comment, index) => {
      const { task } = items[index]!;
      const snapshot = { id: comment.id, taskId: comment.taskId, userId: comment.userId, comment: comment.comment, commentHtml: comment.commentHtml, createdAt: comment.createdAt.toISOString(), updatedAt: comment.updatedAt.toISOString(), edited: false };
      return { workspaceId: ws, actorId: comment.userId, taskId: task.id, projectId: task.projectId, type: 'comment.created' as const, payload: { comment: snapshot, task: { id: task.id, title: task.title } } };
    }),
  );
}
