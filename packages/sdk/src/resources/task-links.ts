import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { AddRelationInput, AddWatcherInput, Page, TaskRelation, WatcherList } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/tasks/:id/relations`: links between tasks (`client.tasks.relations`); the task by its id. */
export class TaskRelations extends APIResource {
  /** The task's links, each read from its side: `blocked_by` means the other task blocks this one. */
  list(taskId: number, options?: RequestOptions): Promise<Page<TaskRelation>> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/relations`, options });
  }

  /**
   * Links the task to another (`input.taskId`: its id or identifier, `'CRM-42'`): `blocks`, `relates_to` or `duplicates`.
   * A self-link, a `blocks` cycle or a task you cannot see reject with a 422; an existing link with a 409 `relation_exists`.
   */
  add(taskId: number, input: AddRelationInput, options?: RequestOptions): Promise<TaskRelation> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${taskId}/relations`, body: input, options });
  }

  /** Removes a link (from both tasks). */
  remove(taskId: number, relationId: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${taskId}/relations/${relationId}`, options });
  }
}

/** `/api/tasks/:id/watchers`: who is notified of a task's changes (`client.tasks.watchers`). */
export class TaskWatchers extends APIResource {
  /** The watchers, and whether you are one of them. */
  list(taskId: number, options?: RequestOptions): Promise<WatcherList> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/watchers`, options });
  }

  /** Starts watching (yourself by default; managers and admins may add anyone who sees the task). */
  add(taskId: number, input: AddWatcherInput = {}, options?: RequestOptions): Promise<WatcherList> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${taskId}/watchers`, body: input, options });
  }

  /** Stops someone watching: a user id, or `'me'`. */
  remove(taskId: number, userId: number | 'me', options?: RequestOptions): Promise<WatcherList> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${taskId}/watchers/${userId}`, options });
  }
}
