import type { BulkResult, TaskbaseClient } from '@taskbase/sdk';
import type { CsvRow } from './csv-rows.js';

type BulkItem = { externalId: string; title: string; [field: string]: unknown };

/** Why a row was not imported, by line number. */
export interface RowProblem {
  line: number;
  externalId: string | undefined;
  reason: string;
}

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused before sending: missing fields, bad dates, unknown people, repeated ids. */
  skipped: RowProblem[];
  /** Rows the API refused (e.g. an unknown priority), with its field errors. */
  failed: RowProblem[];
}

export interface ImportOptions {
  /** Items per `tasks.bulk` call (the API takes up to 100). */
  batchSize?: number;
  /** Called after each batch with the rows handled so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Creates or updates one task per CSV row, keyed by the row's `externalId`,
 * so running it again changes nothing that is already there.
 */
export async function importTasks(client: TaskbaseClient, rows: CsvRow[], options: ImportOptions = {}): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 100;
  const summary: ImportSummary = { rows: rows.length, created: 0, updated: 0, unchanged: 0, skipped: [], failed: [] };
  const assignees = await usersByEmail(client);
  const firstLineOf = new Map<string, number>();
  const ready: Array<{ row: CsvRow; item: BulkItem }> = [];

  for (const row of rows) {
    const externalId = row.fields.externalId || undefined;
    const problem = (reason: string) => summary.skipped.push({ line: row.line, externalId, reason });
    if (!externalId) problem('externalId is empty');
    else if (firstLineOf.has(externalId)) problem(`externalId ${externalId} was already used on line ${firstLineOf.get(externalId)}`);
    else {
      firstLineOf.set(externalId, row.line);
      const item = toItem(row, externalId, assignees);
      if (typeof item === 'string') problem(item);
      else ready.push({ row, item });
    }
  }
  options.onProgress?.(summary.skipped.length, rows.length);

  for (let start = 0; start < ready.length; start += batchSize) {
    const batch = ready.slice(start, start + batchSize);
    const result = await client.tasks.bulk({ items: batch.map(({ item }) => item) });
    count(result, batch, summary);
    options.onProgress?.(summary.skipped.length + start + batch.length, rows.length);
  }
  return summary;
}

/** The bulk item for a row, or why the row cannot be one. Enums are left for the API to check. */
function toItem(row: CsvRow, externalId: string, assignees: Map<string, number>): BulkItem | string {
  const { title, description, status, priority, dueDate, assignee } = row.fields;
  if (!title) return 'title is empty';
  const item: BulkItem = { externalId, title };
  if (description) item.description = description;
  if (status) item.status = status;
  if (priority) item.priority = priority;
  if (dueDate) {
    const due = new Date(dueDate);
    if (Number.isNaN(due.getTime())) return `dueDate "${dueDate}" is not a date (use YYYY-MM-DD)`;
    item.dueDate = due.toISOString();
  }
  if (assignee) {
    const id = assignees.get(assignee.toLowerCase());
    if (id === undefined) return `assignee ${assignee} is not a user of this workspace`;
    item.assignedTo = id;
  }
  return item;
}

function count(result: BulkResult, batch: Array<{ row: CsvRow; item: BulkItem }>, summary: ImportSummary): void {
  for (const outcome of result.results) {
    const { row, item } = batch[outcome.index]!;
    if (outcome.status === 'error') {
      const fields = outcome.error?.errors?.map((e) => `${e.path.replace(/^items\.\d+\./, '')} ${e.message}`).join('; ');
      summary.failed.push({ line: row.line, externalId: item.externalId, reason: fields || outcome.error?.detail || 'refused' });
    } else summary[outcome.status] += 1;
  }
}

async function usersByEmail(client: TaskbaseClient): Promise<Map<string, number>> {
  const users = new Map<string, number>();
  for await (const user of client.users.iterate({ active: true })) if (user.email) users.set(user.email.toLowerCase(), user.id);
  return users;
}
