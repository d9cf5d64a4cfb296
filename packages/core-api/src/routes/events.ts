import { caller, type Api } from '../http/api.js';
import { problem } from '../schemas/common.js';
import { EventPage, EventQuery } from '../schemas/events.js';
import type { Services } from '../services/index.js';

export function registerEventRoutes(api: Api, services: Services): void {
  api.route({
    method: 'get',
    path: '/api/events',
    operationId: 'listEvents',
    summary: 'Catch up on the events after the one you last received, in log order (the HTTP twin of the WebSocket resume)',
    description: 'Log order is by the transaction that wrote each event, then id: not id order. Only settled events are listed, so a page never has an event appear before its end later.',
    tags: ['Events'],
    auth: 'user',
    query: EventQuery,
    responses: {
      200: { description: 'A page of events', schema: EventPage },
      410: problem('Events after `after` were pruned by retention (events_pruned, with prunedThroughId): reload, then continue from the newest'),
    },
    handler: async (ctx, { query }) => {
      ctx.body = await services.events.list(caller(ctx), query);
    },
  });
}
