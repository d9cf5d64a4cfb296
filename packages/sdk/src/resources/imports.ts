import type { RequestOptions } from '../core/http.js';
import type { ImportPreview, ImportSource } from '../types.js';
import type { UploadBody } from './attachments.js';
import { APIResource } from './resource.js';

/** What `imports.preview` takes besides the file and its source. */
export interface PreviewOptions extends RequestOptions {
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
}
