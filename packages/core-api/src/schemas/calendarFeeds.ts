import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Strict, Timestamp, named } from './common.js';

export const CALENDAR_FEED_SCOPES = ['assigned', 'watching', 'project'] as const;
export type CalendarFeedScope = (typeof CALENDAR_FEED_SCOPES)[number];
export const CalendarFeedScopeSchema = StringEnum(CALENDAR_FEED_SCOPES, {
  description: 'assigned: tasks assigned to you; watching: tasks you watch; project: one project’s tasks',
});

/** A calendar feed as listed: never its secret URL (shown once, when created). */
export const CalendarFeed = named(
  'CalendarFeed',
  Type.Object({
    id: Id,
    name: Type.String(),
    scope: CalendarFeedScopeSchema,
    projectId: Type.Union([Id, Type.Null()]),
    createdAt: Timestamp,
  }),
);
export type CalendarFeedDto = Static<typeof CalendarFeed>;

export const CreatedCalendarFeed = named(
  'CreatedCalendarFeed',
  Type.Object({
    ...CalendarFeed.properties,
    url: Type.String({ description: 'The secret subscription URL (text/calendar). Shown only now: store it; anyone with it sees the feed' }),
  }),
);

export const CalendarFeedInput = Strict({
  scope: CalendarFeedScopeSchema,
  projectId: Type.Optional(Id),
  name: Type.Optional(Type.String({ maxLength: 100 })),
});
export type CalendarFeedInputDto = Static<typeof CalendarFeedInput>;

/** Any text up to the limit: a secret of the wrong form answers 404 like an unknown one. */
export const CalendarSecretParams = Strict({ secret: Type.String({ maxLength: 100, description: 'The feed’s secret (from its URL)' }) });
