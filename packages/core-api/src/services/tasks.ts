import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, conflict, notFound } from '../domain/errors.js';
import { STATUS_CATEGORIES, type StatusCategory } from '../schemas/projects.js';
import type { TaskCountsByStatusDto, TaskCountsInput, TaskCreateInput, TaskListInput, TaskMoveInput, TaskUpdateInput } from '../schemas/tasks.js';
import { toPage } from './cursor.js';
import { appendEvent, appendEvents, type NewEvent } from '../events/append.js';
import { notify, type NotificationInput } from './notify.js';
import { watchedChangeWords } from './watchedChanges.js';
import { assertTaskAction } from './policy.js';
import type { ProjectService } from './projects.js';
import { applyTaskFilters, applyTaskSort, pageByField } from './taskQuery.js';
import { applyResolvedFilters, resolveFilters, sortFieldConditions, withView } from './taskFilters.js';
import { positionBetween, renumberColumn } from './taskPlacement.js';
import { endOfColumnSql, lockTask, toTaskDto } from './taskRows.js';
import { diff, setCategory, staleVersion } from './taskChanges.js';
import { assertAssignee, checkAssignee, takeSlot, type Slot } from './taskSlots.js';
import { afterStructureWrite, applyStructure, assertMovable, descendantIds } from './taskStructure.js';
import { watch, watchQuery, watcherIds } from './watchers.js';
import { afterOccurrenceCompleted, changeRecurrence, startSeries, type Occurrence } from './recurrence.js';
import { moveReminders } from './reminders.js';
import { moveToProject } from './taskMoves.js';
import { renderText } from './markdown.js';
import { taskActivity } from './taskActivity.js';
import { DEFAULT_WORKFLOW, firstOpenStatus, statusIn } from './workflow.js';
import { Project, whereProjectVisible, type ProjectViewer } from '../models/Project.js';
import { TASK_COLUMNS, taskSnapshot, type TaskRow, Task } from '../models/Task.js';

const IDENTIFIER = /^[A-Z][A-Z0-9]{1,9}-[1-9][0-9]{0,8}$/;

/** Tasks: the rules, the event log and the notifications of every change. */
export class TaskService {
  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
  ) {}

  async list(caller: Caller, given: TaskListInput) {
    const input = await withView(this.knex, caller, given);
    const limit = input.limit ?? 50;
    const filtered = await this.filtered(caller, input);
    const sort = input.sort ?? '-createdAt';
    if (filtered.sortField) {
      const { rows, cursorOf } = await pageByField(filtered.query, sort, filtered.sortField, input.cursor, limit, filtered.sortConditions);
      return toPage(rows, limit, (row) => toTaskDto(row, caller), cursorOf);
    }
    const query = filtered.query().select(TASK_COLUMNS).limit(limit + 1);
    const cursorOf = applyTaskSort(query, sort, input.cursor);
    const rows = (await query) as TaskRow[];
    return toPage(rows, limit, (row) => toTaskDto(row, caller), cursorOf);
  }

  /** The tasks a list's filters select (a view's included), as a query to build on; and a custom-field sort if asked. */
  private async filtered(caller: Caller, input: TaskListInput) {
    const projectId = await this.projectFilter(caller, input);
    const resolved = await resolveFilters(this.knex, caller, input, async (ref) => (await this.get(caller, ref)).id);
    const query = () => {
      const builder = this.visible(caller);
      applyTaskFilters(builder, caller, input, projectId);
      applyResolvedFilters(builder, resolved, resolved.sortField?.fieldId);
      return builder;
    };
    return { query, sortField: resolved.sortField, sortConditions: sortFieldConditions(resolved) };
  }

  /**
   * The tasks the list's filters select for the caller (a saved view's included), without order or paging: a function
   * narrowing a query on `tasks` made on any connection (an export reads in its own snapshot). Names resolve now.
   */
  async selection(caller: Caller, given: TaskCountsInput): Promise<(query: Knex.QueryBuilder) => Knex.QueryBuilder> {
    const input = await withView(this.knex, caller, given);
    const projectId = await this.projectFilter(caller, input);
    const resolved = await resolveFilters(this.knex, caller, input, async (ref) => (await this.get(caller, ref)).id);
    return (query) => {
      whereProjectVisible(query.where('workspaceId', caller.workspaceId), caller);
      applyTaskFilters(query, caller, input, projectId);
      applyResolvedFilters(query, resolved);
      return query;
    };
  }

  /**
   * How many tasks match the list's filters, per status and per category:
   * what a board shows as each column's true count while it loads the cards
   * page by page. With a project, every status of its workflow is listed.
   */
  async counts(caller: Caller, given: TaskCountsInput): Promise<TaskCountsByStatusDto> {
    const input = await withView(this.knex, caller, given);
    const project = input.project === undefined ? undefined : await this.projects.get(caller, input.project);
    const { query: filtered } = await this.filtered(caller, { ...input, sort: undefined });
    const query = filtered().select('status', 'statusCategory').count({ count: '*' }).groupBy('status', 'statusCategory');
    const rows = (await query) as Array<{ status: string; statusCategory: StatusCategory; count: string | number }>;
    // Without a project, the default workflow's statuses are always listed, as they were before projects.
    const byStatus: Record<string, number> = Object.fromEntries((project?.workflow ?? DEFAULT_WORKFLOW).map((status) => [status.key, 0]));
    const byCategory = Object.fromEntries(STATUS_CATEGORIES.map((category) => [category, 0])) as Record<StatusCategory, number>;
    for (const row of rows) {
      byStatus[row.status] = (byStatus[row.status] ?? 0) + Number(row.count);
      byCategory[row.statusCategory] += Number(row.count);
    }
    return { byStatus, byCategory, total: rows.reduce((sum, row) => sum + Number(row.count), 0) };
  }

  /** A task the caller may see, by id or identifier (`CRM-42`, also one it had before a move); 404 otherwise. */
  async get(caller: Caller, ref: number | string): Promise<TaskRow> {
    const id = await this.resolveId(caller, ref);
    const row = await this.visible(caller).where('id', id).first(TASK_COLUMNS);
    if (!row) throw notFound('Task');
    return row as TaskRow;
  }

  /** The id a path names: an id, a current identifier, or one the task had before it moved. */
  async resolveId(caller: Pick<Caller, 'workspaceId'>, ref: number | string): Promise<number> {
    if (typeof ref === 'number' || /^[0-9]+$/.test(ref)) return Number(ref);
    if (!IDENTIFIER.test(ref)) throw notFound('Task');
    const [key, number] = ref.split('-') as [string, string];
    // The current identifier; one the task had before a move; or one made with its project's former key.
    const row = (await this.knex.raw(
      `select id from tasks where workspace_id = ? and identifier = ?
       union all select task_id from task_aliases where workspace_id = ? and identifier = ?
       union all select t.id from project_key_aliases a join tasks t on t.project_id = a.project_id and t.number = ?
         where a.workspace_id = ? and a.key = ?
       limit 1`,
      [caller.workspaceId, ref, caller.workspaceId, ref, Number(number), caller.workspaceId, key],
    )).rows[0] as { id: number } | undefined;
    if (!row) throw notFound('Task');
    return Number(row.id);
  }

  /** Whether the viewer may see this task (a realtime `task:<id>` topic needs one). */
  async exists(viewer: ProjectViewer, id: number): Promise<boolean> {
    return (await this.visible(viewer).where('id', id).first('id')) !== undefined;
  }

  /** Tasks the caller may see by id, in one query; unknown ids are left out (batch loaders). */
  async getMany(caller: Caller, ids: readonly number[]): Promise<TaskRow[]> {
    if (ids.length === 0) return [];
    return (await this.visible(caller).whereIn('id', ids).select(TASK_COLUMNS)) as TaskRow[];
  }

  async create(caller: Caller, input: TaskCreateInput): Promise<TaskRow> {
    try {
      const slot = await takeSlot(this.knex, caller, input.projectId, input.assignedTo);
      return await this.knex.transaction((trx) => this.createIn(trx, caller, input, slot));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new DomainError(409, {
        code: 'external_id_taken',
        detail: 'A task with this externalId already exists; update it, or upsert with POST /api/tasks/bulk',
        errors: [{ path: 'externalId', in: 'body', message: 'is already used by another task' }],
      });
    }
  }

  /** Creates a task inside `trx` (also used by bulk import, which takes its slot there, and by a series for its occurrences). */
  async createIn(trx: Knex.Transaction, caller: Caller, input: TaskCreateInput, taken?: Slot, occurrence?: Occurrence): Promise<TaskRow> {
    const slot = taken ?? (await takeSlot(trx, caller, input.projectId, input.assignedTo));
    assertAssignee(slot);
    const { project } = slot;
    const status = input.status === undefined ? firstOpenStatus(project.workflow) : statusIn(project, input.status);
    const structure = await applyStructure(trx, caller.workspaceId, project.id, undefined, input);
    const [row] = (await Task.rows(trx)
      .insert({
        ...structure.patch,
        workspaceId: caller.workspaceId,
        projectId: project.id,
        number: slot.number,
        identifier: `${project.key}-${slot.number}`,
        title: input.title.trim(),
        description: input.description ?? '',
        descriptionHtml: await renderText(trx, caller.workspaceId, input.description ?? ''),
        status: status.key,
        statusCategory: status.category,
        priority: input.priority ?? 'medium',
        assignedTo: input.assignedTo ?? null,
        createdBy: caller.userId,
        dueDate: input.dueDate ?? null,
        position: input.position ?? endOfColumnSql(trx, { workspaceId: caller.workspaceId, projectId: project.id, status: status.key }),
        externalId: input.externalId ?? null,
        completedAt: status.category === 'completed' ? new Date() : null,
        recurrenceOf: occurrence?.seriesId ?? null,
        occurrenceAt: occurrence?.at ?? null,
      })
      .returning(TASK_COLUMNS)) as TaskRow[];
    let task = row!;
    if (input.recurrence) {
      const series = await startSeries(trx, caller, task, input.recurrence, task.dueDate);
      [task] = (await Task.rows(trx).where({ id: task.id }).update(series).returning(TASK_COLUMNS)) as [TaskRow];
    }
    await afterStructureWrite(trx, task.id, structure, task.fields);
    const base = { workspaceId: caller.workspaceId, actorId: caller.userId, taskId: task.id, projectId: task.projectId };
    const snapshot = taskSnapshot(task);
    // The watchers, the events and the assignee's notification go in one statement (see notify).
    const events: NewEvent[] = [{ ...base, type: 'task.created', payload: { task: snapshot } }];
    if (task.assignedTo !== null) events.push({ ...base, type: 'task.assigned', payload: { task: snapshot, from: null, to: task.assignedTo } });
    const watchers = watchQuery(trx, caller.workspaceId, task.id, [caller.userId, task.assignedTo]);
    await notify(
      trx,
      { ...base, recipients: [task.assignedTo], type: 'task.assigned', message: `${caller.name} assigned you "${task.title}"` },
      { events, inserts: watchers ? [watchers] : [] },
    );
    return task;
  }

  /**
   * Applies a partial update. With `expectedVersion` (from If-Match) a stale
   * write answers 412 and changes nothing.
   */
  update(caller: Caller, id: number, input: TaskUpdateInput, expectedVersion?: number): Promise<TaskRow> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller, id);
      return this.updateIn(trx, caller, row, input, expectedVersion);
    });
  }

  async updateIn(trx: Knex.Transaction, caller: Caller, row: TaskRow, input: TaskUpdateInput, expectedVersion?: number): Promise<TaskRow> {
    assertTaskAction(caller, row, 'update');
    if (expectedVersion !== undefined && expectedVersion !== row.version) throw staleVersion(row, caller);
    const { labelIds, parentId, fields, recurrence, ...plain } = input;
    const changes = diff(row, plain);
    const patch: Record<string, unknown> = { version: row.version + 1, updatedAt: new Date() };
    for (const [field, change] of Object.entries(changes)) patch[field] = change.to;
    if (changes.description) patch.descriptionHtml = await renderText(trx, row.workspaceId, changes.description.to as string);
    if (changes.projectId) assertMovable(row, input);
    const structure = await applyStructure(trx, row.workspaceId, (changes.projectId?.to as number | undefined) ?? row.projectId, row, { labelIds, parentId, fields });
    Object.assign(patch, structure.patch);
    Object.assign(changes, structure.changes);
    if (recurrence !== undefined) {
      const due = changes.dueDate ? (changes.dueDate.to === null ? null : new Date(changes.dueDate.to as string)) : row.dueDate;
      const series = await changeRecurrence(trx, caller, row, recurrence, due);
      if (series.change) changes.recurrence = series.change;
      Object.assign(patch, series.patch);
    }
    if (Object.keys(changes).length === 0) return row;
    if (changes.projectId) {
      await moveToProject(trx, caller, row, input, changes, patch);
    } else if (changes.status) {
      const project = (await Project.rows(trx).where({ id: row.projectId }).first('key', 'workflow')) as Slot['project'];
      const status = statusIn(project, input.status!);
      setCategory(row, status.category, changes, patch);
      if (input.position === undefined) patch.position = endOfColumnSql(trx, { workspaceId: row.workspaceId, projectId: row.projectId, status: status.key });
    }
    if (changes.assignedTo) {
      assertTaskAction(caller, row, 'assign');
      if (input.assignedTo != null) await checkAssignee(trx, row.workspaceId, (patch.projectId as number | undefined) ?? row.projectId, input.assignedTo);
    }
    const [updated] = (await Task.rows(trx)
      .where({ workspaceId: row.workspaceId, id: row.id })
      .update(patch)
      .returning(TASK_COLUMNS)) as TaskRow[];
    const task = updated!;
    await afterStructureWrite(trx, task.id, structure, undefined);
    if (changes.assignedTo) await watch(trx, row.workspaceId, task.id, [task.assignedTo]);
    const snapshot = taskSnapshot(task);
    const base = { workspaceId: row.workspaceId, actorId: caller.userId, taskId: row.id, projectId: task.projectId };
    // The events go with the first notification's statement (see notify); later ones only carry their own.
    let events: NewEvent[] = [{ ...base, type: 'task.updated', payload: { task: snapshot, changes } }];
    if (changes.projectId) {
      // The old project's subscribers learn the card left their board.
      events.push({ ...base, projectId: row.projectId, type: 'task.project_changed', payload: { task: snapshot, from: row.projectId, to: task.projectId } });
    }
    if (changes.status) events.push({ ...base, type: 'task.status_changed', payload: { task: snapshot, from: changes.status.from, to: changes.status.to } });
    if (changes.assignedTo) events.push({ ...base, type: 'task.assigned', payload: { task: snapshot, ...changes.assignedTo } });
    const notifyWith = async (input: Omit<NotificationInput, keyof typeof base>) => {
      await notify(trx, { ...base, ...input }, { events });
      events = [];
    };
    if (changes.status) {
      await notifyWith({
        recipients: await watcherIds(trx, task.id),
        type: 'task.status_changed',
        message: `${caller.name} moved "${task.title}" to ${String(changes.status.to).replace(/_/g, ' ')}`,
      });
    }
    if (changes.assignedTo) await notifyWith({ recipients: [task.assignedTo], type: 'task.assigned', message: `${caller.name} assigned you "${task.title}"` });
    // Other edits: one notification per update to the watchers, unless a status change told them already
    // (a new assignee heard of the assignment).
    const edited = watchedChangeWords(changes);
    if (edited && !changes.status) {
      const watchers = (await watcherIds(trx, task.id)).filter((id) => !changes.assignedTo || id !== task.assignedTo);
      await notifyWith({ recipients: watchers, type: 'task.watched_change', message: `${caller.name} changed ${edited} of "${task.title}"` });
    }
    await appendEvents(trx, events);
    if (changes.dueDate) await moveReminders(trx, task);
    if (changes.statusCategory?.to === 'completed') await afterOccurrenceCompleted(trx, this, task);
    return task;
  }

  /**
   * Moves a card to a status column of its project, between two
   * neighbours. Only the moved card is written, unless the gap between its
   * neighbours has worn too thin, when the column is renumbered once.
   */
  move(caller: Caller, id: number, input: TaskMoveInput, expectedVersion?: number): Promise<TaskRow> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller, id);
      assertTaskAction(caller, row, 'move');
      const column = { workspaceId: caller.workspaceId, projectId: row.projectId, status: input.status ?? row.status };
      let position = await positionBetween(trx, column, id, input);
      if (position === undefined) {
        await renumberColumn(trx, column);
        position = (await positionBetween(trx, column, id, input))!;
      }
      return this.updateIn(trx, caller, row, { status: column.status, position }, expectedVersion);
    });
  }

  /**
   * Deletes a task. One with subtasks is refused (409 `has_subtasks`) unless
   * `cascade`, which deletes its subtasks at every depth too, each with its
   * own `task.deleted` event (the caller must be allowed to delete each).
   */
  remove(caller: Caller, id: number, expectedVersion?: number, cascade = false): Promise<void> {
    return this.knex.transaction(async (trx) => {
      const row = await lockTask(trx, caller, id);
      assertTaskAction(caller, row, 'delete');
      if (expectedVersion !== undefined && expectedVersion !== row.version) throw staleVersion(row, caller);
      const below = row.subtasks.total > 0 ? await descendantIds(trx, id) : [];
      if (below.length && !cascade) {
        throw conflict(`${row.identifier} has ${below.length} subtask${below.length === 1 ? '' : 's'}: delete with ?cascade=true to delete them too, or detach them first`, 'has_subtasks');
      }
      // Deepest first, so that no task is deleted while a subtask still points at it.
      const rows: TaskRow[] = [];
      for (const subtaskId of [...below].reverse()) rows.push(await lockTask(trx, caller, subtaskId));
      for (const task of [...rows, row]) {
        assertTaskAction(caller, task, 'delete');
        await Task.rows(trx).where({ workspaceId: task.workspaceId, id: task.id }).delete();
        await appendEvent(trx, {
          workspaceId: task.workspaceId,
          actorId: caller.userId,
          taskId: task.id,
          projectId: task.projectId,
          type: 'task.deleted',
          payload: { task: taskSnapshot(task) },
        });
      }
    });
  }

  /** The task's history, oldest first, from the event log. */
  async activity(caller: Caller, id: number, input: { limit?: number; cursor?: string }) {
    await this.get(caller, id);
    return taskActivity(this.knex, caller, id, input);
  }

  /** The caller's workspace's tasks, narrowed to the projects they may see. */
  private visible(viewer: ProjectViewer): Knex.QueryBuilder {
    return whereProjectVisible(Task.rows(this.knex).where('workspaceId', viewer.workspaceId), viewer);
  }

  /** The project a list names (`?project=`), as an id; 404 for one the caller cannot see. */
  private async projectFilter(caller: Caller, input: { project?: string }): Promise<number | undefined> {
    return input.project === undefined ? undefined : (await this.projects.get(caller, input.project)).id;
  }
}
