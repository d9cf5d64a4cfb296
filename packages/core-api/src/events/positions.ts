import type { Knex } from 'knex';
import { Event } from '../models/Event.js';

/**
 * Where an event sits in the log: its transaction's id, then its own id
 * (see migration 0004). Every reader of the log — the bus, the webhook
 * fan-out, realtime resume and GET /api/events — reads in this order and
 * only up to the settled horizon, so a position once passed never has
 * anything appear before it.
 */
export interface Position {
  txid: number;
  id: number;
}

export const START: Position = { txid: 0, id: 0 };

/** True for a row whose transaction is older than every one still running: nothing can commit before it any more. */
export const SETTLED = 'txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

export function comparePositions(a: Position, b: Position): number {
  return a.txid - b.txid || a.id - b.id;
}

/** Narrows an events query to rows after `position`, in log order. */
export function after<Q extends Knex.QueryBuilder>(query: Q, position: Position): Q {
  return query.whereRaw('(txid, id) > (?, ?)', [position.txid, position.id]).orderBy([{ column: 'txid' }, { column: 'id' }]) as Q;
}

/**
 * The position of the event a client last received, from its id: the
 * resume point of realtime and GET /api/events, which speak in event ids.
 * An id the log does not hold (never received, or 0) resumes after the
 * nearest event below it.
 */
export async function positionOfEventId(knex: Knex, eventId: number): Promise<Position> {
  if (eventId <= 0) return START;
  const row = (await Event.rows(knex).where('id', '<=', eventId).orderBy('id', 'desc').first('txid', 'id')) as Position | undefined;
  return row ? { txid: Number(row.txid), id: Number(row.id) } : START;
}

/** Where a reader starting now begins: after everything already settled. */
export async function settledHorizon(knex: Knex): Promise<Position> {
  const result = await knex.raw('select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin');
  return { txid: Number((result.rows as Array<{ xmin: string | number }>)[0]!.xmin), id: 0 };
}

/**
 * What a client that last received event `eventId` has not seen yet: the
 * workspace's settled events after it, in log order (realtime resume and
 * GET /api/events answer alike), and the position they start after.
 */
export async function unseenEvents(knex: Knex, workspaceId: number, eventId: number): Promise<{ query: Knex.QueryBuilder; from: Position }> {
  const from = await positionOfEventId(knex, eventId);
  return { query: after(Event.rows(knex).where('workspaceId', workspaceId), from).whereRaw(SETTLED), from };
}

/**
 * Which transactions had committed at one moment (`pg_current_snapshot()`).
 * A live subscription takes one when it starts: the bus may still hand it
 * events that committed before (it delivers only settled events, so it can
 * lag behind a commit), and those are history, not news.
 */
export interface CommitSnapshot {
  xmin: number;
  xmax: number;
  running: ReadonlySet<number>;
}

export async function commitSnapshot(knex: Knex): Promise<CommitSnapshot> {
  const result = await knex.raw('select pg_current_snapshot()::text as snapshot');
  const [xmin, xmax, running] = String((result.rows as Array<{ snapshot: string }>)[0]!.snapshot).split(':');
  return { xmin: Number(xmin), xmax: Number(xmax), running: new Set(running ? running.split(',').map(Number) : []) };
}

/**
 * A resuming subscriber's filter: false for events at or before `last`, the
 * position its replay reached (the bus may deliver an event the replay
 * already read). Fed events in log order, it stops looking once past it.
 */
export function newsAfter(last: Position): (event: Position) => boolean {
  let passed = false;
  return (event) => passed || (passed = comparePositions(event, last) > 0);
}

/**
 * A live subscriber's filter: false for events of transactions that had
 * committed when `snapshot` was taken. Fed events in log order (as the bus
 * delivers them), it stops looking once past the snapshot: nothing from
 * before can follow.
 */
export function newsSince(snapshot: CommitSnapshot): (event: Position) => boolean {
  let passed = false;
  return ({ txid }) => {
    if (passed || txid >= snapshot.xmax) return (passed = true);
    const committed = txid < snapshot.xmin || !snapshot.running.has(txid); // PostgreSQL's own visibility rule
    return !committed;
  };
}
