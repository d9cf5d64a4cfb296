import { Type } from '@sinclair/typebox';
import { Id, Strict, Timestamp, named } from './common.js';
import { EVENT_CATALOG, EVENT_TYPES, type EventType } from './eventCatalog.js';

/** One event type's entry as the feed (and a realtime frame) shows it: `event` names the type, `data` is its payload. */
const feedEventOf = (type: EventType) =>
  Type.Object(
    {
      id: Id,
      event: Type.Literal(type, { description: EVENT_CATALOG[type].description }),
      actorId: Type.Union([Id, Type.Null()]),
      taskId: Type.Union([Id, Type.Null()]),
      data: EVENT_CATALOG[type].payload,
      createdAt: Timestamp,
    },
    { title: type },
  );

/** An event of the log: one of the catalog's types (schemas/eventCatalog.ts), told apart by `event`. */
export const FeedEvent = named('Event', Type.Union(EVENT_TYPES.map(feedEventOf)));

export const EventPage = named(
  'EventPage',
  Type.Object({
    data: Type.Array(FeedEvent),
    lastId: Type.Integer({ minimum: 0, description: 'Pass as `after` to continue' }),
    hasMore: Type.Boolean(),
  }),
);

export const EventQuery = Strict({
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991, description: 'The id of the last event you received (`lastId` of the previous page): only events after it in log order' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});
