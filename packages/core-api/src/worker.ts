import type { Config } from './config.js';
import { migrateLatest, openDatabase } from './db/database.js';
import type { Logger } from './logger.js';
import { EmbeddedEventBus, PostgresEventBus, type EventBus } from './events/bus.js';
import { WebhookWorker } from './webhooks/worker.js';
import { EmailWorker } from './services/email/worker.js';
import { emailChannel } from './services/notify.js';
import { startRecurringJobs } from './recurringJobs.js';
import { createServices } from './services/index.js';
import { ProjectService } from './services/projects.js';
import { RecurrenceJob } from './services/recurrence.js';
import { ReminderJob } from './services/reminders.js';
import { TaskService } from './services/tasks.js';

export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * Runs the webhook delivery worker, the recurring-task and reminder jobs, exports and imports (`taskbase worker`), beside any
 * number of API processes and other workers on the same PostgreSQL. With the
 * embedded database it must be the only process using the data folder.
 */
export async function startWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  if (config.migrateOnStart) await migrateLatest(database.knex);
  const bus: EventBus =
    database.mode === 'postgres'
      ? new PostgresEventBus(database.knex, logger, config.databaseUrl!)
      : new EmbeddedEventBus(database.knex, logger, database.pglite!);
  await bus.start();
  const worker = new WebhookWorker(database.knex, config.webhooks, logger);
  worker.start(bus);
  // Email: the jobs here notify (so queue email), and this process sends what any process queued.
  emailChannel.enabled = Boolean(config.email.smtpUrl && config.email.from);
  const emailWorker = emailChannel.enabled ? new EmailWorker(database.knex, config.email, config.jwt.secret, logger) : undefined;
  emailWorker?.start(bus);
  // Occurrences of recurring tasks and reminders: claimed once across every process that runs these jobs.
  const tasks = new TaskService(database.knex, new ProjectService(database.knex));
  const stopRecurringJobs = startRecurringJobs({ recurrenceJob: new RecurrenceJob(database.knex, tasks), reminderJob: new ReminderJob(database.knex) }, config, logger);
  // Exports and imports: their handlers need most services (and object storage), so this builds them all.
  const services = config.dataJobsIntervalSeconds > 0 ? createServices(database.knex, config, logger) : undefined;
  await services?.storage.ready();
  const stopDataJobs = services ? services.dataJobRunner.schedule(config.dataJobsIntervalSeconds * 1000) : () => {};
  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        stopRecurringJobs();
        stopDataJobs();
        await services?.dataJobRunner.idle();
        await services?.storage.close?.();
        await worker.stop();
        await emailWorker?.stop();
        await bus.stop();
        await database.close();
      })()),
  };
}
