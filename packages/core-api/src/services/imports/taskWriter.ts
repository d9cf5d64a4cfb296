import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { appendEvent } from '../../events/append.js';
import { Attachment, ATTACHMENT_COLUMNS, attachmentSnapshot, type AttachmentRow } from '../../models/Attachment.js';
import { COMMENT_COLUMNS, TaskComment, type CommentRow } from '../../models/TaskComment.js';
import { TASK_COLUMNS, Task, taskSnapshot, type TaskRow } from '../../models/Task.js';
import { TASK_PRIORITIES } from '../../schemas/tasks.js';
import type { ObjectStorage } from '../../storage/index.js';
import { cleanFilename, intake } from '../attachments/intake.js';
import { renderText } from '../markdown.js';
import { applyStructure, afterStructureWrite } from '../taskStructure.js';
import { endOfColumnSql } from '../taskRows.js';
import type { TaskService } from '../tasks.js';
import { watch } from '../watchers.js';
import type { WorkflowStatusDto } from '../../schemas/projects.js';
import type { ImportLinks } from './links.js';
import type { AttachmentRecord, CommentRecord, TaskRecord } from './records.js';
import { rowError, withPrefix, type ImportProject, type ImportSetup } from './setup.js';
import { fieldValueFromText } from './sources/fieldText.js';

export type Outcome = 'created' | 'updated' | 'unchanged';

/** What a task record resolves to before anything is written: checked in a dry run, written in a real one. */
export interface ResolvedTask {
  project: ImportProject;
  status: WorkflowStatusDto;
  priority: (typeof TASK_PRIORITIES)[number];
  assignedTo: number | null;
  createdBy: number;
  dueDate: Date | null;
  createdAt: Date | undefined;
  completedAt: Date | null | undefined;
  labelIds: number[];
  fields: Record<string, unknown> | undefined;
}

/**
 * Tasks, comments and attachments: the many records of an import, written
 * inside the batch transaction the writer gives (each record in its own
 * savepoint). Tasks are inserted here rather than through
 * `TaskService.createIn` because an import keeps what the source says —
 * who made the task, when, and an assignee who may not have accepted their
 * invitation yet (inactive) — but through the same structure checks
 * (labels, custom fields) and with the same `task.created` event.
 */
export class TaskWriter {
  constructor(
    readonly caller: Caller,
    private readonly setup: ImportSetup,
    private readonly links: ImportLinks,
    private readonly tasks: TaskService,
    private readonly storage: ObjectStorage,
    private readonly projectOf: (db: Knex, record: TaskRecord) => Promise<ImportProject>,
  ) {}

  /** Checks a task record against the workspace without writing (the dry run, and the first step of a write). */
  async resolve(db: Knex, record: TaskRecord): Promise<ResolvedTask> {
    if (typeof record.title !== 'string' || !/\S/.test(record.title)) throw rowError('title', 'is empty');
    if (record.title.length > 500) throw rowError('title', 'is longer than 500 characters');
    if ((record.description?.length ?? 0) > 20_000) throw rowError('description', 'is longer than 20000 characters');
    const project = await this.projectOf(db, record);
    if (project.archivedAt) throw rowError('project', `${project.key} is archived`);
    const status = record.status === undefined || record.status === '' ? openStatus(project.workflow) : statusNamed(project.workflow, record.status);
    if (!status) throw rowError('status', `"${record.status}" is not a status of ${project.key} (${project.workflow.map((s) => s.key).join(', ')})`);
    const priority = record.priority ?? 'medium';
    if (!TASK_PRIORITIES.includes(priority)) throw rowError('priority', `must be one of ${TASK_PRIORITIES.join(', ')}`);
    const dueDate = date(record.dueDate, 'dueDate');
    const createdAt = date(record.createdAt, 'createdAt') ?? undefined;
    const completedAt = record.completedAt === undefined ? undefined : date(record.completedAt, 'completedAt');
    const assignedTo = await this.person(db, record.assigneeExternalId, record.assigneeEmail, 'assignee');
    const createdBy = (await this.person(db, record.creatorExternalId, undefined, 'creator')) ?? this.caller.userId;
    const labelIds: number[] = [];
    for (const name of record.labels ?? []) {
      const id = await this.setup.label({ name });
      if (id !== undefined) labelIds.push(id);
    }
    return { project, status, priority, assignedTo: assignedTo ?? null, createdBy, dueDate, createdAt, completedAt, labelIds: [...new Set(labelIds)], fields: await this.fieldValues(db, record.fields) };
  }

  /** Creates the task, or (linked or with the same external id) updates what changed. */
  async task(trx: Knex.Transaction, record: TaskRecord): Promise<Outcome> {
    const resolved = await this.resolve(trx, record);
    const existing = await this.existing(trx, record.externalId);
    if (existing) return this.update(trx, record, existing, resolved);
    const ws = this.caller.workspaceId;
    const { project, status } = resolved;
    let structure;
    try {
      structure = await applyStructure(trx, ws, project.id, undefined, { labelIds: resolved.labelIds, ...(resolved.fields ? { fields: resolved.fields } : {}) });
    } catch (error) {
      throw withPrefix(error, '');
    }
    const [slot] = (await trx('projects').where({ id: project.id }).update({ nextNumber: trx.raw('next_number + 1') }).returning(trx.raw('next_number - 1 as number'))) as Array<{ number: number }>;
    const number = Number(slot!.number);
    const createdAt = resolved.createdAt ?? new Date();
    const [row] = (await Task.rows(trx)
      .insert({
        ...structure.patch,
        workspaceId: ws,
        projectId: project.id,
        number,
        identifier: `${project.key}-${number}`,
        title: record.title.trim(),
        description: record.description ?? '',
        descriptionHtml: await renderText(trx, ws, record.description ?? ''),
        status: status.key,
        statusCategory: status.category,
        priority: resolved.priority,
        assignedTo: resolved.assignedTo,
        createdBy: resolved.createdBy,
        dueDate: resolved.dueDate,
        position: endOfColumnSql(trx, { workspaceId: ws, projectId: project.id, status: status.key }),
        externalId: record.externalId.slice(0, 200),
        completedAt: resolved.completedAt !== undefined ? resolved.completedAt : status.category === 'completed' ? createdAt : null,
        createdAt,
        updatedAt: createdAt,
      })
      .returning(TASK_COLUMNS)) as TaskRow[];
    const task = row!;
    await afterStructureWrite(trx, task.id, structure, task.fields);
    await watch(trx, ws, task.id, await this.watcherIds(trx, record, resolved));
    await this.links.put(trx, 'task', record.externalId, task.id);
    // No notification: an import tells nobody "X assigned you" for a hundred thousand old tasks.
    await appendEvent(trx, { workspaceId: ws, actorId: this.caller.userId, taskId: task.id, projectId: task.projectId, type: 'task.created', payload: { task: taskSnapshot(task) } });
    return 'created';
  }

  /** Who watches a new task: its creator, its assignee, and the watchers the source names. */
  async watcherIds(db: Knex, record: TaskRecord, resolved: ResolvedTask): Promise<number[]> {
    const ids = [resolved.createdBy];
    if (resolved.assignedTo !== null) ids.push(resolved.assignedTo);
    for (const externalId of record.watcherExternalIds ?? []) {
      const id = await this.links.get(db, 'user', externalId);
      if (id !== undefined) ids.push(id);
    }
    return [...new Set(ids)];
  }

  private async update(trx: Knex.Transaction, record: TaskRecord, row: TaskRow, resolved: ResolvedTask): Promise<Outcome> {
    await this.links.put(trx, 'task', record.externalId, row.id);
    const input = {
      title: record.title.trim(),
      ...(record.description !== undefined ? { description: record.description } : {}),
      ...(record.status !== undefined && row.projectId === resolved.project.id ? { status: resolved.status.key } : {}),
      ...(record.priority !== undefined ? { priority: resolved.priority } : {}),
      ...(record.dueDate !== undefined ? { dueDate: resolved.dueDate?.toISOString() ?? null } : {}),
      ...(record.labels !== undefined ? { labelIds: resolved.labelIds } : {}),
      ...(resolved.fields ? { fields: resolved.fields } : {}),
    };
    try {
      const updated = await this.tasks.updateIn(trx, this.caller, row, input);
      return updated.version === row.version ? 'unchanged' : 'updated';
    } catch (error) {
      throw withPrefix(error, '');
    }
  }

  /** The task a record already made (its link), or one with its external id (an upsert). */
  private async existing(trx: Knex.Transaction, externalId: string): Promise<TaskRow | undefined> {
    const linked = await this.links.get(trx, 'task', externalId);
    const query = Task.rows(trx).where('workspaceId', this.caller.workspaceId).forNoKeyUpdate();
    if (linked !== undefined) query.where('id', linked);
    else query.where('externalId', externalId.slice(0, 200));
    return (await query.first(TASK_COLUMNS)) as TaskRow | undefined;
  }

  /** Checks a comment record and finds its task and author (nothing written). */
  async resolveComment(db: Knex, record: CommentRecord) {
    if (typeof record.body !== 'string' || !/\S/.test(record.body)) throw rowError('body', 'is empty');
    if (record.body.length > 10_000) throw rowError('body', 'is longer than 10000 characters');
    const createdAt = date(record.createdAt, 'createdAt') ?? new Date();
    const task = await this.linkedTask(db, record.taskExternalId);
    const userId = (await this.person(db, record.authorExternalId, record.authorEmail, 'author')) ?? this.caller.userId;
    return { record, task, userId, createdAt };
  }

  async comment(trx: Knex.Transaction, record: CommentRecord): Promise<Outcome> {
    const { task, userId, createdAt } = await this.resolveComment(trx, record);
    if ((await this.links.get(trx, 'comment', record.externalId)) !== undefined) return 'unchanged';
    const ws = this.caller.workspaceId;
    const [created] = (await TaskComment.rows(trx)
      .insert({ workspaceId: ws, taskId: task.id, userId, comment: record.body, commentHtml: await renderText(trx, ws, record.body), mentions: '[]', createdAt, updatedAt: createdAt })
      .returning(COMMENT_COLUMNS)) as CommentRow[];
    const comment = created!;
    await watch(trx, ws, task.id, [userId]);
    await this.links.put(trx, 'comment', record.externalId, comment.id);
    const snapshot = { id: comment.id, taskId: comment.taskId, userId: comment.userId, comment: comment.comment, commentHtml: comment.commentHtml, createdAt: comment.createdAt.toISOString(), updatedAt: comment.updatedAt.toISOString(), edited: false };
    await appendEvent(trx, { workspaceId: ws, actorId: userId, taskId: task.id, projectId: task.projectId, type: 'comment.created', payload: { comment: snapshot, task: { id: task.id, title: task.title } } });
    return 'created';
  }

  /** Copies the file into storage (sniffing its real type, as an upload), then records it. */
  async attachment(trx: Knex.Transaction, record: AttachmentRecord): Promise<Outcome> {
    const task = await this.linkedTask(trx, record.taskExternalId);
    const commentId = record.commentExternalId === undefined ? null : ((await this.links.get(trx, 'comment', record.commentExternalId)) ?? null);
    if ((await this.links.get(trx, 'attachment', record.externalId)) !== undefined) return 'unchanged';
    const ws = this.caller.workspaceId;
    const storageKey = `ws/${ws}/${randomUUID()}`;
    let stored: { size: number; contentType: string };
    try {
      stored = await intake(this.storage, storageKey, await record.open());
      const [created] = (await Attachment.rows(trx)
        .insert({ workspaceId: ws, taskId: task.id, commentId, filename: cleanFilename(record.filename), contentType: stored.contentType, size: stored.size, storageKey, thumbnailState: 'none', createdBy: this.caller.userId })
        .returning(ATTACHMENT_COLUMNS)) as AttachmentRow[];
      await this.links.put(trx, 'attachment', record.externalId, created!.id);
      await appendEvent(trx, { workspaceId: ws, actorId: this.caller.userId, taskId: task.id, projectId: task.projectId, type: 'attachment.added', payload: { attachment: attachmentSnapshot(created!), task: { id: task.id, title: task.title } } });
      return 'created';
    } catch (error) {
      await this.storage.remove([storageKey]).catch(() => {});
      throw error;
    }
  }

  /** The tasks a batch of comments names, read at once (the batch's cache; cleared by the next call). */
  async preloadTasks(db: Knex, ids: number[]): Promise<void> {
    this.tasksRead.clear();
    if (ids.length === 0) return;
    const rows = (await Task.rows(db).where({ workspaceId: this.caller.workspaceId }).whereIn('id', [...new Set(ids)]).select('id', 'projectId', 'title')) as Array<{ id: number; projectId: number; title: string }>;
    for (const row of rows) this.tasksRead.set(Number(row.id), { id: Number(row.id), projectId: Number(row.projectId), title: row.title });
  }

  private readonly tasksRead = new Map<number, { id: number; projectId: number; title: string }>();

  private async linkedTask(db: Knex, externalId: string): Promise<{ id: number; projectId: number; title: string }> {
    const id = await this.links.get(db, 'task', externalId);
    const row =
      id === undefined
        ? undefined
        : (this.tasksRead.get(id) ?? ((await Task.rows(db).where({ workspaceId: this.caller.workspaceId, id }).first('id', 'projectId', 'title')) as { id: number; projectId: number; title: string } | undefined));
    if (!row) throw rowError('task', `${externalId} is not a task of this import`);
    return row;
  }

  /** A person a record names: by the source's id (a user record), else by email (matched or invited). */
  private async person(db: Knex, externalId: string | undefined, email: string | undefined, field: string): Promise<number | undefined> {
    if (externalId) {
      const id = await this.links.get(db, 'user', externalId);
      if (id !== undefined) return id;
      if (!email) throw rowError(field, `${externalId} is not a user of this import`);
    }
    if (!email) return undefined;
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw rowError(field, `"${email}" is not an email address`);
    return this.setup.userByEmailOrCreate(email);
  }

  /** Custom-field values: user fields name a user of the import (or an email); the rest go as given. */
  private async fieldValues(db: Knex, given: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
    if (!given || Object.keys(given).length === 0) return undefined;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      const field = this.setup.fields.get(key);
      if (!field) throw rowError(`fields.${key}`, 'is not a custom field of this workspace');
      if (field.type === 'user' && typeof value === 'string') values[key] = await this.person(db, value.includes('@') ? undefined : value, value.includes('@') ? value : undefined, `fields.${key}`);
      // A CSV's values are text: converted for the field's type (numbers, checkboxes, dates, multi-selects).
      else values[key] = typeof value === 'string' ? fieldValueFromText(field.type, value) : value;
    }
    return values;
  }
}

function openStatus(workflow: readonly WorkflowStatusDto[]): WorkflowStatusDto {
  return workflow.find((s) => s.category === 'unstarted') ?? workflow.find((s) => s.category !== 'completed' && s.category !== 'canceled') ?? workflow[0]!;
}

/** A status by key, else by name (ignoring case). */
function statusNamed(workflow: readonly WorkflowStatusDto[], given: string): WorkflowStatusDto | undefined {
  const wanted = given.trim().toLowerCase();
  return workflow.find((s) => s.key === given) ?? workflow.find((s) => s.name.toLowerCase() === wanted || s.key === wanted.replace(/\s+/g, '_'));
}

function date(value: string | null | undefined, field: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const time = Date.parse(value);
  if (!Number.isFinite(time) || time < Date.parse('0001-01-01T00:00:00Z') || time > Date.parse('9999-12-31T00:00:00Z')) throw rowError(field, `"${value}" is not a date`);
  return new Date(time);
}
