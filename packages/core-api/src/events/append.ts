import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { EventType } from '../schemas/eventCatalog.js';

export const EVENTS_CHANNEL = 'taskbase_events';

export interface NewEvent {
  workspaceId: number;
  /** One of the catalog's types (schemas/eventCatalog.ts): a new type is added there first. */
  type: EventType;
  actorId: number | null;
  taskId?: number | null;
  /** The project the event concerns: readers who may not see the project do not see the event. */
  projectId?: number | null;
  /** Set when only this user may see the event. */
  userId?: number | null;
  payload: Record<string, unknown>;
}

/**
 * Signals, in this process, that a transaction which appended events has
 * committed (or ended): the event bus then reads the new rows, and tells
 * other processes to do the same.
 */
export const eventCommits = new EventEmitter();
eventCommits.setMaxListeners(0);

const watched = new WeakSet<object>();

interface Transactor {
  parentTransaction?: Transactor;
  executionPromise?: Promise<unknown>;
}

/**
 * Appends to the event log inside the caller's transaction, in one round
 * trip and without a lock: readers order the log by position (transaction
 * id, then id) and read only settled rows (see realtime/positions.ts), so
 * concurrent writers of one workspace never wait for each other here.
 *
 * There is no NOTIFY inside the transaction: PostgreSQL serializes every
 * notifying commit on one lock, which would cap write throughput at one
 * WAL flush per commit. Instead the outermost transaction's end is
 * signalled in-process (`eventCommits`), and the bus batches one NOTIFY for
 * all the commits it saw.
 */
export async function appendEvent(trx: Knex.Transaction, event: NewEvent): Promise<number> {
  const result = await trx.raw(
    `insert into events (workspace_id, type, actor_id, task_id, project_id, user_id, payload)
     values (?, ?, ?, ?, ?, ?, ?::jsonb)
     returning id`,
    [event.workspaceId, event.type, event.actorId, event.taskId ?? null, event.projectId ?? null, event.userId ?? null, JSON.stringify(event.payload)],
  );
  signalCommit(trx);
  return (result.rows as Array<{ id: number }>)[0]!.id;
}

/**
 * Appends several events in one statement (as appendEvent does one), with
 * `alongside`: other inserts of the same change whose results nobody reads
 * (a task's new watchers), run in the same statement as data-modifying
 * CTEs. A write is mostly round trips, so a create that used to send its
 * watchers and each event on its own sends them here at once.
 */
export async function appendEvents(trx: Knex.Transaction, events: NewEvent[], alongside: Knex.QueryBuilder[] = []): Promise<void> {
  if (events.length === 0 && alongside.length === 0) return;
  const companions = alongside.map((query) => query.toSQL());
  const prefix = companions.length ? `with ${companions.map((query, i) => `alongside_${i} as (${query.sql})`).join(', ')} ` : '';
  const bindings: unknown[] = companions.flatMap((query) => query.bindings);
  if (events.length === 0) {
    await trx.raw(`${prefix}select 1`, bindings as Knex.RawBinding[]);
    return;
  }
  const values = events.map(() => '(?, ?, ?, ?, ?, ?, ?::jsonb)').join(', ');
  for (const event of events) {
    bindings.push(event.workspaceId, event.type, event.actorId, event.taskId ?? null, event.projectId ?? null, event.userId ?? null, JSON.stringify(event.payload));
  }
  await trx.raw(`${prefix}insert into events (workspace_id, type, actor_id, task_id, project_id, user_id, payload) values ${values}`, bindings as Knex.RawBinding[]);
  signalCommit(trx);
}

function signalCommit(trx: Knex.Transaction): void {
  let root = trx as unknown as Transactor;
  while (root.parentTransaction) root = root.parentTransaction;
  if (!watched.has(root) && root.executionPromise) {
    watched.add(root);
    const signal = () => eventCommits.emit('commit');
    root.executionPromise.then(signal, signal);
  }
}
