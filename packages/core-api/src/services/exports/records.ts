import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { Attachment } from '../../models/Attachment.js';
import { CustomField, FIELD_COLUMNS, fieldSnapshot, type CustomFieldRow } from '../../models/CustomField.js';
import { LABEL_COLUMNS, Label, labelSnapshot, type LabelRow } from '../../models/Label.js';
import { PROJECT_COLUMNS, Project, projectSnapshot, whereProjectVisible, type ProjectRow } from '../../models/Project.js';
import { TASK_COLUMNS, Task, taskSnapshot, type TaskRow } from '../../models/Task.js';
import { TaskComment } from '../../models/TaskComment.js';
import { TaskRelation, TaskWatcher } from '../../models/TaskRelation.js';
import { User } from '../../models/User.js';

/** Rows per query: a page of tasks with their computed columns stays well under a few MB. */
export const PAGE = 500;

/**
 * What an export reads, and as whom. `whole`: every row of the workspace
 * (an admin's unfiltered export, the CLI); otherwise the tasks `select`
 * narrows to (what the caller can see, filtered), and only the comments,
 * relations and attachments of those tasks.
 */
export interface ExportReader {
  db: Knex;
  caller: Caller;
  whole: boolean;
  projectId: number | null;
  /** Narrows a query on `tasks` to the exported ones. */
  select: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
}

type Record_ = Record<string, unknown>;

/** Keyset pages of a query ordered by `column` (an id), PAGE rows at a time. */
async function* pages<R extends { id: number }>(query: () => Knex.QueryBuilder, column = 'id'): AsyncGenerator<R[]> {
  for (let after = 0; ; ) {
    const rows = (await query().where(column, '>', after).orderBy(column).limit(PAGE)) as R[];
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows.at(-1)!.id);
    if (rows.length < PAGE) return;
  }
}

/** The ids of the exported tasks, as a subquery. */
const taskIds = (reader: ExportReader) => reader.select(Task.rows(reader.db)).select('tasks.id');

/** Users without any secret: what the users list shows, plus time zone. */
export async function* users(reader: ExportReader): AsyncGenerator<Record_[]> {
  const query = () => User.rows(reader.db).where('workspaceId', reader.caller.workspaceId).select('id', 'name', 'email', 'role', 'active', 'externalId', 'timezone');
  for await (const rows of pages<Record_ & { id: number }>(query)) yield rows;
}

/** Projects the reader may see (one, with a project scope), with their workflow and members. */
export async function* projects(reader: ExportReader): AsyncGenerator<Record_[]> {
  const query = () => {
    const builder = whereProjectVisible(Project.rows(reader.db).where('workspaceId', reader.caller.workspaceId), reader.caller, 'id')
      .select(PROJECT_COLUMNS)
      .select(reader.db.raw('array(select m.user_id::int from project_members m where m.project_id = projects.id order by m.user_id) as member_ids'));
    if (reader.projectId !== null) builder.where('id', reader.projectId);
    return builder;
  };
  for await (const rows of pages<ProjectRow & { memberIds: number[] }>(query)) {
    yield rows.map((row) => ({
      ...projectSnapshot(row),
      private: row.visibility === 'private',
      archived: row.archivedAt !== null,
      memberIds: row.memberIds.map(Number),
    }));
  }
}

export async function* labels(reader: ExportReader): AsyncGenerator<Record_[]> {
  const query = () => Label.rows(reader.db).where('workspaceId', reader.caller.workspaceId).select(LABEL_COLUMNS);
  for await (const rows of pages<LabelRow>(query)) yield rows.map(labelSnapshot);
}

/** Custom fields: every one of the workspace, or those that apply to the exported project. */
export function fieldQuery(reader: ExportReader): Knex.QueryBuilder {
  const query = CustomField.rows(reader.db).where('workspaceId', reader.caller.workspaceId).select(FIELD_COLUMNS);
  if (reader.projectId !== null) query.where((scope) => scope.whereNull('projectIds').orWhereRaw('? = any(project_ids)', [reader.projectId]));
  return query;
}

export async function* fields(reader: ExportReader): AsyncGenerator<Record_[]> {
  for await (const rows of pages<CustomFieldRow>(() => fieldQuery(reader))) yield rows.map(fieldSnapshot);
}

/** The exported tasks as rows (the CSV reads these). */
export function taskPages(reader: ExportReader, extra: Array<string | Knex.Raw> = []): AsyncGenerator<TaskRow[]> {
  return pages<TaskRow>(() => reader.select(Task.rows(reader.db)).select([...TASK_COLUMNS, ...extra]), 'tasks.id');
}

/** Tasks as the API shows them (no `can`, no rendered HTML), with who watches each. */
export async function* tasks(reader: ExportReader): AsyncGenerator<Record_[]> {
  for await (const rows of taskPages(reader)) {
    const watched = (await TaskWatcher.rows(reader.db)
      .whereIn(
        'taskId',
        rows.map((row) => row.id),
      )
      .orderBy(['taskId', 'userId'])
      .select('taskId', 'userId')) as Array<{ taskId: number; userId: number }>;
    const watchers = new Map<number, number[]>();
    for (const { taskId, userId } of watched) watchers.set(Number(taskId), [...(watchers.get(Number(taskId)) ?? []), Number(userId)]);
    yield rows.map((row) => {
      const { descriptionHtml: _html, ...task } = taskSnapshot(row);
      return { ...task, watcherIds: watchers.get(row.id) ?? [] };
    });
  }
}

/** Narrows a query on a table with `task_id` and `workspace_id` to the exported tasks'. */
function ofTasks(reader: ExportReader, query: Knex.QueryBuilder, column = 'taskId'): Knex.QueryBuilder {
  query.where('workspaceId', reader.caller.workspaceId);
  return reader.whole ? query : query.whereIn(column, taskIds(reader));
}

export async function* comments(reader: ExportReader): AsyncGenerator<Record_[]> {
  const query = () => ofTasks(reader, TaskComment.rows(reader.db)).select('id', 'taskId', 'userId', 'comment', 'createdAt', 'updatedAt');
  for await (const rows of pages<{ id: number; taskId: number; userId: number; comment: string; createdAt: Date; updatedAt: Date }>(query)) {
    yield rows.map((row) => ({ id: row.id, taskId: row.taskId, authorId: row.userId, body: row.comment, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }));
  }
}

/** Each link once, as stored (a `relates_to` pair is one row): both its ends among the exported tasks. */
export async function* relations(reader: ExportReader): AsyncGenerator<Record_[]> {
  const query = () => {
    const builder = ofTasks(reader, TaskRelation.rows(reader.db)).select('id', 'taskId', 'type', 'relatedTaskId');
    return reader.whole ? builder : builder.whereIn('relatedTaskId', taskIds(reader));
  };
  for await (const rows of pages<{ id: number; taskId: number; type: string; relatedTaskId: number }>(query)) {
    yield rows.map((row) => ({ taskId: row.taskId, type: row.type, relatedTaskId: row.relatedTaskId }));
  }
}

export interface AttachmentEntry {
  id: number;
  storageKey: string;
  record: Record_;
}

export async function* attachments(reader: ExportReader): AsyncGenerator<AttachmentEntry[]> {
  const query = () => ofTasks(reader, Attachment.rows(reader.db)).select('id', 'taskId', 'commentId', 'filename', 'contentType', 'size', 'storageKey');
  type Row = { id: number; taskId: number; commentId: number | null; filename: string; contentType: string; size: number | string; storageKey: string };
  for await (const rows of pages<Row>(query)) {
    yield rows.map((row) => ({
      id: row.id,
      storageKey: row.storageKey,
      record: { id: row.id, taskId: row.taskId, commentId: row.commentId, filename: row.filename, contentType: row.contentType, size: Number(row.size), path: `files/${row.id}` },
    }));
  }
}

/** How many tasks an export holds (a CSV's progress total). */
export async function taskTotal(reader: ExportReader): Promise<number> {
  return Number(((await reader.select(Task.rows(reader.db)).count({ count: '*' })) as Array<{ count: string | number }>)[0]!.count);
}

/** How many tasks, comments and files an archive will hold, for its progress bar (the index counts what was written). */
export async function totals(reader: ExportReader): Promise<number> {
  const count = async (query: Knex.QueryBuilder) => Number(((await query.count({ count: '*' })) as Array<{ count: string | number }>)[0]!.count);
  // One after another: an export's snapshot is one connection.
  const taskCount = await count(reader.select(Task.rows(reader.db)));
  const commentCount = await count(ofTasks(reader, TaskComment.rows(reader.db)));
  const attachmentCount = await count(ofTasks(reader, Attachment.rows(reader.db)));
  return taskCount + commentCount + attachmentCount;
}
