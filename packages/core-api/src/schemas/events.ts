import { Type } from '@sinclair/typebox';
import { Id, Strict, Timestamp, named } from './common.js';

export const FeedEvent = named(
  'Event',
  Type.Object({
    id: Id,
    event: Type.String({ description: 'The event type, e.g. task.updated' }),
    actorId: Type.Union([Id, Type.Null()]),
    taskId: Type.Union([Id, Type.Null()]),
    data: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Timestamp,
  }),
);

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
