import { fieldError } from '../../../domain/errors.js';
import type { CsvMapping, CsvTarget, ImportRecord, RowError, SourceReader, TaskRecord } from '../records.js';
import { csvRows } from './csvRows.js';
import { BadValue, LIMITS, clip, parseDate, parseEmail, parsePriority, splitLabels, within } from './values.js';

const TARGETS = new Set(['externalId', 'title', 'description', 'status', 'priority', 'assigneeEmail', 'dueDate', 'labels', 'parentExternalId', 'createdAt', 'ignore']);
const FIELD_KEY = /^fields\.[a-z][a-z0-9_]{0,39}$/;
const EXTERNAL_ID = /^[\x21-\x7e]+$/;

/** Whether a mapping target is one a CSV column can fill. */
export const isCsvTarget = (target: string): target is CsvTarget => TARGETS.has(target) || FIELD_KEY.test(target);

/** A column's position and where its value goes. */
interface Column {
  index: number;
  header: string;
  target: CsvTarget;
}

/**
 * Reads a CSV of tasks through a column mapping (header → target). One task
 * per record; a record with a bad value yields a RowError naming its line
 * and the column instead. Tasks go to the job's project. Without an
 * `externalId` column a task's id is its line (`line-12`): a re-run of the
 * same file is idempotent, a re-run of an edited one may not be.
 */
export const readCsv: SourceReader = async function* (path, { mapping }) {
  if (!mapping || Object.keys(mapping).length === 0) throw fieldError('mapping', 'a CSV import needs a column mapping');
  let columns: Column[] | undefined;
  const seen = new Set<string>();
  for await (const row of csvRows(path)) {
    if ('kind' in row) {
      yield row;
      continue;
    }
    if (!columns) {
      const header = bindColumns(row.cells, mapping);
      if ('kind' in header) {
        yield header;
        return;
      }
      columns = header;
      continue;
    }
    yield* taskOf(row.line, row.cells, columns, seen);
  }
  if (!columns) yield { kind: 'error', line: 1, field: 'file', message: 'The file is empty: it needs a header line' };
};

/** Finds each mapped column in the header; a mapping naming a missing column, or none for the title, is refused. */
function bindColumns(header: string[], mapping: CsvMapping): Column[] | RowError {
  const names = header.map((name) => name.trim());
  const columns: Column[] = [];
  for (const [name, target] of Object.entries(mapping)) {
    if (!isCsvTarget(target)) return { kind: 'error', line: 1, field: name, message: `"${clip(String(target))}" is not an import target` };
    const index = names.indexOf(name.trim());
    if (index < 0) return { kind: 'error', line: 1, field: name, message: 'The mapping names a column the file does not have' };
    if (target !== 'ignore') columns.push({ index, header: name, target });
  }
  const mapped = (target: string) => columns.filter((column) => column.target === target).length;
  if (mapped('title') !== 1) return { kind: 'error', line: 1, field: 'title', message: 'Map exactly one column to the title' };
  for (const target of new Set(columns.map((column) => column.target))) {
    if (target !== 'labels' && mapped(target) > 1) return { kind: 'error', line: 1, field: target, message: `Only one column may map to ${target}` };
  }
  return columns;
}

function* taskOf(line: number, cells: string[], columns: Column[], seen: Set<string>): Generator<ImportRecord> {
  const task: TaskRecord = { kind: 'task', line, externalId: `line-${line}`, title: '' };
  const errors: RowError[] = [];
  for (const column of columns) {
    const raw = cells[column.index] ?? '';
    try {
      apply(task, column.target, raw);
    } catch (error) {
      if (!(error instanceof BadValue)) throw error;
      errors.push({ kind: 'error', line, field: column.header, message: error.message });
    }
  }
  const titleColumn = columns.find((column) => column.target === 'title')!;
  if (!task.title && !errors.some((error) => error.field === titleColumn.header)) {
    errors.push({ kind: 'error', line, field: titleColumn.header, message: 'The title is empty' });
  }
  if (seen.has(task.externalId)) {
    const idColumn = columns.find((column) => column.target === 'externalId')!;
    errors.push({ kind: 'error', line, field: idColumn.header, message: `The id "${clip(task.externalId)}" is on an earlier line too` });
  } else seen.add(task.externalId);
  if (errors.length > 0) yield* errors;
  else yield task;
}

/** Puts one cell's value where its column maps to; a bad value throws BadValue. */
function apply(task: TaskRecord, target: CsvTarget, raw: string): void {
  const value = raw.trim();
  if (target === 'title') task.title = within(value, LIMITS.title);
  else if (!value) return;
  else if (target === 'externalId') {
    if (!EXTERNAL_ID.test(within(value, LIMITS.externalId))) throw new BadValue('an id may hold only visible ASCII characters, no spaces');
    task.externalId = value;
  } else if (target === 'description') task.description = within(raw, LIMITS.description);
  else if (target === 'status') task.status = within(value, 60);
  else if (target === 'priority') task.priority = parsePriority(value);
  else if (target === 'assigneeEmail') task.assigneeEmail = parseEmail(value);
  else if (target === 'dueDate') task.dueDate = parseDate(value);
  else if (target === 'createdAt') task.createdAt = parseDate(value);
  else if (target === 'labels') task.labels = [...new Set([...(task.labels ?? []), ...splitLabels(value)])];
  else if (target === 'parentExternalId') {
    if (!EXTERNAL_ID.test(within(value, LIMITS.externalId))) throw new BadValue('an id may hold only visible ASCII characters, no spaces');
    task.parentExternalId = value;
  } else if (target.startsWith('fields.')) (task.fields ??= {})[target.slice(7)] = within(value, LIMITS.fieldValue);
}
