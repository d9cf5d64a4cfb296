import { createHash } from 'node:crypto';
import type { ImportRecord, RowError, SourceReader, TaskRecord } from '../records.js';
import { csvRows } from './csvRows.js';
import { BadValue, LIMITS, clip, parseDate, parseEmail, splitLabels, within } from './values.js';
import { Workflow } from './workflow.js';

/** The columns of Asana's CSV export (project menu → Export/Print → CSV) we read; the others are ignored. */
const COLUMNS = {
  id: 'Task ID',
  createdAt: 'Created At',
  completedAt: 'Completed At',
  name: 'Name',
  section: 'Section/Column',
  assigneeEmail: 'Assignee Email',
  startDate: 'Start Date',
  dueDate: 'Due Date',
  tags: 'Tags',
  notes: 'Notes',
  projects: 'Projects',
  parent: 'Parent task',
  blockedBy: 'Blocked By (Dependencies)',
} as const;
type Key = keyof typeof COLUMNS;
type Index = Partial<Record<Key, number>>;

/** The custom field an Asana start date goes to (Taskbase tasks have no start date of their own). */
export const START_DATE_FIELD = 'start_date';

/**
 * Reads Asana's CSV export as one project: sections → the workflow's
 * statuses (plus "Done" when none reads as done), Completed At → done,
 * Parent task → a subtask (Asana writes the parent's name, or its id),
 * Blocked By → `blocks` relations, Tags → labels, Assignee Email → the
 * assignee, Notes → description, Due Date → due date, Start Date → a date
 * custom field `start_date`. The file is read in passes, so it is streamed:
 * the first finds the sections, the project and the names that parents and
 * dependencies refer to, the second those names' ids, the last the tasks.
 */
export const readAsana: SourceReader = async function* (path) {
  const scan = await survey(path);
  if ('kind' in scan) {
    yield scan;
    return;
  }
  const { columns, workflow, projectName, references, hasStartDates } = scan;
  const project = `asana-${createHash('sha256').update(projectName).digest('hex').slice(0, 16)}`;
  const done = workflow.done();
  const ids = references.size > 0 ? await idsOf(path, columns, references) : new Map<string, string | null>();
  yield { kind: 'project', line: 1, externalId: project, name: projectName, statuses: workflow.statuses };
  if (hasStartDates) yield { kind: 'field', line: 1, externalId: `${project}:${START_DATE_FIELD}`, key: START_DATE_FIELD, name: 'Start date', type: 'date', projectExternalIds: [project] };

  let header = true;
  const seen = new Set<string>();
  for await (const row of csvRows(path)) {
    if ('kind' in row) {
      yield row;
      continue;
    }
    if (header) {
      header = false;
      continue;
    }
    const cell = (key: Key) => (columns[key] === undefined ? '' : (row.cells[columns[key]!] ?? '').trim());
    yield* taskOf(row.line, cell, { project, done: done.key, first: workflow.statuses[0]!.key, workflow, ids, seen });
  }
};

interface Context {
  project: string;
  done: string;
  first: string;
  workflow: Workflow;
  ids: Map<string, string | null>;
  seen: Set<string>;
}

function* taskOf(line: number, cell: (key: Key) => string, context: Context): Generator<ImportRecord> {
  const errors: RowError[] = [];
  const read = <T>(key: Key, parse: (value: string) => T): T | undefined => {
    const value = cell(key);
    if (!value) return undefined;
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof BadValue)) throw error;
      errors.push({ kind: 'error', line, field: header(key), message: error.message });
      return undefined;
    }
  };
  const id = cell('id');
  const title = read('name', (value) => within(value, LIMITS.title)) ?? '';
  if (!id) errors.push({ kind: 'error', line, field: header('id'), message: 'The task has no id' });
  else if (context.seen.has(id)) errors.push({ kind: 'error', line, field: header('id'), message: `The id "${clip(id)}" is on an earlier line too` });
  else context.seen.add(id);
  if (!title && !errors.some((error) => error.field === header('name'))) errors.push({ kind: 'error', line, field: header('name'), message: 'The title is empty' });
  const completedAt = read('completedAt', parseDate);
  const parent = read('parent', (value) => resolve(context.ids, value));
  const blockers = read('blockedBy', (value) => value.split(',').map((name) => resolve(context.ids, name.trim())));
  const startDate = read('startDate', parseDate);
  const task: TaskRecord = {
    kind: 'task',
    line,
    externalId: id,
    projectExternalId: context.project,
    title,
    description: read('notes', (value) => within(value, LIMITS.description)),
    // Every section was added by the first pass: add() finds it (or, past 49 sections, none).
    status: completedAt ? context.done : cell('section') ? (context.workflow.add(cell('section'))?.key ?? context.first) : context.first,
    assigneeEmail: read('assigneeEmail', parseEmail),
    dueDate: read('dueDate', parseDate) ?? null,
    labels: read('tags', splitLabels),
    parentExternalId: parent,
    completedAt: completedAt ?? null,
    createdAt: read('createdAt', parseDate),
    fields: startDate ? { [START_DATE_FIELD]: startDate.slice(0, 10) } : undefined,
  };
  if (errors.length > 0) return yield* errors;
  yield task;
  for (const blocker of blockers ?? []) yield { kind: 'relation', line, taskExternalId: blocker, type: 'blocks', relatedExternalId: id };
}

/** A parent or dependency as Asana wrote it: a task id, or a task name found in the file once. */
function resolve(ids: Map<string, string | null>, value: string): string {
  if (/^\d+$/.test(value)) return value;
  const id = ids.get(value);
  if (id === undefined) throw new BadValue(`no task named "${clip(value)}" is in the file`);
  if (id === null) throw new BadValue(`several tasks are named "${clip(value)}": give its id`);
  return id;
}

/** A column as Asana names it, for errors (the file's own may differ in case). */
const header = (key: Key) => COLUMNS[key];

interface Survey {
  columns: Index;
  workflow: Workflow;
  projectName: string;
  /** Task names that parents and dependencies refer to. */
  references: Set<string>;
  hasStartDates: boolean;
}

/** The first pass: the header, the sections in order, the project's name, and the names referred to. */
async function survey(path: string): Promise<Survey | RowError> {
  let columns: Index | undefined;
  const workflow = new Workflow();
  const references = new Set<string>();
  let projectName = '';
  let hasStartDates = false;
  for await (const row of csvRows(path)) {
    if ('kind' in row) continue; // reported by the last pass
    if (!columns) {
      const names = row.cells.map((name) => name.trim().toLowerCase());
      const found: Index = Object.fromEntries(Object.entries(COLUMNS).map(([key, name]) => [key, names.indexOf(name.toLowerCase())]).filter(([, index]) => (index as number) >= 0));
      columns = found;
      if (found.id === undefined || found.name === undefined) {
        return { kind: 'error', line: 1, field: 'file', message: 'This is not an Asana CSV export: it has no "Task ID" and "Name" columns' };
      }
      continue;
    }
    const cell = (key: Key) => (columns![key] === undefined ? '' : (row.cells[columns![key]!] ?? '').trim());
    if (cell('section')) workflow.add(cell('section'));
    projectName ||= cell('projects').split(',')[0]!.trim();
    hasStartDates ||= Boolean(cell('startDate'));
    for (const name of [cell('parent'), ...cell('blockedBy').split(',')].map((value) => value.trim())) {
      if (name && !/^\d+$/.test(name)) references.add(name);
    }
  }
  if (!columns) return { kind: 'error', line: 1, field: 'file', message: 'The file is empty' };
  if (workflow.statuses.length === 0) workflow.add('To do');
  return { columns, workflow, projectName: (projectName || 'Asana project').slice(0, 200), references, hasStartDates };
}

/** The second pass: the id of each referred-to name (null when several tasks have it). */
async function idsOf(path: string, columns: Index, references: Set<string>): Promise<Map<string, string | null>> {
  const ids = new Map<string, string | null>();
  let header = true;
  for await (const row of csvRows(path)) {
    if ('kind' in row) continue;
    if (header) {
      header = false;
      continue;
    }
    const name = (row.cells[columns.name!] ?? '').trim();
    if (!references.has(name)) continue;
    ids.set(name, ids.has(name) ? null : (row.cells[columns.id!] ?? '').trim());
  }
  return ids;
}
