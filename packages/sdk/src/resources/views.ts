import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CreateViewInput, Page, SavedView, UpdateViewInput, ViewListQuery } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/views`: saved task lists (filters and sort as a query string, and a
 * layout). Yours and the shared ones; `client.tasks.list({ view: id })` applies one.
 */
export class Views extends APIResource {
  /** Your views and the shared ones, by position; `project` keeps that project's and those of no project. */
  list(query?: ViewListQuery, options?: RequestOptions): Promise<Page<SavedView>> {
    return this.http.request({ method: 'GET', path: '/api/views', query, options });
  }

  /** One view (yours or a shared one). */
  get(id: number, options?: RequestOptions): Promise<SavedView> {
    return this.http.request({ method: 'GET', path: path`/api/views/${id}`, options });
  }

  /** Saves a view, e.g. `{ name: 'Bugs', query: 'label=bug&sort=-dueDate', layout: 'list' }`. */
  create(input: CreateViewInput, options?: RequestOptions): Promise<SavedView> {
    return this.http.request({ method: 'POST', path: '/api/views', body: input, options });
  }

  /** Changes a view (its owner; admins and managers also a shared one: see `can`). */
  update(id: number, input: UpdateViewInput, options?: RequestOptions): Promise<SavedView> {
    return this.http.request({ method: 'PATCH', path: path`/api/views/${id}`, body: input, options });
  }

  /** Deletes a view (same rights as `update`). */
  delete(id: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/views/${id}`, options });
  }
}
