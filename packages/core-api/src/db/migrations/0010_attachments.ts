import type { Knex } from 'knex';
import { renderMarkdown } from '../../markdown/render.js';

/**
 * Attachments, Markdown and reactions.
 *
 * - `attachments` rows point at stored objects (disk or S3). Whatever deletes
 *   a row — the attachment's own DELETE, or a cascade from its comment, task
 *   or workspace — queues its objects in `storage_deletions` through a
 *   trigger, in the same transaction; a sweeper removes them from storage.
 *   No path can forget an object.
 * - Task descriptions and comments keep their Markdown source and gain the
 *   sanitized HTML rendered from it on every write.
 * - `comment_reactions`: one row per (comment, user, emoji).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table attachments (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    task_id bigint not null references tasks (id) on delete cascade,
    comment_id bigint references task_comments (id) on delete cascade,
    filename text not null,
    content_type text not null,
    size bigint not null,
    storage_key text not null,
    thumbnail_key text,
    thumbnail_state text not null default 'none' check (thumbnail_state in ('none', 'pending', 'working', 'done', 'failed')),
    thumbnail_claimed_until timestamptz(3),
    created_by bigint references users (id) on delete set null,
    created_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create index attachments_task on attachments (task_id, id)');
  await knex.raw('create index attachments_comment on attachments (comment_id) where comment_id is not null');
  await knex.raw('create index attachments_workspace on attachments (workspace_id)');
  await knex.raw(`create index attachments_thumbnails_due on attachments (id) where thumbnail_state in ('pending', 'working')`);

  await knex.raw(`create table storage_deletions (
    id bigserial primary key,
    storage_key text not null,
    claimed_until timestamptz(3),
    created_at timestamptz(3) not null default now()
  )`);
  await knex.raw(`create function attachments_queue_objects() returns trigger language plpgsql as $$
    begin
      insert into storage_deletions (storage_key) values (old.storage_key);
      if old.thumbnail_key is not null then
        insert into storage_deletions (storage_key) values (old.thumbnail_key);
      end if;
      return null;
    end $$`);
  await knex.raw('create trigger attachments_queue_objects after delete on attachments for each row execute function attachments_queue_objects()');

  await knex.raw(`create table comment_reactions (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    comment_id bigint not null references task_comments (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    emoji text not null,
    created_at timestamptz(3) not null default now(),
    primary key (comment_id, emoji, user_id)
  )`);
  await knex.raw('create index comment_reactions_user on comment_reactions (user_id)');
  await knex.raw('create index comment_reactions_workspace on comment_reactions (workspace_id)');

  await knex.raw(`alter table tasks add column description_html text not null default ''`);
  await knex.raw(`alter table task_comments add column comment_html text not null default ''`);
  await backfillHtml(knex, 'tasks', 'description', 'description_html');
  await backfillHtml(knex, 'task_comments', 'comment', 'comment_html');
}

/** Existing texts get their HTML once; mentions and task references link from their next edit on. */
async function backfillHtml(knex: Knex, table: string, source: string, target: string): Promise<void> {
  let after = 0;
  for (;;) {
    const { rows } = await knex.raw<{ rows: Array<{ id: string; text: string }> }>(
      `select id, ${source} as text from ${table} where id > ? and ${source} <> '' order by id limit 500`,
      [after],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      await knex.raw(`update ${table} set ${target} = ? where id = ?`, [renderMarkdown(row.text), row.id]);
    }
    after = Number(rows.at(-1)!.id);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table task_comments drop column comment_html');
  await knex.raw('alter table tasks drop column description_html');
  await knex.raw('drop table comment_reactions');
  await knex.raw('drop table attachments');
  await knex.raw('drop function attachments_queue_objects');
  await knex.raw('drop table storage_deletions');
}
