import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { CalendarFeed, CalendarFeedInput, CalendarSecretParams, CreatedCalendarFeed } from '../schemas/calendarFeeds.js';
import { IdParams, Page, problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

export function registerCalendarFeedRoutes(api: Api, services: Services): void {
  const tags = ['Calendar feeds'];

  api.route({
    method: 'get',
    path: '/api/calendar/feeds',
    operationId: 'listCalendarFeeds',
    summary: 'Your calendar feeds (never their secret URLs)',
    tags,
    auth: 'user',
    responses: { 200: { description: 'Your feeds, newest first', schema: Page(CalendarFeed) } },
    handler: async (ctx) => {
      ctx.body = await services.calendarFeeds.list(caller(ctx));
    },
  });

  api.route({
    method: 'post',
    path: '/api/calendar/feeds',
    operationId: 'createCalendarFeed',
    summary: 'Create a calendar feed: a secret URL serving your tasks with due dates as iCalendar',
    description:
      'The URL is in this answer only (only a hash of its secret is stored). `assigned`: tasks assigned to you; `watching`: tasks you watch; `project`: the tasks of `projectId`. Each read shows what you can see then. At most 20 feeds per user.',
    tags,
    auth: 'user',
    body: CalendarFeedInput,
    responses: { 201: { description: 'Created', schema: CreatedCalendarFeed }, 409: problem('You have the most feeds allowed') },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await services.calendarFeeds.create(caller(ctx), body, `${ctx.protocol}://${ctx.host}`);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/calendar/feeds/:id',
    operationId: 'revokeCalendarFeed',
    summary: 'Revoke one of your calendar feeds: its URL answers 404 from now on',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 204: { description: 'Revoked' }, 404: problem('Not yours or unknown') },
    handler: async (ctx, { params }) => {
      await services.calendarFeeds.revoke(caller(ctx), params.id);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'get',
    path: '/api/calendar/:secret.ics',
    operationId: 'getCalendarFeed',
    summary: 'A calendar feed as iCalendar (the secret URL is the credential; no bearer header)',
    description:
      'Tasks with a due date from 90 days ago on (at most 5000, earliest first) that the feed’s owner can see now, each linking to the task; recurring tasks carry their RRULE. An unknown, revoked or malformed secret, or a deactivated owner, answers 404.',
    tags,
    auth: 'public',
    params: CalendarSecretParams,
    headers: { 'if-none-match': { description: 'The ETag of the copy you have: unchanged, it answers 304', schema: Type.String(), required: false } },
    responses: {
      200: {
        description: 'The calendar',
        binary: true,
        mediaType: 'text/calendar',
        headers: {
          ETag: { description: 'The calendar’s version, for If-None-Match', schema: Type.String() },
          'Last-Modified': { description: 'When its newest task changed (absent for an empty calendar)', schema: Type.String(), required: false },
        },
      },
      304: { description: 'Unchanged since the ETag sent', headers: { ETag: { description: 'The calendar’s version', schema: Type.String() } } },
      404: problem('No such feed (unknown, revoked, or its owner deactivated)'),
    },
    handler: async (ctx, { params }) => {
      const feed = await services.calendarFeeds.render(params.secret, `${ctx.protocol}://${ctx.host}`);
      const etag = `"${createHash('sha256').update(feed.body).digest('base64url').slice(0, 27)}"`;
      // Calendar apps poll; a private, short cache and an ETag keep that cheap without showing stale changes for long.
      ctx.set('Cache-Control', 'private, max-age=300');
      ctx.set('ETag', etag);
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('X-Robots-Tag', 'noindex');
      if (feed.lastModified) ctx.set('Last-Modified', feed.lastModified.toUTCString());
      if (ctx.get('If-None-Match') === etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = 'text/calendar; charset=utf-8';
      ctx.body = feed.body;
    },
  });
}
