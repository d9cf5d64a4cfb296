import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { path } from '../internal/path.js';
import type { Activity, ActivityQuery, BulkResult, BulkTasksInput, CreateTaskInput, MoveTaskInput, Page, Task, TaskCounts, TaskCountsQuery, TaskListQuery, TasksCsvQuery, UpdateTaskInput } from '../types.js';
import { APIResource } from './resource.js';
import { TaskRelations, TaskWatchers } from './task-links.js';
import { TaskReminders } from './task-reminders.js';

/** Options of a conditional write: `ifMatch` is the version you edited (or its ETag). */
export interface WriteOptions extends RequestOptions {
  /** A task version (`3`) or ETag (`"v3"`): a stale one rejects with a 412 {@link ConflictError}. */
  ifMatch?: number | string;
}

const ifMatch = (options?: WriteOptions) =>
  options?.ifMatch === undefined ? undefined : { 'if-match': typeof options.ifMatch === 'number' ? `"v${options.ifMatch}"` : options.ifMatch };

/** `/api/tasks`: the tasks of the workspace. */
export class Tasks extends APIResource {
  /** A task's links to other tasks: `client.tasks.relations.add(42, { type: 'blocks', taskId: 'CRM-7' })`. */
  readonly relations = new TaskRelations(this.http);
  /** Who watches a task: `client.tasks.watchers.add(42)` watches it yourself. */
  readonly watchers = new TaskWatchers(this.http);
  /** Reminders on a task: `client.tasks.reminders.create(42, { beforeDue: 'PT1H' })`. */
  readonly reminders = new TaskReminders(this.http);

  /** One page of tasks, filtered and sorted; pass `nextCursor` back as `cursor`. */
  list(query?: TaskListQuery, options?: RequestOptions): Promise<Page<Task>> {
    return this.http.request({ method: 'GET', path: '/api/tasks', query, options });
  }

  /** How many tasks match the list's filters, per status (a board's column totals). */
  counts(query?: TaskCountsQuery, options?: RequestOptions): Promise<TaskCounts> {
    return this.http.request({ method: 'GET', path: '/api/tasks/counts', query, options });
  }

  /**
   * Every task the list's filters select, as CSV text (one row per task, custom fields as columns), now: for a
   * view's worth of tasks. A whole workspace is better exported in the background (`client.exports`).
   */
  csv(query?: TasksCsvQuery, options?: RequestOptions): Promise<string> {
    return this.http.request<string | undefined>({ method: 'GET', path: '/api/tasks.csv', query, headers: { accept: 'text/csv' }, options }).then((text) => text ?? '');
  }

  /** Every matching task, page after page: `for await (const task of client.tasks.iterate({ status: ['todo'] }))`. */
  iterate(query: TaskListQuery = {}, options?: RequestOptions): AsyncGenerator<Task, void, undefined> {
    return paginate((q) => this.list(q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  /** One task by id or identifier (`'CRM-42'`, also one it had before moving to another project). */
  get(id: number | string, options?: RequestOptions): Promise<Task> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${id}`, options });
  }

  /** Creates a task (safe to retry: the POST carries an Idempotency-Key). */
  create(input: CreateTaskInput, options?: RequestOptions): Promise<Task> {
    return this.http.request({ method: 'POST', path: '/api/tasks', body: input, options });
  }

  /** Changes fields of a task; with `ifMatch`, only if nobody changed it meanwhile. */
  update(id: number, input: UpdateTaskInput, options?: WriteOptions): Promise<Task> {
    return this.http.request({ method: 'PATCH', path: path`/api/tasks/${id}`, body: input, headers: ifMatch(options), options });
  }

  /** Moves a task on the board: to a status, after and/or before another card. */
  move(id: number, input: MoveTaskInput, options?: WriteOptions): Promise<Task> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${id}/move`, body: input, headers: ifMatch(options), options });
  }

  /** Deletes a task; one with subtasks rejects with a 409 `has_subtasks` unless `cascade` (which deletes the whole subtree). */
  remove(id: number, options?: WriteOptions & { cascade?: boolean }): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${id}`, query: options?.cascade ? { cascade: true } : undefined, headers: ifMatch(options), options });
  }

  /** A task's history, oldest first. */
  activity(id: number, query?: ActivityQuery, options?: RequestOptions): Promise<Page<Activity>> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${id}/activity`, query, options });
  }

  /** Creates or updates up to 100 tasks; each item has its own result. */
  bulk(input: BulkTasksInput, options?: RequestOptions): Promise<BulkResult> {
    return this.http.request({ method: 'POST', path: '/api/tasks/bulk', body: input, options });
  }
}
