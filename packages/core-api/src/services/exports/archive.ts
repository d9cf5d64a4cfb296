import { Readable, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { EntryData, ZipArchive } from 'archiver';
import type { DataJobProgressDto } from '../../schemas/dataJobs.js';
import type { ObjectStorage } from '../../storage/storage.js';
import { ObjectNotFound } from '../../storage/storage.js';
import * as records from './records.js';
import type { ExportReader } from './records.js';

export const ARCHIVE_FORMAT = 'taskbase-export';
export const ARCHIVE_VERSION = 1;

export type Counts = Record<'users' | 'projects' | 'labels' | 'fields' | 'tasks' | 'comments' | 'relations' | 'attachments', number>;
export type OnProgress = (progress: DataJobProgressDto) => Promise<void> | void;

export interface ArchiveHead {
  workspace: { id: number; name: string };
  scope: { projectId: number | null; filters: Record<string, unknown> | null };
}

/**
 * Writes a Taskbase export (docs/import-export.md, "Archive format") to
 * `out`: a zip streamed end to end. Each NDJSON file is produced a page of
 * rows at a time as the zip asks for more, and each attached file is read
 * from storage when its turn comes, so memory stays flat however large
 * the workspace. `index.json` is written last, with the counts of what the
 * files hold (readers find it through the zip's directory).
 */
export async function writeArchive(reader: ExportReader, storage: ObjectStorage, head: ArchiveHead, out: Writable, onProgress: OnProgress = () => {}): Promise<Counts> {
  // Loaded by the first export, not at start (see db/backup.ts).
  const { ZipArchive } = await import('archiver');
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => archive.once('error', reject));
  failed.catch(() => {});
  archive.pipe(out);
  const counts: Counts = { users: 0, projects: 0, labels: 0, fields: 0, tasks: 0, comments: 0, relations: 0, attachments: 0 };
  const progress = { done: 0, total: await records.totals(reader), phase: 'users' };
  const report = (phase: string) => onProgress({ ...progress, phase });
  try {
    const add = (source: Readable | Buffer, name: string) => Promise.race([entryWritten(archive, source, name), failed]);
    const ndjson = async (name: keyof Counts, pages: AsyncGenerator<Array<Record<string, unknown>>>, counted: boolean) => {
      await report(name);
      async function* lines() {
        for await (const page of pages) {
          counts[name] += page.length;
          if (counted) progress.done += page.length;
          yield page.map((record) => `${JSON.stringify(record)}\n`).join('');
          await report(name);
        }
      }
      await add(Readable.from(lines()), `${name}.ndjson`);
    };
    await ndjson('users', records.users(reader), false);
    await ndjson('projects', records.projects(reader), false);
    await ndjson('labels', records.labels(reader), false);
    await ndjson('fields', records.fields(reader), false);
    await ndjson('tasks', records.tasks(reader), true);
    await ndjson('comments', records.comments(reader), true);
    await ndjson('relations', records.relations(reader), false);
    // The attachments' records, then their files: the records are read twice rather than held.
    await ndjson('attachments', mapPages(records.attachments(reader), (entry) => entry.record), false);
    await report('files');
    for await (const page of records.attachments(reader)) {
      for (const entry of page) {
        const body = await openObject(storage, entry.storageKey);
        if (body) await add(body, `files/${entry.id}`);
        progress.done += 1;
      }
      await report('files');
    }
    const index = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: new Date().toISOString(),
      workspace: head.workspace,
      counts,
      scope: head.scope,
    };
    await add(Buffer.from(`${JSON.stringify(index, null, 2)}\n`), 'index.json');
    await Promise.race([archive.finalize(), failed]);
    await finished(out);
    return counts;
  } catch (error) {
    archive.abort();
    out.destroy(error as Error);
    throw error;
  }
}

/** Appends one entry and resolves once the zip has taken all of it (so entries are never queued up in memory). */
function entryWritten(archive: ZipArchive, source: Readable | Buffer, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (entry: EntryData) => {
      if (entry.name !== name) return;
      archive.off('entry', done);
      resolve();
    };
    archive.on('entry', done);
    if (source instanceof Readable) source.once('error', reject);
    archive.append(source, { name, date: new Date() });
  });
}

/** A stored file, or undefined when it went meanwhile (its attachment was deleted during the export). */
async function openObject(storage: ObjectStorage, key: string): Promise<Readable | undefined> {
  try {
    return (await storage.get(key)).body;
  } catch (error) {
    if (error instanceof ObjectNotFound) return undefined;
    throw error;
  }
}

async function* mapPages<T, U>(pages: AsyncGenerator<T[]>, map: (item: T) => U): AsyncGenerator<U[]> {
  for await (const page of pages) yield page.map(map);
}
