import type { TSchema } from '@sinclair/typebox';
import { CALENDAR_FEED_SCOPES, CalendarFeed, CalendarFeedScopeSchema, CalendarFeedInput, CreatedCalendarFeed, type CalendarFeedDto, type CalendarFeedInputDto } from '../schemas/calendarFeeds.js';
import { compileValidator } from '../schemas/validate.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { numericIds } from './inputs.js';
import { toId } from './pagination.js';

const scopeEnum = enumType('CalendarFeedScope', CALENDAR_FEED_SCOPES, 'Which tasks a calendar feed shows');
const NAMED: NamedTypes = new Map<TSchema, string>([[CalendarFeedScopeSchema, 'CalendarFeedScope']]);
const project = { type: ': Project', description: 'The project of a `project` feed (null when you can no longer see it)' };

export const calendarFeedTypeDefs = /* GraphQL */ `
${scopeEnum.sdl}
  ${objectType('type', 'CalendarFeed', CalendarFeed, { named: NAMED, description: 'A secret iCalendar URL of your tasks with due dates (the URL is shown once)', fields: { project } })}
  ${objectType('type', 'CreatedCalendarFeed', CreatedCalendarFeed, { named: NAMED, fields: { project } })}
  ${objectType('input', 'CreateCalendarFeedInput', CalendarFeedInput, { named: NAMED, fields: { projectId: ': ID' } })}

  extend type Query {
    "Your calendar feeds, newest first (never their URLs)."
    calendarFeeds: [CalendarFeed!]!
  }

  extend type Mutation {
    "Creates a calendar feed; its secret url is in this answer only."
    createCalendarFeed(input: CreateCalendarFeedInput!): CreatedCalendarFeed!
    "Revokes one of your calendar feeds (its URL answers 404 from now on); answers its id."
    revokeCalendarFeed(id: ID!): ID!
  }
`;

const validate = compileValidator(CalendarFeedInput, 'body');
const input = underArgument('input');
const projectOf = (feed: CalendarFeedDto, _: unknown, ctx: GraphqlContext) => (feed.projectId === null ? null : ctx.loaders.projects.load(feed.projectId));

export const calendarFeedResolvers = {
  ...scopeEnum.resolvers,
  CalendarFeed: { project: projectOf },
  CreatedCalendarFeed: { project: projectOf },
  Query: {
    calendarFeeds: async (_: unknown, __: unknown, ctx: GraphqlContext) => (await ctx.services.calendarFeeds.list(ctx.caller)).data,
  },
  Mutation: {
    createCalendarFeed: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<CalendarFeedInputDto>(validate, numericIds(args.input, ['projectId']), input);
      return asArguments(input, () => ctx.services.calendarFeeds.create(ctx.caller, body, ctx.origin));
    },
    revokeCalendarFeed: async (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.calendarFeeds.revoke(ctx.caller, id);
      return id;
    },
  },
};
