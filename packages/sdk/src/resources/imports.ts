import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { path } from '../internal/path.js';
import type { CsvMapping, ImportJob, ImportListQuery, ImportPreview, ImportSource, Page } from '../types.js';
import type { UploadBody } from './attachments.js';
import { APIResource } from './resource.js';

/** What `imports.preview` takes besides the file and its source. */
export interface PreviewOptions extends RequestOptions {
  /** The file's name; default the File's own, else `import`. */
  filename?: string;
}

/** What `imports.create` takes besides the file. */
export interface CreateImportOptions extends RequestOptions {
  source: ImportSource;
  /** Where tasks without a project of their own go (default: the workspace's default project). */
  projectId?: number;
  /** Required for a CSV: column header → target. */
  mapping?: CsvMapping;
  /** Check every record and report errors by line, writing nothing. */
  dryRun?: boolean;
  /** `stop` (default): any error and nothing is written; `skip`: the good records are imported. */
  onError?: 'stop' | 'skip';
  /** The file's name; default the File's own, else `import`. */
  filename?: string;
}

/** `/api/imports`: bringing tasks in from a file (admins). */
export class Imports extends APIResource {
  /**
   * Looks into a file without importing it: a CSV's columns, first rows, row
   * count and a `suggested` mapping (edit it, then pass it to the import);
   * for a Trello board, an Asana export or a Taskbase export, the number of
   * tasks found. A file that is not of `source` rejects with a ValidationError
   * naming `file`.
   */
  async preview(file: UploadBody, source: ImportSource, { filename, ...options }: PreviewOptions = {}): Promise<ImportPreview> {
    const blob = file instanceof Blob ? file : await new Response(file as BodyInit).blob();
    const form = new FormData();
    form.append('source', source);
    form.append('file', blob, filename ?? (file as File).name ?? 'import');
    return this.http.request<ImportPreview>({ method: 'POST', path: '/api/imports/preview', form, options });
  }

  /**
   * Starts an import of `file` (a File, Blob or bytes) in the background.
   * Follow it with `get` (or the `jobs` realtime topic: `import.progress`);
   * re-running the same file makes nothing twice.
   */
  async create(file: UploadBody, { source, projectId, mapping, dryRun, onError, filename, ...options }: CreateImportOptions): Promise<ImportJob> {
    const blob = file instanceof Blob ? file : await new Response(file as BodyInit).blob();
    const form = new FormData();
    form.append('source', source);
    if (projectId !== undefined) form.append('projectId', String(projectId));
    if (mapping !== undefined) form.append('mapping', JSON.stringify(mapping));
    if (dryRun !== undefined) form.append('dryRun', String(dryRun));
    if (onError !== undefined) form.append('onError', onError);
    form.append('file', blob, filename ?? (file as File).name ?? 'import');
    return this.http.request<ImportJob>({ method: 'POST', path: '/api/imports', form, options });
  }

  /** An import's progress; once done, its result (counts, errors by line). */
  get(id: number, options?: RequestOptions): Promise<ImportJob> {
    return this.http.request({ method: 'GET', path: path`/api/imports/${id}`, options });
  }

  /** The workspace's imports, newest first. */
  list(query?: ImportListQuery, options?: RequestOptions): Promise<Page<ImportJob>> {
    return this.http.request({ method: 'GET', path: '/api/imports', query, options });
  }

  iterate(query: ImportListQuery = {}, options?: RequestOptions): AsyncGenerator<ImportJob, void, undefined> {
    return paginate((q) => this.list(q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  /** Stops a queued or running import after its current batch (what it wrote stays; a re-run continues it). */
  cancel(id: number, options?: RequestOptions): Promise<ImportJob> {
    return this.http.request({ method: 'POST', path: path`/api/imports/${id}/cancel`, options });
  }
}
