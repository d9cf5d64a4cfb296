import type { Knex } from 'knex';

/**
 * What the retention job (services/retention.ts) needs:
 * - `event_retention`: per workspace, the highest event id pruned, so a
 *   client resuming from before it is told to resync instead of silently
 *   missing what was deleted;
 * - `maintenance_jobs`: when a cluster-wide job last ran, so that any number
 *   of processes run it once per interval;
 * - indexes on the columns retention selects by. They do not lead with
 *   workspace_id, unlike every tenant index: retention reads across
 *   workspaces by age, and would otherwise scan whole tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table event_retention (
    workspace_id bigint primary key references workspaces (id) on delete cascade,
    pruned_through_id bigint not null
  )`);
  await knex.raw(`create table maintenance_jobs (
    name text primary key,
    last_run_at timestamptz not null
  )`);
  await knex.raw('create index events_created_at on events (created_at)');
  await knex.raw('create index idempotency_keys_created_at on idempotency_keys (created_at)');
  await knex.raw('create index refresh_tokens_expires_at on refresh_tokens (expires_at)');
  await knex.raw('create index webhook_deliveries_completed_at on webhook_deliveries (completed_at) where completed_at is not null');
  await knex.raw('create index auth_throttle_window on auth_throttle (window_started_at)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['auth_throttle_window', 'webhook_deliveries_completed_at', 'refresh_tokens_expires_at', 'idempotency_keys_created_at', 'events_created_at']) {
    await knex.raw(`drop index if exists ${index}`);
  }
  await knex.raw('drop table if exists maintenance_jobs');
  await knex.raw('drop table if exists event_retention');
}
