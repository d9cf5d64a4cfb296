import type { Knex } from 'knex';

/**
 * Notification channels: who hears of what, and how.
 *
 * - `users.timezone`: an IANA name, used for digests (and by reminders and
 *   recurrences).
 * - `notification_preferences`: a user's overrides of the workspace's
 *   defaults (`workspaces.notification_defaults`), per kind and channel.
 * - `notifications.kind`: the preference kind a notification counts under.
 * - `email_outbox`: one row per (recipient, cause), unique, so a cause yields
 *   one email however many workers run. Digest rows are `held` until their
 *   period ends, then gathered into one `digest` row that is sent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table users add column timezone text not null default 'UTC'`);
  await knex.raw(`alter table workspaces add column notification_defaults jsonb not null default '{}'::jsonb`);
  await knex.raw(`alter table workspaces add column task_url_template text`);

  await knex.raw(`create table notification_preferences (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    channels jsonb not null default '{}'::jsonb,
    email_digest text check (email_digest in ('off', 'hourly', 'daily')),
    updated_at timestamptz(3) not null default now(),
    primary key (user_id)
  )`);
  await knex.raw('create index notification_preferences_workspace on notification_preferences (workspace_id)');

  await knex.raw(`alter table notifications add column kind text not null default 'other'`);
  await knex.raw(`update notifications set kind = case type
      when 'task.assigned' then 'assigned'
      when 'comment.mention' then 'mentioned'
      when 'comment.created' then 'commented'
      when 'task.status_changed' then 'status_changed'
      when 'task.due_soon' then 'due_soon'
      when 'task.overdue' then 'overdue'
      when 'task.reminder' then 'reminder'
      when 'task.watched_change' then 'watched_change'
      else 'other' end`);

  await knex.raw(`create table email_outbox (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    task_id bigint references tasks (id) on delete cascade,
    actor_id bigint references users (id) on delete set null,
    cause_key text not null,
    kind text not null,
    type text not null,
    message text not null,
    status text not null default 'pending' check (status in ('held', 'pending', 'sent', 'failed', 'digested')),
    digest text check (digest in ('hourly', 'daily')),
    digest_id bigint references email_outbox (id) on delete cascade,
    attempts integer not null default 0,
    next_attempt_at timestamptz(3) not null default now(),
    locked_until timestamptz(3),
    lease_id uuid,
    last_error text,
    sent_at timestamptz(3),
    created_at timestamptz(3) not null default now()
  )`);
  // One email per cause and recipient, whichever process enqueues it.
  await knex.raw('create unique index email_outbox_cause on email_outbox (workspace_id, user_id, cause_key)');
  await knex.raw(`create index email_outbox_due on email_outbox (next_attempt_at, id) where status = 'pending'`);
  await knex.raw(`create index email_outbox_held on email_outbox (next_attempt_at, user_id) where status = 'held'`);
  await knex.raw('create index email_outbox_user on email_outbox (user_id)');
  await knex.raw('create index email_outbox_task on email_outbox (task_id) where task_id is not null');
  await knex.raw('create index email_outbox_actor on email_outbox (actor_id) where actor_id is not null');
  await knex.raw('create index email_outbox_digest on email_outbox (digest_id) where digest_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists email_outbox');
  await knex.raw('alter table notifications drop column if exists kind');
  await knex.raw('drop table if exists notification_preferences');
  await knex.raw('alter table workspaces drop column if exists task_url_template');
  await knex.raw('alter table workspaces drop column if exists notification_defaults');
  await knex.raw('alter table users drop column if exists timezone');
}
