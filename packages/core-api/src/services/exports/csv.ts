import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { CustomFieldRow } from '../../models/CustomField.js';
import { Project } from '../../models/Project.js';
import type { TaskRow } from '../../models/Task.js';
import { User } from '../../models/User.js';
import type { OnProgress } from './archive.js';
import { fieldQuery, taskPages, type ExportReader } from './records.js';

const BASE_COLUMNS = [
  'ID',
  'Identifier',
  'Project',
  'Title',
  'Description',
  'Status',
  'Status category',
  'Priority',
  'Assignee',
  'Assignee email',
  'Created by',
  'Due date',
  'Labels',
  'Parent',
  'External ID',
  'Completed at',
  'Created at',
  'Updated at',
];

/**
 * A spreadsheet runs a cell that starts with one of these as a formula
 * (CSV injection): such text is prefixed with `'`, which spreadsheets show
 * as a plain-text marker. Numbers and dates never start so.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (text: string | null | undefined): string => (text ? (FORMULA_START.test(text) ? `'${text}` : text) : '');

type Person = { name: string; email: string | null };

/**
 * The exported tasks as CSV (UTF-8 with a byte-order mark, for
 * spreadsheets), one row per task, each custom field a column named after
 * it: select options by name, users by name, lists joined with `, `.
 * Streams page by page, waiting for `out` to drain.
 */
export async function writeCsv(reader: ExportReader, out: Writable, onProgress: OnProgress = () => {}, total: number | null = null): Promise<number> {
  const workspaceId = reader.caller.workspaceId;
  const fields = (await fieldQuery(reader).orderBy([{ column: 'position' }, { column: 'id' }])) as CustomFieldRow[];
  const people = new Map<number, Person>(
    ((await User.rows(reader.db).where({ workspaceId }).select('id', 'name', 'email')) as Array<Person & { id: number }>).map((user) => [Number(user.id), user]),
  );
  const projectKeys = new Map<number, string>(
    ((await Project.rows(reader.db).where({ workspaceId }).select('id', 'key')) as Array<{ id: number; key: string }>).map((project) => [Number(project.id), project.key]),
  );
  const names = fields.map((field) => field.name);
  const headers = [...BASE_COLUMNS, ...fields.map((field) => (names.filter((name) => name === field.name).length > 1 || BASE_COLUMNS.includes(field.name) ? `${field.name} (${field.key})` : field.name))];
  const csv = stringify({ header: true, columns: headers, bom: true });
  csv.pipe(out);
  const failed = new Promise<never>((_, reject) => csv.once('error', reject));
  failed.catch(() => {});
  const name = (id: number | null) => (id === null ? '' : (people.get(Number(id))?.name ?? String(id)));
  const date = (value: Date | null) => (value ? value.toISOString() : '');
  let written = 0;
  try {
    for await (const page of taskPages(reader, [reader.db.raw('(select p.identifier from tasks p where p.id = tasks.parent_id) as parent_identifier')])) {
      for (const task of page as Array<TaskRow & { parentIdentifier: string | null }>) {
        const row = [
          String(task.id),
          task.identifier,
          projectKeys.get(Number(task.projectId)) ?? '',
          cell(task.title),
          cell(task.description),
          task.status,
          task.statusCategory,
          task.priority,
          cell(name(task.assignedTo)),
          task.assignedTo === null ? '' : cell(people.get(Number(task.assignedTo))?.email),
          cell(name(task.createdBy)),
          date(task.dueDate),
          cell(task.labels.map((label) => label.name).join(', ')),
          task.parentIdentifier ?? '',
          cell(task.externalId),
          date(task.completedAt),
          date(task.createdAt),
          date(task.updatedAt),
          ...fields.map((field) => cell(fieldText(field, task.fields[field.key], name))),
        ];
        if (!csv.write(row)) await Promise.race([once(csv, 'drain'), failed]);
      }
      written += page.length;
      await onProgress({ done: written, total, phase: 'tasks' });
    }
    csv.end();
    await Promise.race([finished(out), failed]);
    return written;
  } catch (error) {
    csv.destroy(error as Error);
    out.destroy(error as Error);
    throw error;
  }
}

/** A custom field's value as a person reads it. */
function fieldText(field: CustomFieldRow, value: unknown, userName: (id: number) => string): string {
  if (value === undefined || value === null) return '';
  const option = (id: unknown) => field.options.find((candidate) => candidate.id === id)?.name ?? String(id);
  switch (field.type) {
    case 'select':
      return option(value);
    case 'multi_select':
      return Array.isArray(value) ? value.map(option).join(', ') : '';
    case 'user':
      return userName(Number(value));
    case 'checkbox':
      return value === true ? 'true' : 'false';
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
