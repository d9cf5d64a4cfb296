import type { Knex } from 'knex';
import * as initial from './0001_initial.js';
import * as webhooks from './0002_webhooks.js';
import * as rateLimits from './0003_rate_limits.js';
import * as eventPositions from './0004_event_positions.js';
import * as queueVacuum from './0005_queue_vacuum.js';
import * as sessionsAndSignIns from './0006_sessions_and_sign_ins.js';
import * as retention from './0007_retention.js';
import * as projects from './0008_projects.js';
import * as taskStructure from './0009_task_structure.js';
import * as attachments from './0010_attachments.js';
import * as foreignKeyIndexes from './0011_foreign_key_indexes.js';
import * as notificationChannels from './0012_notification_channels.js';
import * as recurrenceReminders from './0013_recurrence_reminders.js';
import * as calendarFeeds from './0014_calendar_feeds.js';
import * as dataJobs from './0015_data_jobs.js';
import * as taskLinkCounts from './0016_task_link_counts.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Migrations in order. Bundled as modules so dist/ and tests load the same code. */
const migrations: Array<[name: string, migration: Migration]> = [
  ['0001_initial', initial],
  ['0002_webhooks', webhooks],
  ['0003_rate_limits', rateLimits],
  ['0004_event_positions', eventPositions],
  ['0005_queue_vacuum', queueVacuum],
  ['0006_sessions_and_sign_ins', sessionsAndSignIns],
  ['0007_retention', retention],
  ['0008_projects', projects],
  ['0009_task_structure', taskStructure],
  ['0010_attachments', attachments],
  ['0011_foreign_key_indexes', foreignKeyIndexes],
  ['0012_notification_channels', notificationChannels],
  ['0013_recurrence_reminders', recurrenceReminders],
  ['0014_calendar_feeds', calendarFeeds],
  ['0015_data_jobs', dataJobs],
  ['0016_task_link_counts', taskLinkCounts],
];

/** Every migration's name, in order (as knex records them). */
export const migrationNames = migrations.map(([name]) => name);

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations.map(([, m]) => m),
  getMigrationName: (migration) => migrations.find(([, m]) => m === migration)?.[0] ?? 'unknown',
  getMigration: async (migration) => migration,
};
