import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CreateFieldInput, CustomField, FieldListQuery, Page, UpdateFieldInput } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/fields`: the workspace's custom fields; a task holds their values in
 * `fields`, by key. Everyone reads them; admins and managers write them.
 */
export class Fields extends APIResource {
  /** Every custom field, by position; `project` keeps those tasks of that project have. */
  list(query?: FieldListQuery, options?: RequestOptions): Promise<Page<CustomField>> {
    return this.http.request({ method: 'GET', path: '/api/fields', query, options });
  }

  /** Creates a field (admins and managers); its `key` and `type` never change afterwards. */
  create(input: CreateFieldInput, options?: RequestOptions): Promise<CustomField> {
    return this.http.request({ method: 'POST', path: '/api/fields', body: input, options });
  }

  /** Changes a field; `options` is the whole list (an option left out is removed and cleared from tasks). */
  update(key: string, input: UpdateFieldInput, options?: RequestOptions): Promise<CustomField> {
    return this.http.request({ method: 'PATCH', path: path`/api/fields/${key}`, body: input, options });
  }

  /** Deletes a field and its value on every task. */
  delete(key: string, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/fields/${key}`, options });
  }
}
