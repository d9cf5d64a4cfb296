import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { AnalyzeJob, BULK_ANALYZE_TABLES } from './db/analyzeJob.js';
import { migrateLatest, openDatabase, type Database } from './db/database.js';
import { seedDemo, type DemoCredentials } from './db/seed.js';
import { answerClientErrors } from './http/clientError.js';
import { createLogger, type Logger } from './logger.js';
import { EmbeddedEventBus, PostgresEventBus, type EventBus } from './events/bus.js';
import { DEFAULT_HUB_OPTIONS, RealtimeHub, type HubOptions } from './realtime/hub.js';
import { createServices, type Services } from './services/index.js';
import { WebhookWorker } from './webhooks/worker.js';
import { EmailWorker, type EmailTransport } from './services/email/worker.js';
import { startRecurringJobs } from './recurringJobs.js';

export interface RunningServer {
  url: string;
  server: Server;
  services: Services;
  database: Database;
  demo: DemoCredentials | undefined;
  bus: EventBus;
  hub: RealtimeHub;
  /** The email worker, when this process sends email (EMAIL_WORKER and SMTP settings). */
  emailWorker: EmailWorker | undefined;
  close(): Promise<void>;
}

/** Opens the database, migrates, optionally seeds, and listens. */
export async function startServer(
  config: Config,
  options: { logger?: Logger; database?: Database; realtime?: Partial<HubOptions>; emailTransport?: EmailTransport } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database =
    options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax, preparedStatements: config.databasePreparedStatements, sharedBuffersMb: config.embeddedSharedBuffersMb, logger }));
  if (config.migrateOnStart) {
    const applied = await migrateLatest(database.knex);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const demo = config.seedDemo ? await seedDemo(database.knex, config) : undefined;
  const services = createServices(database.knex, config, logger);
  await services.storage.ready();
  const attachmentJobsOn = config.attachments.jobsIntervalSeconds > 0;
  const stopAttachmentJobs = attachmentJobsOn ? services.attachmentJobs.schedule(config.attachments.jobsIntervalSeconds * 1000) : () => {};
  // Exports and imports (services/dataJobs/): claimed once across every process that runs them.
  const stopDataJobs = config.dataJobsIntervalSeconds > 0 ? services.dataJobRunner.schedule(config.dataJobsIntervalSeconds * 1000) : () => {};
  const reminderRuns = services.metrics.counter('taskbase_due_reminder_runs_total', 'Completed runs of the due-soon/overdue reminder job');
  const stopReminders =
    config.dueRemindersIntervalSeconds > 0
      ? services.dueReminders.schedule(
          config.dueRemindersIntervalSeconds * 1000,
          (error) => logger.error({ err: error }, 'due reminders failed'),
          () => reminderRuns.inc(),
        )
      : () => {};
  const stopRecurringJobs = startRecurringJobs(services, config, logger);
  // Once per interval across the cluster, whichever process claims it (services/retention.ts).
  const stopRetention =
    config.retention.intervalSeconds > 0
      ? services.retention.schedule(
          (error) => logger.error({ err: error }, 'retention failed'),
          (pruned) => pruned && logger.info({ pruned }, 'retention pruned old rows'),
        )
      : () => {};
  // Planner statistics (db/analyzeJob.ts): after a large task import on either database; on the embedded one, which has
  // no autovacuum, also every EMBEDDED_ANALYZE_INTERVAL seconds when anything was written and after a burst of writes.
  const embeddedAnalyze = database.mode === 'embedded' && config.embeddedAnalyzeIntervalSeconds > 0;
  const analyzeJob = new AnalyzeJob(database.knex, {
    intervalMs: embeddedAnalyze ? config.embeddedAnalyzeIntervalSeconds * 1000 : 0,
    burstRows: 1000,
    minGapMs: 60_000,
    burstTables: BULK_ANALYZE_TABLES,
    onError: (error) => logger.error({ err: error }, 'analyze failed'),
    onAnalyzed: (what, ms) => logger.debug({ what, ms }, 'analyzed'),
  });
  const stopAnalyzeJob = analyzeJob.start();
  // Embedded: every event counts as a write (an import's too); PostgreSQL: only imported rows, autovacuum sees the rest.
  const stopCountingImports = embeddedAnalyze ? () => {} : services.taskBulk.onWritten((rows) => analyzeJob.wrote(rows));
  const bus: EventBus =
    database.mode === 'postgres'
      ? new PostgresEventBus(database.knex, logger, config.databaseUrl!)
      : new EmbeddedEventBus(database.knex, logger, database.pglite!);
  await bus.start();
  // Changes made by any process reach this one's caches: analytics summaries, and users' role and active flag.
  bus.subscribe((event) => {
    services.analytics.invalidate(event.workspaceId);
    if (embeddedAnalyze) analyzeJob.wrote(1);
    // A task or comment that went took its attachments' rows with it (a cascade): their files go now, not at the next interval.
    if (attachmentJobsOn && (event.type === 'task.deleted' || event.type === 'comment.deleted')) services.attachmentJobs.wake();
    if (event.type.startsWith('user.')) {
      const user = (event.payload as { user?: { id: number } }).user;
      if (user) services.userStatus.invalidate(user.id);
    }
  });
  const { app } = createApp(services, { bus });
  const webhookWorker = config.webhooks.worker ? new WebhookWorker(database.knex, config.webhooks, logger) : undefined;
  const stopWakingWorker = webhookWorker ? services.webhookDeliveries.onQueued(() => webhookWorker.wake()) : () => {};
  webhookWorker?.start(bus);
  const emailWorker =
    config.email.worker && config.email.smtpUrl && config.email.from
      ? new EmailWorker(database.knex, config.email, config.jwt.secret, logger, options.emailTransport)
      : undefined;
  emailWorker?.start(bus);
  services.rateLimiter.start();
  const server = createServer(app.callback());
  const hub = new RealtimeHub(
    {
      knex: database.knex,
      callers: services.callers,
      topicExists: (viewer, topic) => {
        if (topic.kind === 'task') return services.tasks.exists(viewer, topic.taskId);
        if (topic.kind === 'project') return services.projects.exists(viewer, topic.projectId);
        return Promise.resolve(true);
      },
      logger,
      bus,
      metrics: services.metrics,
    },
    {
      ...DEFAULT_HUB_OPTIONS,
      ...config.realtimeLimits,
      // A burst of two seconds' worth: a client (re)subscribing to its topics sends them at once.
      messageBurst: Math.max(DEFAULT_HUB_OPTIONS.messageBurst, 2 * config.realtimeLimits.messagesPerSecond),
      proxyHops: config.proxyHops,
      ...options.realtime,
    },
  );
  hub.attach(server);
  answerClientErrors(server);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopReminders();
      stopRecurringJobs();
      stopRetention();
      stopAttachmentJobs();
      stopDataJobs();
      stopAnalyzeJob();
      stopCountingImports();
      stopWakingWorker();
      const workerStopped = webhookWorker?.stop();
      const emailStopped = emailWorker?.stop();
      // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.close();
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await workerStopped;
      await emailStopped;
      await bus.stop();
      await services.attachmentJobs.idle();
      await services.dataJobRunner.idle();
      await analyzeJob.idle();
      await services.storage.close?.();
      await services.rateLimiter.stop();
      if (!options.database) await database.close();
    })());

  return { url, server, services, database, demo, bus, hub, emailWorker, close };
}
