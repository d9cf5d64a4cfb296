import type { Knex } from 'knex';

/**
 * Ending every session of a user at once (a password change): access
 * tokens issued before `sessions_valid_after` are refused, and sockets and
 * GraphQL streams opened with them close. Refresh tokens were already
 * revoked by row; access tokens are stateless, so this one timestamp per
 * user is what lets them end too.
 *
 * Sign-in attempts being checked right now, per account (`in_flight`): an
 * attempt is counted before its password is checked, so concurrent guesses
 * cannot all pass a check made before any of them failed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table users add column sessions_valid_after timestamptz');
  await knex.raw('alter table auth_throttle add column in_flight integer not null default 0');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table auth_throttle drop column in_flight');
  await knex.raw('alter table users drop column sessions_valid_after');
}
