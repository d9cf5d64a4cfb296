import type { Knex } from 'knex';
import { Model } from 'objection';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AnalyticsService } from './analytics.js';
import { ApiKeyService } from './apiKeys.js';
import { AuthService } from './auth.js';
import { Passwords } from './crypto.js';
import { Callers } from './callers.js';
import { CommentService } from './comments.js';
import { AttachmentService } from './attachments/attachments.js';
import { AttachmentFiles } from './attachments/files.js';
import { FileUrls } from './attachments/fileUrls.js';
import { AttachmentJobs } from './attachments/jobs.js';
import { ReactionService } from './reactions.js';
import { createStorage } from '../storage/index.js';
import { DueReminders } from './dueReminders.js';
import { RecurrenceJob } from './recurrence.js';
import { ReminderJob, ReminderService } from './reminders.js';
import { IdempotencyRecords } from './idempotency.js';
import { RetentionJob } from './retention.js';
import { EventFeed } from './eventFeed.js';
import { Metrics } from '../metrics.js';
import { DatabaseCounts, RateLimiter, RedisCounts } from './rateLimits.js';
import { NotificationService } from './notifications.js';
import { NotificationPreferenceService } from './notificationPreferences.js';
import { emailChannel } from './notify.js';
import { UnsubscribeLinks } from './email/unsubscribe.js';
import { CalendarFeedService } from './calendarFeeds.js';
import { DataJobQueue } from './dataJobs/queue.js';
import { DataJobRunner } from './dataJobs/runner.js';
import { DownloadUrls } from './exports/downloadUrls.js';
import { ExportService } from './exports/exports.js';
import { ImportService } from './imports/imports.js';
import { TaskBulkService } from './taskBulk.js';
import { TaskService } from './tasks.js';
import { ProjectService } from './projects.js';
import { WorkflowService } from './workflow.js';
import { LabelService } from './labels.js';
import { CustomFieldService } from './customFields.js';
import { RelationService } from './relations.js';
import { ViewService } from './views.js';
import { WatcherService } from './watchers.js';
import { LoginThrottle } from './throttle.js';
import { AccessTokens } from './tokens.js';
import { WorkspaceService } from './workspaces.js';
import { UserService } from './users.js';
import { UserStatusCache } from './userStatus.js';
import { WebhookDeliveryService } from './webhooks/deliveries.js';
import { WebhookEndpointService } from './webhooks/endpoints.js';

/** Every service, built once per app from the database and configuration. */
export function createServices(knex: Knex, config: Config, logger: Logger) {
  // Objection models run on this knex unless a transaction is passed.
  Model.knex(knex);
  const passwords = new Passwords(config.bcryptCost);
  const tokens = new AccessTokens(config.jwt);
  const throttle = new LoginThrottle(knex, config.loginWindowSeconds, config.loginMaxConcurrent);
  const projects = new ProjectService(knex);
  const tasks = new TaskService(knex, projects);
  const userStatus = new UserStatusCache(knex);
  const storage = createStorage(config.attachments.storage);
  const fileUrls = new FileUrls(config.jwt.secret, config.attachments.urlTtlSeconds, config.attachments.publicUrl);
  const attachmentJobs = new AttachmentJobs(knex, storage, (error) => logger.error({ err: error }, 'attachment job failed'));
  // A process that does not run the jobs (ATTACHMENT_JOBS_INTERVAL=0) leaves them to those that do.
  const attachments = new AttachmentService(knex, storage, fileUrls, config.attachments, config.attachments.jobsIntervalSeconds > 0 ? () => attachmentJobs.wake() : undefined);
  const reactions = new ReactionService(knex);
  const dataJobs = new DataJobQueue(knex);
  const dataJobRunner = new DataJobRunner(dataJobs, storage, (error, job) => logger.error({ err: error, jobId: job?.id, kind: job?.kind }, 'data job failed'));
  // A process that runs no jobs (DATA_JOBS_INTERVAL=0) leaves new ones to those that do.
  if (config.dataJobsIntervalSeconds > 0) dataJobs.onCreated(() => dataJobRunner.wake());
  const exportDownloads = new DownloadUrls(config.jwt.secret, 15 * 60, config.attachments.publicUrl);
  const exports = new ExportService(knex, storage, dataJobs, tasks, projects, exportDownloads, { ttlHours: config.exportTtlHours, snapshot: config.databaseUrl !== undefined });
  dataJobRunner.handle('export', exports.run);
  const labels = new LabelService(knex, projects);
  const fields = new CustomFieldService(knex, projects);
  const relations = new RelationService(knex, tasks);
  const imports = new ImportService(knex, dataJobs, storage, config.importMaxBytes, { projects, labels, fields, tasks, relations });
  dataJobRunner.handle('import', imports.handle);
  // Email is queued only by a process that has SMTP settings (services/notify.ts).
  const emailAvailable = Boolean(config.email.smtpUrl && config.email.from);
  emailChannel.enabled = emailAvailable;
  return {
    knex,
    config,
    logger,
    tokens,
    callers: new Callers(tokens, userStatus),
    auth: new AuthService({ knex, config, passwords, tokens, throttle, userStatus }),
    userStatus,
    workspaces: new WorkspaceService(knex),
    users: new UserService(knex, passwords, userStatus),
    apiKeys: new ApiKeyService(knex, tokens, config.jwt.embedTtlSeconds, userStatus, projects),
    analytics: new AnalyticsService(knex, projects, config.analyticsCacheSeconds * 1000),
    projects,
    workflow: new WorkflowService(knex, projects),
    tasks,
    taskBulk: new TaskBulkService(knex, tasks),
    labels,
    fields,
    relations,
    imports,
    watchers: new WatcherService(knex, tasks),
    views: new ViewService(knex, projects),
    comments: new CommentService(knex, attachments, reactions),
    reactions,
    attachments,
    attachmentFiles: new AttachmentFiles(knex, storage, fileUrls),
    attachmentJobs,
    storage,
    notifications: new NotificationService(knex),
    notificationPreferences: new NotificationPreferenceService(knex, emailAvailable),
    unsubscribeLinks: new UnsubscribeLinks(config.jwt.secret),
    calendarFeeds: new CalendarFeedService(knex, config.attachments.publicUrl),
    dataJobs,
    dataJobRunner,
    exports,
    dueReminders: new DueReminders(knex),
    reminders: new ReminderService(knex, tasks),
    reminderJob: new ReminderJob(knex),
    recurrenceJob: new RecurrenceJob(knex, tasks),
    retention: new RetentionJob(knex, { ...config.retention, webhookPausedDays: config.webhooks.pausedDays, emailOutboxDays: config.email.retentionDays }, { intervalMs: config.retention.intervalSeconds * 1000 }),
    events: new EventFeed(knex),
    idempotency: new IdempotencyRecords(knex, config.idempotencyMaxResponseBytes),
    webhooks: new WebhookEndpointService(knex, config.webhooks),
    webhookDeliveries: new WebhookDeliveryService(knex, config.webhooks.retrySchedule.length),
    metrics: new Metrics(),
    rateLimiter: new RateLimiter(config.redisUrl ? new RedisCounts(config.redisUrl, config.redisKeyPrefix) : new DatabaseCounts(knex), config.rateLimits, logger),
  };
}

export type Services = ReturnType<typeof createServices>;
