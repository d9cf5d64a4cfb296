import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { DomainError } from '../domain/errors.js';
import { eventFrame } from '../events/frames.js';
import { readVisibleEvents } from '../events/reader.js';

/**
 * GET /api/events: the log as the caller may see it, in log position order
 * (settled events only), for consumers that were offline: the same events
 * and visibility as the WebSocket.
 */
export class EventFeed {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: { after?: number; limit?: number }) {
    const after = input.after ?? 0;
    const page = await readVisibleEvents(this.knex, caller, { afterEventId: after, limit: input.limit ?? 100 });
    if (page.prunedThroughId !== undefined) {
      throw new DomainError(410, {
        code: 'events_pruned',
        detail: `Events after ${after} are past the retention window and were deleted: reload your state, then go on with after=${page.prunedThroughId}`,
        extra: { prunedThroughId: page.prunedThroughId },
      });
    }
    return {
      data: page.events.map((event) => {
        const { type: _frame, topic: _topic, ...rest } = eventFrame(event, '');
        return rest;
      }),
      /** Pass as `after` for the next page; stays put when there is nothing new. */
      lastId: page.events.at(-1)?.id ?? after,
      hasMore: page.more,
    };
  }
}
