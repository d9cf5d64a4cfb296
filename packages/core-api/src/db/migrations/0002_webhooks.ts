import type { Knex } from 'knex';

/**
 * Webhooks: endpoints, their deliveries (the durable queue the worker drains
 * with FOR UPDATE SKIP LOCKED) and every attempt, plus the fan-out position
 * in the event log. Every index on tenant data leads with workspace_id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.text('url').notNullable();
    t.text('description').notNullable().defaultTo('');
    // Empty means every type in the catalog.
    t.specificType('event_types', 'text[]').notNullable().defaultTo('{}');
    // For task.updated: only when one of these fields changed; empty means any.
    t.specificType('changed_fields', 'text[]').notNullable().defaultTo('{}');
    // Kept in clear: it is needed to sign, and admins may read it back.
    t.text('secret').notNullable();
    t.text('previous_secret');
    t.timestamp('previous_secret_expires_at', { useTz: true, precision: 3 });
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('disabled_reason');
    t.timestamp('failing_since', { useTz: true, precision: 3 });
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['workspace_id', 'id']);
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    // Null for test events, which come from no event.
    t.bigInteger('event_id');
    // The webhook-id header: one per delivery, the same on every retry.
    t.text('message_id').notNullable();
    t.text('event_type').notNullable();
    // The exact bytes signed and sent, so retries send the same body.
    t.text('body').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempt_count').notNullable().defaultTo(0);
    // Index into the retry schedule of the next failure's delay.
    t.integer('schedule_step').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true, precision: 3 });
    t.timestamp('locked_until', { useTz: true, precision: 3 });
    t.uuid('lease_id');
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('completed_at', { useTz: true, precision: 3 });
    t.index(['workspace_id', 'endpoint_id', 'id']);
  });
  await knex.raw(`alter table webhook_deliveries add constraint webhook_deliveries_status_check
    check (status in ('pending', 'succeeded', 'failed'))`);
  // Fan-out inserts are idempotent: an event becomes one delivery per endpoint.
  await knex.raw(`create unique index webhook_deliveries_event_unique
    on webhook_deliveries (workspace_id, endpoint_id, event_id) where event_id is not null`);
  // The worker's queue: only pending rows, so it stays small.
  await knex.raw(`create index webhook_deliveries_due
    on webhook_deliveries (workspace_id, next_attempt_at) where status = 'pending'`);

  await knex.schema.createTable('webhook_attempts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('delivery_id').notNullable().references('webhook_deliveries.id').onDelete('CASCADE');
    t.integer('attempt').notNullable();
    t.integer('status_code');
    t.integer('duration_ms').notNullable();
    t.text('error');
    t.text('response_body');
    t.timestamp('next_retry_at', { useTz: true, precision: 3 });
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['workspace_id', 'delivery_id', 'attempt']);
  });

  // One row: the highest event id turned into deliveries, and the ids below
  // it not seen yet (their transaction may still commit) with when first missed.
  await knex.schema.createTable('webhook_cursor', (t) => {
    t.integer('id').primary();
    t.bigInteger('last_event_id').notNullable();
    t.jsonb('gaps').notNullable().defaultTo('[]');
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.raw(`alter table webhook_cursor add constraint webhook_cursor_single check (id = 1)`);
  await knex.raw(`insert into webhook_cursor (id, last_event_id) select 1, coalesce(max(id), 0) from events`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_cursor');
  await knex.schema.dropTableIfExists('webhook_attempts');
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_endpoints');
}
