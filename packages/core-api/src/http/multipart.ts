import { PassThrough } from 'node:stream';
import busboy from 'busboy';
import type { Context } from 'koa';
import { DomainError, fieldError } from '../domain/errors.js';
import { FileTooLarge, type IncomingFile } from '../domain/upload.js';

/** Multipart framing around one file: headers and boundaries, generously. */
const FRAMING_BYTES = 64 * 1024;

/**
 * Reads a `multipart/form-data` request with one part named `file` and hands
 * its bytes to `use` as a stream while they arrive: nothing is held whole in
 * memory. Past `limitBytes` the stream fails with `FileTooLarge`; a declared
 * Content-Length already past it is refused before a byte is read.
 */
export async function withUploadedFile<T>(ctx: Context, limitBytes: number, use: (file: IncomingFile) => Promise<T>, onField?: (name: string, value: string) => void): Promise<T> {
  if (!ctx.is('multipart/form-data')) {
    throw new DomainError(415, {
      code: 'unsupported_media_type',
      detail: 'Send the file as multipart/form-data, in a part named "file"',
      errors: [{ path: 'content-type', in: 'header', message: 'must be multipart/form-data' }],
    });
  }
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limitBytes + FRAMING_BYTES) {
    ctx.set('Connection', 'close'); // the body is not read: the connection cannot carry another request
    throw new FileTooLarge(limitBytes);
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: limitBytes, fields: 20, fieldSize: 4096, parts: 21 } });
  } catch {
    throw fieldError('content-type', 'must carry a multipart boundary', 'header');
  }
  return new Promise<T>((resolve, reject) => {
    let used = false;
    let settled: Promise<T> | undefined;
    const fail = (error: unknown) => {
      ctx.req.unpipe(parser);
      ctx.req.resume(); // drain what the client still sends, so it reads our answer
      reject(error);
    };
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || used) {
        file.on('error', () => {}); // a body cut short errors every open part; the parser reports it
        file.resume();
        return;
      }
      used = true;
      const stream = new PassThrough();
      // A body cut short errors this stream, perhaps before `use` listens (while it opens its
      // destination): without a listener that error would be uncaught. A consumer that comes later
      // still fails, since the stream is destroyed with it.
      stream.on('error', () => {});
      file.on('limit', () => stream.destroy(new FileTooLarge(limitBytes)));
      file.on('error', (error: Error) => stream.destroy(error));
      file.pipe(stream);
      settled = use({ stream, filename: info.filename ?? '' });
      settled.catch(() => file.resume());
    });
    if (onField) parser.on('field', (name: string, value: string) => onField(name, value));
    parser.on('error', () => fail(fieldError('file', 'the multipart body is malformed')));
    parser.on('close', () => {
      if (!settled) return reject(fieldError('file', 'a part named "file" is required'));
      settled.then(resolve, reject);
    });
    ctx.req.on('aborted', () => parser.destroy(new Error('aborted')));
    ctx.req.pipe(parser);
  });
}

/**
 * Like `withUploadedFile`, and also answers the form's text fields (at most
 * 20, each at most 4 KB), whether they come before or after the file: the
 * file is handed to `use` as it arrives, and the fields once the body ends.
 */
export async function withUploadedFileAndFields<T>(ctx: Context, limitBytes: number, use: (file: IncomingFile) => Promise<T>): Promise<{ value: T; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  const onField = (name: string, value: string) => {
    if (!(name in fields)) fields[name] = value;
  };
  const value = await withUploadedFile(ctx, limitBytes, use, onField);
  return { value, fields };
}
