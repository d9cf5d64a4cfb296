import type { Knex } from 'knex';

/**
 * Events get a position, (txid, id), that readers can trust without any
 * lock: `txid` is the id of the transaction that wrote the row, and a row is
 * settled once its transaction is older than every transaction still
 * running (`pg_snapshot_xmin`). Nothing can later appear before a settled
 * position, so "everything after position P" is complete. This replaces the
 * per-workspace advisory lock that used to force ids to commit in order,
 * which serialized every write of a workspace through its COMMIT.
 */
export async function up(knex: Knex): Promise<void> {
  // Existing rows all get this migration's transaction id: older than any to come.
  await knex.raw(`alter table events add column txid bigint not null default (pg_current_xact_id()::text::bigint)`);
  await knex.raw(`create index events_position on events (txid, id)`);
  await knex.raw(`create index events_workspace_position on events (workspace_id, txid, id)`);
  // Per-workspace reads by id alone are gone (they go by position now).
  await knex.raw(`drop index events_workspace_id_id_index`);

  // The webhook fan-out's cursor becomes a position too; ids it still
  // waited for (its "gaps") are read again (deliveries are idempotent).
  await knex.raw(`alter table webhook_cursor add column last_txid bigint not null default 0`);
  await knex.raw(`update webhook_cursor set
      last_txid = pg_current_xact_id()::text::bigint,
      last_event_id = least(last_event_id, coalesce((select min((g ->> 0)::bigint) - 1 from jsonb_array_elements(gaps) g), last_event_id))`);
  await knex.raw(`alter table webhook_cursor drop column gaps`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table webhook_cursor add column gaps jsonb not null default '[]'`);
  await knex.raw(`alter table webhook_cursor drop column last_txid`);
  await knex.raw(`create index events_workspace_id_id_index on events (workspace_id, id)`);
  await knex.raw(`drop index events_workspace_position`);
  await knex.raw(`drop index events_position`);
  await knex.raw(`alter table events drop column txid`);
}
