import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CreateLabelInput, Label, LabelListQuery, Page, UpdateLabelInput } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/labels`: the workspace's labels, which tasks carry through `labelIds`.
 * Everyone reads them; admins and managers write them.
 */
export class Labels extends APIResource {
  /** Every label (the list is answered whole, sorted by name); `project` keeps those a task of that project may carry, `q` those whose name contains it. */
  list(query?: LabelListQuery, options?: RequestOptions): Promise<Page<Label>> {
    return this.http.request({ method: 'GET', path: '/api/labels', query, options });
  }

  /** Creates a label (admins and managers); its name is unique in the workspace, whatever its case. */
  create(input: CreateLabelInput, options?: RequestOptions): Promise<Label> {
    return this.http.request({ method: 'POST', path: '/api/labels', body: input, options });
  }

  /** Renames, recolours or limits a label to some projects (`projectIds: null`: every project). */
  update(id: number, input: UpdateLabelInput, options?: RequestOptions): Promise<Label> {
    return this.http.request({ method: 'PATCH', path: path`/api/labels/${id}`, body: input, options });
  }

  /** Deletes a label; the tasks carrying it lose it. */
  delete(id: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/labels/${id}`, options });
  }
}
