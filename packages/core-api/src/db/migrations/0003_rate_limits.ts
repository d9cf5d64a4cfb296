import type { Knex } from 'knex';

/**
 * Request counts per key (a user, an address) and one-minute window, shared
 * by every API process. Unlogged: losing counts in a crash only relaxes the
 * limit for a minute, and skipping the WAL keeps the writes cheap.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create unlogged table rate_limits (
    key text not null,
    window_start bigint not null,
    count integer not null,
    primary key (key, window_start)
  )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limits');
}
