import type { Static } from '@sinclair/typebox';
import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { fromDatabaseError, isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, fieldError } from '../domain/errors.js';
import { compileValidator } from '../schemas/validate.js';
import { BulkItem } from '../schemas/tasks.js';
import { lockTask, toTaskDto } from './taskRows.js';
import { TASK_COLUMNS, type TaskRow, Task } from '../models/Task.js';
import type { TaskService } from './tasks.js';

type Item = Static<typeof BulkItem>;
type Outcome = 'created' | 'updated' | 'unchanged';
type BulkItemResult =
  | { index: number; status: Outcome; task?: ReturnType<typeof toTaskDto> }
  | { index: number; status: 'error'; error: ReturnType<typeof describe> };

const validateItem = compileValidator(BulkItem, 'body');

/**
 * Bulk create/update/upsert. Each item runs in its own savepoint, so one bad
 * item fails alone; `dryRun` runs everything and rolls it all back.
 */
export class TaskBulkService {
  private readonly writtenListeners = new Set<(rows: number) => void>();

  constructor(
    private readonly knex: Knex,
    private readonly tasks: TaskService,
  ) {}

  /**
   * Calls `listener` with the number of tasks each committed import created
   * or updated, after its transaction: the server's ANALYZE job
   * (db/analyzeJob.ts) counts them and refreshes the planner statistics once
   * an import adds up to enough rows (100 items per request, so ~10 requests).
   */
  onWritten(listener: (rows: number) => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  async run(caller: Caller, items: unknown[], dryRun: boolean) {
    const trx = await this.knex.transaction();
    const results: BulkItemResult[] = [];
    try {
      await lockInOrder(trx, caller.workspaceId, items);
      for (const [index, raw] of items.entries()) {
        try {
          const item = parseItem(raw, index);
          const { outcome, row } = await trx.transaction((savepoint) => this.apply(savepoint, caller, item));
          // A dry run's new task never exists: answering it would hand out an id that 404s.
          results.push(dryRun && outcome === 'created' ? { index, status: outcome } : { index, status: outcome, task: toTaskDto(row, caller) });
        } catch (error) {
          results.push({ index, status: 'error' as const, error: describe(error, index) });
        }
      }
      if (dryRun) await trx.rollback();
      else await trx.commit();
    } catch (error) {
      if (!trx.isCompleted()) await trx.rollback();
      throw error;
    }
    const count = (status: string) => results.filter((r) => r.status === status).length;
    const written = dryRun ? 0 : count('created') + count('updated');
    if (written) for (const listener of this.writtenListeners) listener(written);
    return {
      dryRun,
      results,
      summary: { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), failed: count('error') },
    };
  }

  private async apply(trx: Knex.Transaction, caller: Caller, item: Item): Promise<{ outcome: Outcome; row: TaskRow }> {
    const { id, externalId, ...fields } = item;
    if (id !== undefined) return this.updateExisting(trx, caller, await lockTask(trx, caller, id), fields);
    if (externalId !== undefined) {
      const existing = await this.findByExternalId(trx, caller.workspaceId, externalId);
      if (existing) return this.updateExisting(trx, caller, existing, fields);
      try {
        // A nested savepoint, so a lost insert race can fall back to the update.
        const row = await trx.transaction((inner) => this.tasks.createIn(inner, caller, { ...requireTitle(fields), externalId }));
        return { outcome: 'created', row };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const winner = await this.findByExternalId(trx, caller.workspaceId, externalId);
        if (!winner) throw error;
        return this.updateExisting(trx, caller, winner, fields);
      }
    }
    return { outcome: 'created', row: await this.tasks.createIn(trx, caller, requireTitle(fields)) };
  }

  private async updateExisting(trx: Knex.Transaction, caller: Caller, row: TaskRow, fields: Omit<Item, 'id' | 'externalId'>) {
    if (Object.keys(fields).length === 0) return { outcome: 'unchanged' as const, row };
    const updated = await this.tasks.updateIn(trx, caller, row, fields);
    return { outcome: updated.version === row.version ? ('unchanged' as const) : ('updated' as const), row: updated };
  }

  private async findByExternalId(trx: Knex.Transaction, workspaceId: number, externalId: string): Promise<TaskRow | undefined> {
    return Task.rows(trx).where({ workspaceId, externalId }).forNoKeyUpdate().first(TASK_COLUMNS);
  }
}

function parseItem(raw: unknown, index: number): Item {
  try {
    return validateItem(raw) as Item;
  } catch (error) {
    if (error instanceof DomainError && error.errors) {
      throw new DomainError(400, {
        code: 'validation_failed',
        detail: error.message,
        errors: error.errors.map((e) => ({ ...e, path: e.path ? `items.${index}.${e.path}` : `items.${index}` })),
      });
    }
    throw error;
  }
}

function requireTitle<T extends { title?: string }>(fields: T): T & { title: string } {
  if (fields.title === undefined) throw fieldError('title', 'is required to create a task');
  return fields as T & { title: string };
}

function describe(error: unknown, index: number) {
  const http = error instanceof DomainError ? error : fromDatabaseError(error);
  if (!http || http.status >= 500) throw error;
  return {
    code: http.code,
    detail: http.message,
    ...(http.errors
      ? { errors: http.errors.map((e) => ({ ...e, path: e.path.startsWith('items.') ? e.path : `items.${index}.${e.path}` })) }
      : {}),
  };
}

/**
 * Takes every lock the items will need up front, in one global order, so
 * two imports of overlapping items wait for each other instead of
 * deadlocking: existing tasks by id, and external ids (which may not exist
 * yet) through transaction-scoped advisory locks.
 */
async function lockInOrder(trx: Knex.Transaction, workspaceId: number, items: unknown[]): Promise<void> {
  const ids = new Set<number>();
  const externalIds = new Set<string>();
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const { id, externalId } = item as { id?: unknown; externalId?: unknown };
    if (Number.isSafeInteger(id)) ids.add(id as number);
    // Only well-formed ones (as BulkItem accepts): a NUL byte would fail the whole import, not the item.
    if (typeof externalId === 'string' && /^[\x21-\x7e]{1,200}$/.test(externalId)) externalIds.add(externalId);
  }
  if (externalIds.size) {
    await trx.raw(
      `select pg_advisory_xact_lock(key) from (
         select distinct hashtextextended(? || ':' || external_id, 0) as key from unnest(?::text[]) as external_id order by key
       ) ordered`,
      [String(workspaceId), [...externalIds]],
    );
  }
  if (ids.size || externalIds.size) {
    // Row locks before the first event is appended: the event log's
    // workspace lock is always the last one a writer takes.
    await Task.rows(trx)
      .where('workspaceId', workspaceId)
      .where((w) => w.whereIn('id', [...ids]).orWhereIn('externalId', [...externalIds]))
      .orderBy('id')
      .forNoKeyUpdate()
      .select('id');
  }
}
