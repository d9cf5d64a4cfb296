import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { NotFoundError } from '../core/errors.js';
import { path } from '../internal/path.js';
import type { CreateExportInput, ExportJob, ExportListQuery, Page } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/exports`: a zip of what you can see (`json`, the whole workspace for
 * an admin with no filters) or a CSV of tasks, made in the background.
 * Follow a job with `get` (or the `jobs` realtime topic), then `download` it.
 */
export class Exports extends APIResource {
  /** Starts an export: `{ format: 'json' | 'csv', projectId?, filters? }` (the task list's filters). */
  create(input: CreateExportInput, options?: RequestOptions): Promise<ExportJob> {
    return this.http.request({ method: 'POST', path: '/api/exports', body: input, options });
  }

  /** An export's progress; once done, `download.url` (signed, valid 15 minutes). */
  get(id: number, options?: RequestOptions): Promise<ExportJob> {
    return this.http.request({ method: 'GET', path: path`/api/exports/${id}`, options });
  }

  /** Your exports, newest first (an admin: the workspace's). */
  list(query?: ExportListQuery, options?: RequestOptions): Promise<Page<ExportJob>> {
    return this.http.request({ method: 'GET', path: '/api/exports', query, options });
  }

  iterate(query: ExportListQuery = {}, options?: RequestOptions): AsyncGenerator<ExportJob, void, undefined> {
    return paginate((q) => this.list(q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  /**
   * A finished export's file, as a fetch Response to stream (`response.body`) or
   * read (`await response.blob()`): fetched through a fresh signed URL, so no
   * token travels with it. Rejects with a NotFoundError while it is not ready,
   * and once its file expired.
   */
  async download(id: number, options?: RequestOptions): Promise<Response> {
    const job = await this.get(id, options);
    if (!job.download) throw new NotFoundError(`Export ${id} has no file (${job.status}${job.status === 'succeeded' ? ', expired' : ''})`, { status: 404, code: 'not_ready' });
    const url = /^https?:\/\//.test(job.download.url) ? job.download.url : this.http.options.baseUrl + job.download.url;
    const response = await this.http.options.fetch(url, options?.signal ? { signal: options.signal } : {});
    if (!response.ok) throw new NotFoundError(`Export ${id}: its file answered ${response.status}`, { status: response.status, code: 'download_failed' });
    return response;
  }
}
