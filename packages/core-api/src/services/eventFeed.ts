import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { EVENT_COLUMNS, type BusEvent } from '../realtime/bus.js';
import { unseenEvents } from '../realtime/positions.js';
import { ADMIN_ONLY_EVENT_PREFIXES, eventFrame } from '../realtime/visibility.js';

/**
 * GET /api/events: the log as the caller may see it, in log position order
 * (settled events only), for consumers that were offline: the same events
 * and visibility as the WebSocket.
 */
export class EventFeed {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: { after?: number; limit?: number }) {
    const limit = input.limit ?? 100;
    const { query } = await unseenEvents(this.knex, caller.workspaceId, input.after ?? 0);
    query
      .where((visible) => {
        visible.where('userId', caller.userId).orWhere((shared) => {
          shared.whereNull('userId');
          if (caller.role !== 'admin') for (const prefix of ADMIN_ONLY_EVENT_PREFIXES) shared.whereNot('type', 'like', `${prefix}%`);
        });
      })
      .limit(limit + 1)
      .select(EVENT_COLUMNS);
    const rows = (await query) as BusEvent[];
    const page = rows.slice(0, limit);
    return {
      data: page.map((event) => {
        const { type: _frame, topic: _topic, ...rest } = eventFrame(event, '');
        return rest;
      }),
      /** Pass as `after` for the next page; stays put when there is nothing new. */
      lastId: page.at(-1)?.id ?? input.after ?? 0,
      hasMore: rows.length > limit,
    };
  }
}
