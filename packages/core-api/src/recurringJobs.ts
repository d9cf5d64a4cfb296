import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { RecurrenceJob } from './services/recurrence.js';
import type { ReminderJob } from './services/reminders.js';

/**
 * The recurring-task job (RECURRENCE_INTERVAL) and the reminder job
 * (REMINDERS_INTERVAL), in an API process and in `taskbase worker` alike:
 * any number of processes may run them, each occurrence and reminder is
 * claimed once (SKIP LOCKED). Answers a function that stops both.
 */
export function startRecurringJobs(
  jobs: { recurrenceJob: RecurrenceJob; reminderJob: ReminderJob },
  config: Pick<Config, 'recurrenceIntervalSeconds' | 'remindersIntervalSeconds'>,
  logger: Logger,
): () => void {
  const stops: Array<() => void> = [];
  if (config.recurrenceIntervalSeconds > 0) {
    stops.push(
      jobs.recurrenceJob.schedule(
        config.recurrenceIntervalSeconds * 1000,
        (error) => logger.error({ err: error }, 'recurring tasks failed'),
        (created) => created && logger.info({ created }, 'recurring tasks created occurrences'),
      ),
    );
  }
  if (config.remindersIntervalSeconds > 0) {
    stops.push(
      jobs.reminderJob.schedule(
        config.remindersIntervalSeconds * 1000,
        (error) => logger.error({ err: error }, 'task reminders failed'),
        (sent) => sent && logger.debug({ sent }, 'task reminders sent'),
      ),
    );
  }
  return () => stops.forEach((stop) => stop());
}
