import type { Knex } from 'knex';

/**
 * The original design's tables plus the tenant (`workspaces`), the event log,
 * refresh tokens, API keys and idempotency records. Every tenant-owned table
 * carries `workspace_id` and every index on it leads with that column, so the
 * schema can later be distributed by workspace.
 */
export async function up(knex: Knex): Promise<void> {
  // Lets the full-text GIN index lead with workspace_id (trusted extension).
  await knex.raw('create extension if not exists btree_gin');

  await knex.schema.createTable('workspaces', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('email');
    t.text('password_hash');
    t.enu('role', ['admin', 'manager', 'member'], { useNative: true, enumName: 'user_role' }).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.text('external_id');
    t.timestamp('last_login_at', { useTz: true });
    t.timestamps(true, true);
    t.index(['workspace_id', 'id']);
  });
  await knex.raw('create unique index users_workspace_email_unique on users (workspace_id, lower(email)) where email is not null');
  await knex.raw('create unique index users_workspace_external_unique on users (workspace_id, external_id) where external_id is not null');
  // Sign-in is by email alone, so a password identity is unique across workspaces.
  await knex.raw('create unique index users_login_email_unique on users (lower(email)) where password_hash is not null');

  await knex.schema.createTable('tasks', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.enu('status', ['todo', 'in_progress', 'in_review', 'done'], { useNative: true, enumName: 'task_status' })
      .notNullable()
      .defaultTo('todo');
    t.enu('priority', ['low', 'medium', 'high', 'urgent'], { useNative: true, enumName: 'task_priority' })
      .notNullable()
      .defaultTo('medium');
    t.bigInteger('assigned_to').references('users.id').onDelete('SET NULL');
    t.bigInteger('created_by').notNullable().references('users.id');
    // Millisecond precision: timestamps round-trip through JavaScript Dates
    // and keyset cursors exactly.
    t.timestamp('due_date', { useTz: true, precision: 3 });
    t.double('position').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.text('external_id');
    t.timestamp('completed_at', { useTz: true, precision: 3 });
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.raw(`alter table tasks add column search tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(description, '')), 'B')) stored`);
  await knex.raw('create index tasks_workspace_search on tasks using gin (workspace_id, search)');
  await knex.raw('create index tasks_workspace_created on tasks (workspace_id, created_at, id)');
  await knex.raw('create index tasks_workspace_updated on tasks (workspace_id, updated_at, id)');
  await knex.raw('create index tasks_workspace_status_position on tasks (workspace_id, status, position, id)');
  await knex.raw('create index tasks_workspace_assignee on tasks (workspace_id, assigned_to, status)');
  await knex.raw('create index tasks_workspace_creator on tasks (workspace_id, created_by)');
  // Analytics: tasks completed within a range.
  await knex.raw("create index tasks_workspace_completed on tasks (workspace_id, completed_at) where status = 'done'");
  await knex.raw('create index tasks_workspace_due on tasks (workspace_id, due_date, id) where due_date is not null');
  await knex.raw('create unique index tasks_workspace_external_unique on tasks (workspace_id, external_id) where external_id is not null');

  await knex.schema.createTable('task_comments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('task_id').notNullable().references('tasks.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id');
    t.text('comment').notNullable();
    t.jsonb('mentions').notNullable().defaultTo('[]');
    t.timestamps(true, true);
    t.index(['workspace_id', 'task_id', 'id']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('task_id').references('tasks.id').onDelete('CASCADE');
    t.bigInteger('actor_id').references('users.id').onDelete('SET NULL');
    t.text('type').notNullable();
    t.text('message').notNullable();
    t.boolean('read').notNullable().defaultTo(false);
    // Set for notifications that must exist at most once (due soon, overdue).
    t.text('dedupe_key');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workspace_id', 'user_id', 'id']);
  });
  await knex.raw('create index notifications_workspace_user_unread on notifications (workspace_id, user_id, id) where not read');
  await knex.raw(
    'create unique index notifications_workspace_dedupe on notifications (workspace_id, user_id, dedupe_key) where dedupe_key is not null',
  );

  // Append-only: one row per state change, written in the change's transaction.
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.text('type').notNullable();
    t.bigInteger('actor_id');
    // No foreign key: a task's history outlives the task.
    t.bigInteger('task_id');
    // Set when only one user may see the event (their notifications).
    t.bigInteger('user_id');
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workspace_id', 'id']);
    t.index(['workspace_id', 'task_id', 'id']);
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('family_id').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workspace_id', 'user_id']);
    t.index(['workspace_id', 'family_id']);
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.bigIncrements('id');
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.text('name').notNullable();
    // The public part of the key, used to find it; the secret part is only hashed.
    t.text('prefix').notNullable().unique();
    t.text('key_hash').notNullable();
    t.specificType('allowed_origins', 'text[]').notNullable().defaultTo('{}');
    t.specificType('max_role', 'user_role').notNullable().defaultTo('member');
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workspace_id', 'id']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.bigInteger('workspace_id').notNullable().references('workspaces.id').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable();
    t.text('key').notNullable();
    t.text('fingerprint').notNullable();
    t.integer('status');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['workspace_id', 'user_id', 'key']);
  });

  // Login throttling, shared by every API process through the database.
  await knex.schema.createTable('auth_throttle', (t) => {
    t.text('key').primary();
    t.integer('failures').notNullable();
    t.timestamp('window_started_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'auth_throttle',
    'idempotency_keys',
    'api_keys',
    'refresh_tokens',
    'events',
    'notifications',
    'task_comments',
    'tasks',
    'users',
    'workspaces',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('drop type if exists task_priority, task_status, user_role');
}
