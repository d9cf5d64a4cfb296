import type { Knex } from 'knex';

/**
 * Archived notifications and calendar feeds.
 *
 * - `notifications.archived_at`: archived ones leave the bell's default list
 *   and the unread count. `notifications_task_group` serves the bell's list
 *   grouped by task (one scan of a user's rows in task order, newest last).
 * - `calendar_feeds`: a user's secret `.ics` URLs. Only the secret's SHA-256
 *   is stored (`token_hash`, looked up by equality); `project_ids` keeps the
 *   project limit of the token that created the feed (an embed token's), so
 *   the feed never shows more than its creator could see.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table notifications add column archived_at timestamptz(3)');
  await knex.raw('create index notifications_task_group on notifications (workspace_id, user_id, task_id, id)');

  await knex.raw(`create table calendar_feeds (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    scope text not null check (scope in ('assigned', 'watching', 'project')),
    project_id bigint references projects (id) on delete cascade,
    project_ids bigint[],
    name text not null default '',
    token_hash text not null unique,
    created_at timestamptz(3) not null default now(),
    check ((scope = 'project') = (project_id is not null))
  )`);
  await knex.raw('create index calendar_feeds_user on calendar_feeds (user_id, id)');
  await knex.raw('create index calendar_feeds_workspace on calendar_feeds (workspace_id)');
  await knex.raw('create index calendar_feeds_project on calendar_feeds (project_id) where project_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table calendar_feeds');
  await knex.raw('drop index notifications_task_group');
  await knex.raw('alter table notifications drop column archived_at');
}
