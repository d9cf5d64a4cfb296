import type { Knex } from 'knex';
import { fromDatabaseError } from '../../domain/databaseErrors.js';
import { DomainError } from '../../domain/errors.js';
import type { ImportLinks } from './links.js';
import type { CommentRecord, ImportRecord, TaskRecord } from './records.js';
import { RecordRefused, type ImportSetup } from './setup.js';
import { insertComments, insertTasks, type NewComment, type NewTask } from './taskBatch.js';
import type { Outcome, TaskWriter } from './taskWriter.js';
import type { ImportResult } from './writer.js';

/** Runs one record's work; a refusal is reported by its line (the writer's `attempt`). */
export type Attempt = (record: ImportRecord, work: () => Promise<Outcome | undefined>, undo?: () => void) => Promise<void>;

/** What a run of records of one kind is written with, inside the batch's transaction. */
export interface BatchRun {
  trx: Knex.Transaction;
  writer: TaskWriter;
  links: ImportLinks;
  result: ImportResult;
  attempt: Attempt;
}

/**
 * A run of task records: the new ones inserted together (taskBatch.ts),
 * the ones already there (linked, or with the same external id) updated
 * one by one. If the batch insert is refused, its records are written
 * one at a time instead, so each refusal is reported by its own line.
 */
export async function writeTaskRun({ trx, writer, links, result, attempt }: BatchRun, setup: ImportSetup, records: TaskRecord[]): Promise<void> {
  const one = (record: TaskRecord) => attempt(record, () => trx.transaction((savepoint) => writer.task(savepoint, record)), () => links.forget('task', record.externalId));
  const externalIds = records.map((record) => record.externalId);
  const linked = await links.getMany(trx, 'task', externalIds);
  const taken = new Set(((await trx('tasks').where({ workspaceId: links.workspaceId }).whereIn('externalId', externalIds.map((id) => id.slice(0, 200))).select('externalId')) as Array<{ externalId: string }>).map((row) => row.externalId));
  const fresh: NewTask[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (linked.has(record.externalId) || taken.has(record.externalId.slice(0, 200)) || seen.has(record.externalId)) {
      await one(record);
      continue;
    }
    seen.add(record.externalId);
    let item: NewTask | undefined;
    await attempt(record, async () => {
      const resolved = await writer.resolve(trx, record);
      item = { record, resolved, watcherIds: await writer.watcherIds(trx, record, resolved) };
      return undefined;
    });
    if (item) fresh.push(item);
  }
  if (fresh.length === 0) return;
  try {
    await trx.transaction((savepoint) => insertTasks(savepoint, writer.caller, links, setup.fields, fresh));
    result.created.tasks += fresh.length;
  } catch (error) {
    for (const { record } of fresh) links.forget('task', record.externalId);
    if (!asRefusal(error) && !isDatabaseRefusal(error)) throw error;
    for (const { record } of fresh) await one(record);
  }
}

/** A run of comment records: the new ones inserted together, like tasks; a refused batch goes one by one. */
export async function writeCommentRun({ trx, writer, links, result, attempt }: BatchRun, records: CommentRecord[]): Promise<void> {
  const one = (record: CommentRecord) => attempt(record, () => trx.transaction((savepoint) => writer.comment(savepoint, record)), () => links.forget('comment', record.externalId));
  const linked = await links.getMany(trx, 'comment', records.map((record) => record.externalId));
  const tasks = await links.getMany(trx, 'task', records.map((record) => record.taskExternalId));
  await writer.preloadTasks(trx, [...tasks.values()]);
  const fresh: NewComment[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (linked.has(record.externalId)) continue;
    if (seen.has(record.externalId)) {
      await one(record);
      continue;
    }
    seen.add(record.externalId);
    let item: NewComment | undefined;
    await attempt(record, async () => {
      item = await writer.resolveComment(trx, record);
      return undefined;
    });
    if (item) fresh.push(item);
  }
  if (fresh.length === 0) return;
  try {
    await trx.transaction((savepoint) => insertComments(savepoint, writer.caller, links, fresh));
    result.created.comments += fresh.length;
  } catch (error) {
    for (const { record } of fresh) links.forget('comment', record.externalId);
    if (!asRefusal(error) && !isDatabaseRefusal(error)) throw error;
    for (const { record } of fresh) await one(record);
  }
}

/** A constraint the database enforced (a repeated external id, a value out of range): the records then go one by one. */
function isDatabaseRefusal(error: unknown): boolean {
  const http = fromDatabaseError(error);
  return http !== undefined && http.status < 500;
}

export function asRefusal(error: unknown): { field: string; message: string } | undefined {
  if (error instanceof RecordRefused) return { field: error.field, message: error.message };
  if (error instanceof DomainError && error.status < 500) {
    const first = error.errors?.[0];
    return { field: first?.path || 'record', message: first?.message ?? error.message };
  }
  return undefined;
}
