import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Caller } from '../../domain/caller.js';
import { DomainError, fieldError, forbidden } from '../../domain/errors.js';
import { FileTooLarge, type IncomingFile } from '../../domain/upload.js';
import type { CsvMapping, ImportSource, SourceReader } from './records.js';
import { readAsana } from './sources/asana.js';
import { csvRows } from './sources/csvRows.js';
import { readTrello } from './sources/trello.js';
import { suggestMapping } from './suggestMapping.js';
import { taskbaseTaskCount } from './taskbaseIndex.js';

/** What the wizard's mapping step shows: a CSV's columns and first rows, or what another source holds. */
export interface ImportPreview {
  columns: string[];
  sample: string[][];
  rows: number | null;
  suggested: CsvMapping;
}

/** Receives the request's file (streamed to `use`) and answers the form's text fields. */
export type PreviewForm = <T>(limitBytes: number, use: (file: IncomingFile) => Promise<T>) => Promise<{ value: T; fields: Record<string, string> }>;

const SOURCES: readonly ImportSource[] = ['taskbase', 'csv', 'trello', 'asana'];
const SAMPLE_ROWS = 5;
/** A preview answers at most this many columns, each header and sample value cut to a length: the answer stays small. */
export const PREVIEW_LIMITS = { columns: 500, chars: 200 } as const;

const clipCell = (text: string) => (text.length > PREVIEW_LIMITS.chars ? `${text.slice(0, PREVIEW_LIMITS.chars)}…` : text);

/**
 * Looks into an import file before it is imported (admins): a CSV's header,
 * first rows, row count and a suggested column mapping; for the other
 * sources the number of tasks found. The upload is held in a temporary
 * file only while it is read.
 */
export async function previewImport(caller: Caller, maxBytes: number, receive: PreviewForm): Promise<ImportPreview> {
  if (caller.role !== 'admin') throw forbidden('Only admins import');
  const dir = await mkdtemp(join(tmpdir(), 'taskbase-preview-'));
  const path = join(dir, 'upload');
  try {
    let fields: Record<string, string>;
    try {
      ({ fields } = await receive(maxBytes, (file) => pipeline(file.stream, createWriteStream(path))));
    } catch (error) {
      if (error instanceof FileTooLarge) {
        throw new DomainError(413, { code: 'file_too_large', detail: `An import file may be at most ${maxBytes} bytes (IMPORT_MAX_BYTES)`, errors: [{ path: 'file', in: 'body', message: `is larger than ${maxBytes} bytes` }] });
      }
      throw error;
    }
    const source = fields.source;
    if (!source) throw fieldError('source', `is required: one of ${SOURCES.join(', ')}`);
    if (!(SOURCES as readonly string[]).includes(source)) throw fieldError('source', `must be one of ${SOURCES.join(', ')}`);
    if ((await stat(path)).size === 0) throw fieldError('file', 'is empty');
    if (source === 'csv') return await previewCsv(path);
    const rows = source === 'taskbase' ? await taskbaseTaskCount(path) : await countTasks(source === 'trello' ? readTrello : readAsana, path);
    return { columns: [], sample: [], rows, suggested: {} };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function previewCsv(path: string): Promise<ImportPreview> {
  let columns: string[] | undefined;
  const sample: string[][] = [];
  let rows = 0;
  for await (const row of csvRows(path)) {
    if ('kind' in row) {
      if (!columns) throw fieldError('file', row.message);
      return { columns, sample, rows: null, suggested: suggestMapping(columns, sample) };
    }
    if (!columns) {
      if (row.cells.length > PREVIEW_LIMITS.columns) throw fieldError('file', `has ${row.cells.length} columns; at most ${PREVIEW_LIMITS.columns} are taken`);
      columns = row.cells.map((cell) => clipCell(cell.trim()));
      continue;
    }
    rows++;
    if (sample.length < SAMPLE_ROWS) sample.push(columns.map((_, index) => clipCell(row.cells[index] ?? '')));
  }
  if (!columns) throw fieldError('file', 'has no header line');
  return { columns, sample, rows, suggested: suggestMapping(columns, sample) };
}

/** The tasks a Trello or Asana file holds; a file the reader cannot open at all is refused, naming why. */
async function countTasks(reader: SourceReader, path: string): Promise<number> {
  let tasks = 0;
  for await (const record of reader(path, {})) {
    if (record.kind === 'task') tasks++;
    else if (record.kind === 'error' && record.field === 'file' && tasks === 0) throw fieldError('file', record.message);
  }
  return tasks;
}
