import type { Knex } from 'knex';

/**
 * The delivery queue is a hot table: every delivery moves from pending to
 * done, leaving a dead entry in the partial index the worker's claim scans.
 * By default autovacuum waits for 20 % of the table to be dead, so as the
 * table grows the claim scans ever more dead entries (the soak showed
 * webhook lag creeping up over five minutes). Vacuum it after a fixed
 * number of changes instead, whatever its size.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table webhook_deliveries set (
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table webhook_deliveries reset (
    autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
    autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)`);
}
