import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { fieldError } from '../../domain/errors.js';

const INDEX_MAX_BYTES = 1024 * 1024;

/**
 * The number of tasks a Taskbase export holds, from its `index.json`
 * (docs/import-export.md, "Archive format"): only that entry is inflated,
 * whatever the archive's size. Not a Taskbase export: a 422 on `file`.
 */
export async function taskbaseTaskCount(path: string): Promise<number> {
  const notExport = (why: string) => fieldError('file', `is not a Taskbase export: ${why}`);
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, file) => (error ? reject(error) : resolve(file))));
  } catch {
    throw notExport('not a zip archive');
  }
  try {
    const entry = await findEntry(zip, 'index.json');
    if (!entry) throw notExport('it has no index.json');
    if (entry.uncompressedSize > INDEX_MAX_BYTES) throw notExport('its index.json is too large');
    let index: { format?: unknown; version?: unknown; counts?: { tasks?: unknown } };
    try {
      index = JSON.parse(await text(await openEntry(zip, entry)));
    } catch {
      throw notExport('its index.json is not JSON');
    }
    if (index?.format !== 'taskbase-export' || index.version !== 1) throw notExport('its index.json is not of a version 1 export');
    const tasks = index.counts?.tasks;
    if (typeof tasks !== 'number' || !Number.isInteger(tasks) || tasks < 0) throw notExport('its index.json has no task count');
    return tasks;
  } finally {
    zip.close();
  }
}

function findEntry(zip: ZipFile, name: string): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: Entry) => (entry.fileName === name ? resolve(entry) : zip.readEntry()));
    zip.once('end', () => resolve(undefined));
    zip.once('error', () => reject(new Error('a broken zip archive')));
    zip.readEntry();
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > INDEX_MAX_BYTES) throw new Error('index.json is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
