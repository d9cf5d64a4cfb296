import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { Attachment, AttachmentListQuery, Page } from '../types.js';
import { APIResource } from './resource.js';

/** What `attachments.upload` takes besides the file. */
export interface UploadOptions extends RequestOptions {
  /** The file's name; default the File's own, else `file`. */
  filename?: string;
  /** Attaches the file to this comment of the task. */
  commentId?: number;
  /** Bytes sent so far and in all: in a browser as they go (XMLHttpRequest), elsewhere once at the end. */
  onProgress?(loaded: number, total: number): void;
}

/** The bytes of an upload: a Blob or File, a stream, or bytes (a Node Buffer is a Uint8Array). */
export type UploadBody = Blob | ReadableStream<Uint8Array> | Uint8Array;

/**
 * fetch() reports no upload progress: the same request sent through
 * XMLHttpRequest, answered as a Response so that errors and retries stay the
 * client's own.
 */
const xhrFetch =
  (onProgress: (loaded: number, total: number) => void) =>
  (url: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? 'GET', String(url));
      for (const [name, value] of Object.entries(init.headers as Record<string, string>)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
      // "name: value" lines; a value may hold ": " itself.
      const headers = () => xhr.getAllResponseHeaders().trim().split('\r\n').filter(Boolean).map((line) => line.split(/: (.*)/s, 2) as [string, string]);
      xhr.onload = () => resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers: headers() }));
      xhr.onerror = xhr.onabort = () => reject(new TypeError('Network error'));
      init.signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(init.body as FormData);
    });

/** `/api/tasks/:id/attachments`: files of a task and of its comments. Their `url`s are signed and short-lived: `<img src>` works without a token. */
export class Attachments extends APIResource {
  /**
   * Uploads a file (multipart/form-data, one `file` part). A stream is read
   * whole first: FormData takes only Blobs. Too large or over the workspace's
   * quota rejects with a 413.
   */
  async upload(taskId: number, file: UploadBody, { filename, commentId, onProgress, ...options }: UploadOptions = {}): Promise<Attachment> {
    const blob = file instanceof Blob ? file : await new Response(file as BodyInit).blob();
    const form = new FormData();
    form.append('file', blob, filename ?? (file as File).name ?? 'file');
    const attachment = await this.http.request<Attachment>({
      method: 'POST',
      path: commentId ? path`/api/tasks/${taskId}/comments/${commentId}/attachments` : path`/api/tasks/${taskId}/attachments`,
      form,
      fetch: onProgress && typeof XMLHttpRequest === 'function' ? xhrFetch(onProgress) : undefined,
      options,
    });
    onProgress?.(blob.size, blob.size);
    return attachment;
  }

  /** One page of the task's and its comments' attachments, oldest first. */
  list(taskId: number, query?: AttachmentListQuery, options?: RequestOptions): Promise<Page<Attachment>> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/attachments`, query, options });
  }

  /** One attachment, with fresh signed URLs. */
  get(taskId: number, attachmentId: number, options?: RequestOptions): Promise<Attachment> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/attachments/${attachmentId}`, options });
  }

  /** Deletes an attachment (its uploader, managers and admins). */
  remove(taskId: number, attachmentId: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${taskId}/attachments/${attachmentId}`, options });
  }
}
