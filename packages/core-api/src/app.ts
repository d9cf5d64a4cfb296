import Router from '@koa/router';
import cors from '@koa/cors';
import Koa, { type Middleware } from 'koa';
import { pendingMigrations } from './db/database.js';
import { backupToken, backupTokenCheck, dumpEmbedded } from './db/backup.js';
import { demoSignIns } from './db/seed.js';
import { Api } from './http/api.js';
import { authenticate, bearerToken } from './http/authenticate.js';
import { GRAPHQL_PATH, loadGraphqlConfig, type GraphqlConfig } from './graphql/config.js';
import { registerGraphiqlRoutes } from './graphql/graphiql.js';
import { authenticateGraphql, forMutations, graphqlSucceeded } from './http/graphqlPipeline.js';
import { registerDocsRoutes } from './http/docs.js';
import { idempotency } from './http/idempotency.js';
import { metricsAccess } from './http/metricsAccess.js';
import { rateLimit } from './http/rateLimit.js';
import { jsonBody, requestHandling, securityHeaders } from './http/middleware.js';
import { serveStatic } from './http/static.js';
import { buildOpenApi } from './http/openapi.js';
import { WEBHOOK_BODIES, WebhookEvent } from './schemas/eventCatalog.js';
import type { EventBus } from './events/bus.js';
import { registerAnalyticsRoutes } from './routes/analytics.js';
import { registerBackupRoute } from './routes/backup.js';
import { registerApiKeyRoutes } from './routes/apiKeys.js';
import { registerAttachmentRoutes } from './routes/attachments.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerCommentRoutes } from './routes/comments.js';
import { registerEventRoutes } from './routes/events.js';
import { registerExportRoutes } from './routes/exports.js';
import { registerNotificationRoutes } from './routes/notifications.js';
import { registerNotificationPreferenceRoutes, registerUnsubscribeRoutes, UNSUBSCRIBE_PATH } from './routes/notificationPreferences.js';
import { registerCalendarFeedRoutes } from './routes/calendarFeeds.js';
import { registerReminderRoutes } from './routes/reminders.js';
import { registerDemoRoutes } from './routes/demo.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerProjectRoutes } from './routes/projects.js';
import { registerLabelRoutes } from './routes/labels.js';
import { registerFieldRoutes } from './routes/fields.js';
import { registerImportPreviewRoutes } from './routes/importPreview.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerViewRoutes } from './routes/views.js';
import { registerTaskLinkRoutes } from './routes/taskLinks.js';
import { registerUserRoutes } from './routes/users.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWorkspaceRoutes } from './routes/workspace.js';
import type { Services } from './services/index.js';

export const API_VERSION = '0.1.0';

/**
 * Builds the Koa application. It does not listen: `server.ts` does, and
 * tests drive the same app on a random port.
 */
export function createApp(
  services: Services,
  /** The event bus feeds GraphQL subscriptions; GraphQL settings default to the environment's. */
  extras: { bus?: EventBus; graphql?: GraphqlConfig } = {},
) {
  const { config, logger, knex } = services;
  // Behind N proxies the client address is the N-th X-Forwarded-For entry from the right: the client writes the rest.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: config.proxyHops });
  app.silent = true; // errors are logged once, by requestHandling

  app.use(requestHandling(logger));
  app.use(securityHeaders());
  app.use(
    cors({
      origin: async (ctx) => {
        const origin = ctx.get('origin');
        if (!origin) return '';
        if (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin)) return origin;
        if (origin === `${ctx.protocol}://${ctx.host}`) return origin;
        // A preflight carries no token: any active key's origins may proceed (a preflight grants nothing by itself).
        if (ctx.method === 'OPTIONS') return (await services.apiKeys.allowedOrigins()).has(origin) ? origin : '';
        // The response itself is readable only from the origins of the caller's own token (its key's), not every key's.
        return services.tokens.originsOf(bearerToken(ctx.get('authorization')))?.includes(origin) ? origin : '';
      },
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id'],
      exposeHeaders: ['ETag', 'X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location'],
      maxAge: 600,
    }),
  );
  const json = jsonBody(config.bodyLimitBytes);
  // Mail clients' one-click unsubscribe posts a form (RFC 8058), which that route ignores; every other body is JSON.
  app.use((ctx, next) => (ctx.method === 'POST' && UNSUBSCRIBE_PATH.test(ctx.path) ? next() : json(ctx, next)));

  const router = new Router();
  const limit = rateLimit(services.rateLimiter);
  const api = new Api(router, authenticate(services.callers), idempotency(services.idempotency), limit);
  // GraphQL goes through the same pipeline as every REST route: authentication, rate limit, Idempotency-Key.
  const graphqlConfig = extras.graphql ?? loadGraphqlConfig(process.env, config.env);
  // Built by the first GraphQL request: yoga, graphql-jit and the schema were half a second of every cold start.
  const graphql = loadedOnFirstUse(async () => {
    const { createGraphqlServer, graphqlMiddleware } = await import('./graphql/koa.js');
    return graphqlMiddleware(createGraphqlServer(services, extras.bus, graphqlConfig));
  });
  router.all(GRAPHQL_PATH, authenticateGraphql(services.callers), limit, forMutations(idempotency(services.idempotency, graphqlSucceeded)), graphql);
  registerSystemRoutes(router, () => pendingMigrations(knex));
  registerAuthRoutes(api, services);
  registerSessionRoutes(api, services);
  registerDemoRoutes(api, () => demoSignIns(knex, config));
  registerWorkspaceRoutes(api, services);
  registerUserRoutes(api, services);
  registerApiKeyRoutes(api, services);
  registerProjectRoutes(api, services);
  registerTaskRoutes(api, services);
  registerTaskLinkRoutes(api, services);
  registerLabelRoutes(api, services);
  registerFieldRoutes(api, services);
  registerViewRoutes(api, services);
  registerCommentRoutes(api, services);
  registerAttachmentRoutes(api, services);
  registerNotificationRoutes(api, services);
  registerNotificationPreferenceRoutes(api, services);
  registerUnsubscribeRoutes(router, services, limit);
  registerCalendarFeedRoutes(api, services);
  registerReminderRoutes(api, services);
  registerEventRoutes(api, services);
  registerAnalyticsRoutes(api, services);
  registerWebhookRoutes(api, services);
  registerExportRoutes(api, services);
  registerImportPreviewRoutes(api, services);
  registerImportRoutes(api, services);

  const openApi = buildOpenApi(api.routes, { title: 'Taskbase API', version: API_VERSION }, { webhooks: WEBHOOK_BODIES, schemas: [WebhookEvent] });
  router.get('/metrics', metricsAccess(config.metricsToken), (ctx) => {
    ctx.type = 'text/plain; version=0.0.4';
    ctx.body = services.metrics.render();
  });
  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  registerDocsRoutes(router);
  // The operator's backup of the embedded database (BACKUP_TOKEN; routes/backup.ts), outside the API.
  const backupSecret = backupToken(process.env);
  registerBackupRoute(router, {
    check: backupSecret ? backupTokenCheck(backupSecret) : undefined,
    dump: config.databaseUrl ? undefined : () => dumpEmbedded(knex),
    logger,
    limit,
  });
  if (graphqlConfig.graphiql) registerGraphiqlRoutes(router);

  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  app.use(serveStatic({ appDir: config.appDir, widgetsDir: config.widgetsDir }));
  return { app, api, openApi };
}

/** A middleware made when the first request needs it; a failure to make it is retried by the next request. */
function loadedOnFirstUse(load: () => Promise<Middleware>): Middleware {
  let loaded: Promise<Middleware> | undefined;
  return async (ctx, next) => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return (await loaded)(ctx, next);
  };
}
