import type { Knex } from 'knex';
import { type BusEvent } from './bus.js';
import { EVENT_COLUMNS } from '../models/Event.js';
import { EventRetention } from '../models/Retention.js';
import { START, unseenEvents, type Position } from './positions.js';
import { inTopicSql, type Topic } from './topics.js';
import { visibleTo, type Viewer } from './visibility.js';

export interface EventPage {
  /** In log order, at most `limit`. */
  events: BusEvent[];
  /** The position the read reached: live events up to it were covered. */
  last: Position;
  /** Whether more visible events follow. */
  more: boolean;
  /**
   * Set when events after the client's were pruned (the retention window):
   * what it missed cannot be served, it must reload (realtime: `resync`) and
   * may go on from this id, the last one pruned.
   */
  prunedThroughId?: number;
}

/** The last event id retention deleted in this workspace, if that is after `eventId`. */
async function prunedAfter(knex: Knex, workspaceId: number, eventId: number): Promise<number | undefined> {
  if (eventId <= 0) return undefined; // a reader starting from nothing gets what the log still holds
  const row = (await EventRetention.rows(knex).where({ workspaceId }).first('prunedThroughId')) as { prunedThroughId: number } | undefined;
  const through = row === undefined ? 0 : Number(row.prunedThroughId);
  return eventId < through ? through : undefined;
}

/**
 * "The settled events after the one the client last received, that this
 * viewer may see" (on one topic, when given): the one reader behind the
 * realtime resume, GET /api/events and anything else that catches up on
 * the log.
 */
export async function readVisibleEvents(
  knex: Knex,
  viewer: Viewer,
  input: { afterEventId: number; limit: number; topic?: Topic },
): Promise<EventPage> {
  const prunedThroughId = await prunedAfter(knex, viewer.workspaceId, input.afterEventId);
  if (prunedThroughId !== undefined) return { events: [], last: START, more: true, prunedThroughId };
  const { query, from } = await unseenEvents(knex, viewer.workspaceId, input.afterEventId);
  visibleTo(query, viewer);
  if (input.topic) inTopicSql(query, input.topic, viewer);
  const rows = (await query.limit(input.limit + 1).select(EVENT_COLUMNS)) as BusEvent[];
  const events = rows.slice(0, input.limit);
  return { events, last: events.at(-1) ?? from, more: rows.length > input.limit };
}
