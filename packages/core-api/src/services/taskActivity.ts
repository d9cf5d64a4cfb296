import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { Event } from '../models/Event.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';

// Event types that repeat what a `task.updated` event already says; kept
// for subscribers that want only them, left out of the activity history.
const DERIVED_EVENTS = ['task.status_changed', 'task.assigned'];

/** A task's history, oldest first, from the event log (the caller has been shown to see the task). */
export async function taskActivity(knex: Knex, caller: Caller, id: number, input: { limit?: number; cursor?: string }) {
  const limit = input.limit ?? 50;
  const query = Event.rows(knex)
    .where({ workspaceId: caller.workspaceId, taskId: id })
    .whereNull('userId')
    .whereNotIn('type', [...DERIVED_EVENTS, 'task.project_changed'])
    .orderBy('id')
    .limit(limit + 1)
    .select('id', 'type', 'actorId', 'taskId', 'payload', 'createdAt');
  if (input.cursor) query.where('id', '>', decodeIdCursor(input.cursor));
  const rows = (await query) as Array<{ id: number; type: string; actorId: number | null; taskId: number; payload: Record<string, unknown>; createdAt: Date }>;
  return toPage(rows, limit, (row) => ({ ...row, createdAt: row.createdAt.toISOString() }), (last) => idCursor(last.id));
}
