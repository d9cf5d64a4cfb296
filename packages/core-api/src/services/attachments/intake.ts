import { Transform, type Readable } from 'node:stream';
import { fileTypeStream } from 'file-type';
import type { ObjectStorage } from '../../storage/storage.js';

/**
 * Streams an upload into storage, learning on the way what it really is
 * (from its first bytes, whatever the client said) and how large it is.
 */
export async function intake(storage: ObjectStorage, key: string, body: Readable): Promise<{ size: number; contentType: string }> {
  const sniffed = await fileTypeStream(body, { sampleSize: 4100 });
  const contentType = sniffed.fileType?.mime ?? 'application/octet-stream';
  let size = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(null, chunk);
    },
  });
  // An error upstream (the size limit, a dropped client) must fail the write, not end it early and cleanly.
  sniffed.on('error', (error) => counted.destroy(error));
  body.on('error', (error) => counted.destroy(error));
  await storage.put(key, sniffed.pipe(counted), { contentType });
  return { size, contentType };
}

/** A name safe to store and to send back in Content-Disposition: no folders, no control characters, not too long. */
export function cleanFilename(given: string): string {
  const base = given.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  if (name === '' || name === '.' || name === '..') return 'file';
  if (name.length <= 200) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return name.slice(0, 200 - extension.length) + extension;
}
