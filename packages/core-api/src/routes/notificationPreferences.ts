import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { caller, type Api } from '../http/api.js';
import { problem } from '../schemas/common.js';
import {
  NotificationDefaults,
  NotificationDefaultsUpdate,
  NotificationPreferences,
  NotificationPreferencesUpdate,
} from '../schemas/notificationPreferences.js';
import type { Services } from '../services/index.js';

export function registerNotificationPreferenceRoutes(api: Api, services: Services): void {
  api.route({
    method: 'get',
    path: '/api/notifications/preferences',
    operationId: 'getNotificationPreferences',
    summary: 'Your notification preferences: per kind, in the app and by email; the email digest; your time zone',
    tags: ['Notifications'],
    auth: 'user',
    responses: { 200: { description: 'Your preferences (your choices over the workspace’s defaults)', schema: NotificationPreferences } },
    handler: async (ctx) => {
      ctx.body = await services.notificationPreferences.get(caller(ctx));
    },
  });

  api.route({
    method: 'put',
    path: '/api/notifications/preferences',
    operationId: 'updateNotificationPreferences',
    summary: 'Change your notification preferences',
    description:
      '`channels` is merged kind by kind and channel by channel: what you leave out keeps its value. `emailDigest` hourly or daily holds your emails and sends one per period at your local time (daily at 08:00), grouped by task. Records `notification.preferences_updated` (seen by you alone).',
    tags: ['Notifications'],
    auth: 'user',
    body: NotificationPreferencesUpdate,
    responses: {
      200: { description: 'Your preferences, changed', schema: NotificationPreferences },
      422: problem('A field is invalid (an unknown kind or time zone, say): `errors` names it'),
    },
    handler: async (ctx, { body }) => {
      ctx.body = await services.notificationPreferences.update(caller(ctx), body);
    },
  });

  api.route({
    method: 'get',
    path: '/api/workspace/notification-defaults',
    operationId: 'getNotificationDefaults',
    summary: "The workspace's notification defaults (what a member who chose nothing gets)",
    tags: ['Workspace'],
    auth: 'user',
    responses: { 200: { description: 'The defaults', schema: NotificationDefaults } },
    handler: async (ctx) => {
      ctx.body = await services.notificationPreferences.defaults(caller(ctx));
    },
  });

  api.route({
    method: 'put',
    path: '/api/workspace/notification-defaults',
    operationId: 'updateNotificationDefaults',
    summary: "Change the workspace's notification defaults (admins only)",
    description:
      "Merged like a member's preferences; members' own choices keep winning. `taskUrlTemplate` is where emails to embedded users (users with an externalId) link a task: the host app's URL with `{identifier}` and/or `{id}`. Records `workspace.notification_defaults_updated`.",
    tags: ['Workspace'],
    auth: 'user',
    roles: ['admin'],
    body: NotificationDefaultsUpdate,
    responses: {
      200: { description: 'The defaults, changed', schema: NotificationDefaults },
      403: problem('Not an admin'),
      422: problem('A field is invalid: `errors` names it'),
    },
    handler: async (ctx, { body }) => {
      ctx.body = await services.notificationPreferences.updateDefaults(caller(ctx), body);
    },
  });
}

/** The path of the one-click unsubscribe links in emails (its request bodies are forms, not JSON). */
export const UNSUBSCRIBE_PATH = /^\/api\/email\/unsubscribe\/[^/]+$/;

const KIND_WORDS: Record<string, string> = {
  all: 'all notification emails',
  assigned: 'emails when you are assigned',
  mentioned: 'emails when you are mentioned',
  commented: 'emails about comments',
  status_changed: 'emails about status changes',
  due_soon: 'emails about tasks due soon',
  overdue: 'emails about overdue tasks',
  reminder: 'reminder emails',
  watched_change: 'emails about changes to tasks you watch',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
<h1 style="font-size:1.25rem">${title}</h1>${body}</body></html>`;
}

/**
 * The signed unsubscribe link of every email (RFC 8058). POST turns the
 * kind's email off at once — mail clients' one-click button posts
 * `List-Unsubscribe=One-Click`; GET only shows a page with a button that
 * posts, so a link scanner fetching the URL changes nothing. Not part of the
 * JSON API: these answer HTML, and a forged or altered link answers 404.
 */
export function registerUnsubscribeRoutes(router: Router, services: Services, rateLimit: Middleware): void {
  const headers = (ctx: Parameters<Middleware>[0]) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'text/html; charset=utf-8';
  };
  const target = (token: string) => services.unsubscribeLinks.verify(token);
  const invalid = (ctx: Parameters<Middleware>[0]) => {
    ctx.status = 404;
    ctx.body = page('Link not valid', '<p>This unsubscribe link is not valid. Change your email settings in the app instead.</p>');
  };

  router.get('/api/email/unsubscribe/:token', rateLimit, (ctx) => {
    headers(ctx);
    const found = target(ctx.params.token!);
    if (!found) return invalid(ctx);
    ctx.body = page(
      'Unsubscribe',
      `<p>Stop ${KIND_WORDS[found.kind]}?</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    );
  });

  router.post('/api/email/unsubscribe/:token', rateLimit, async (ctx) => {
    headers(ctx);
    const found = target(ctx.params.token!);
    if (!found) return invalid(ctx);
    try {
      await services.notificationPreferences.unsubscribe(found.workspaceId, found.userId, found.kind);
    } catch (error) {
      // The user or workspace is gone: nothing left to send to.
      if ((error as { status?: number }).status === 404) return invalid(ctx);
      throw error;
    }
    ctx.body = page('Unsubscribed', `<p>You will no longer get ${KIND_WORDS[found.kind]}. You can turn them back on in your notification settings.</p>`);
  });
}
