import type { Knex } from 'knex';

/**
 * Task structure: labels, subtasks, relations, custom fields, watchers and
 * saved views.
 *
 * - `tasks.label_ids` holds a task's labels as an array: the list filters
 *   `?label=` (any of, `&&`) and `?labelAll=` (all of, `@>`) use one GIN index,
 *   and a task reads its labels without a join table.
 * - `tasks.parent_id` makes subtasks; the service keeps parent and child in
 *   one project, refuses cycles and depth past 5.
 * - `tasks.fields` holds custom-field values as the API answers them (the one
 *   source a task is read from); `task_field_values` mirrors each value in a
 *   typed column so that filters and sorts on one field walk a btree index
 *   instead of every task of the workspace.
 * - A `relates_to` pair is stored once whichever way it was made.
 *
 * Existing tasks' creators, assignees and commenters become their watchers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table labels (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    name text not null,
    color text not null default '#64748b',
    description text not null default '',
    project_ids bigint[],
    created_at timestamptz(3) not null default now(),
    updated_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create unique index labels_workspace_name on labels (workspace_id, lower(name))');

  await knex.raw(`alter table tasks add column label_ids bigint[] not null default '{}'`);
  await knex.raw('create index tasks_label_ids on tasks using gin (label_ids)');
  await knex.raw('alter table tasks add column parent_id bigint references tasks (id)');
  await knex.raw('create index tasks_parent on tasks (parent_id) where parent_id is not null');
  await knex.raw(`alter table tasks add column fields jsonb not null default '{}'`);

  await knex.raw(`create table task_relations (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    type text not null check (type in ('blocks', 'relates_to', 'duplicates')),
    task_id bigint not null references tasks (id) on delete cascade,
    related_task_id bigint not null references tasks (id) on delete cascade,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz(3) not null default now(),
    check (task_id <> related_task_id)
  )`);
  await knex.raw('create unique index task_relations_directed on task_relations (task_id, related_task_id, type)');
  await knex.raw(`create unique index task_relations_pair on task_relations (least(task_id, related_task_id), greatest(task_id, related_task_id), type)
    where type = 'relates_to'`);
  await knex.raw('create index task_relations_related on task_relations (related_task_id, type)');

  await knex.raw(`create table custom_fields (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    key text not null,
    name text not null,
    type text not null check (type in ('text', 'number', 'date', 'select', 'multi_select', 'user', 'checkbox', 'url')),
    description text not null default '',
    options jsonb not null default '[]',
    project_ids bigint[],
    position double precision not null default 0,
    created_at timestamptz(3) not null default now(),
    updated_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create unique index custom_fields_workspace_key on custom_fields (workspace_id, key)');
  // No workspace_id: a value is reached through its task or its field, and lists join it to tasks by name.
  await knex.raw(`create table task_field_values (
    task_id bigint not null references tasks (id) on delete cascade,
    field_id bigint not null references custom_fields (id) on delete cascade,
    value_text text,
    value_number double precision,
    value_date timestamptz(3)
  )`);
  await knex.raw('create index task_field_values_task on task_field_values (task_id, field_id)');
  await knex.raw('create index task_field_values_text on task_field_values (field_id, value_text, task_id) where value_text is not null');
  await knex.raw('create index task_field_values_number on task_field_values (field_id, value_number, task_id) where value_number is not null');
  await knex.raw('create index task_field_values_date on task_field_values (field_id, value_date, task_id) where value_date is not null');

  await knex.raw(`create table task_watchers (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    task_id bigint not null references tasks (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    created_at timestamptz(3) not null default now(),
    primary key (task_id, user_id)
  )`);
  await knex.raw('create index task_watchers_user on task_watchers (user_id)');
  await knex.raw(`insert into task_watchers (workspace_id, task_id, user_id)
    select workspace_id, id, created_by from tasks
    union select workspace_id, id, assigned_to from tasks where assigned_to is not null
    union select t.workspace_id, t.id, c.user_id from task_comments c join tasks t on t.id = c.task_id
    on conflict do nothing`);

  await knex.raw(`create table saved_views (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    owner_id bigint not null references users (id) on delete cascade,
    project_id bigint references projects (id) on delete cascade,
    name text not null,
    query text not null default '',
    layout text not null default 'list' check (layout in ('board', 'list')),
    shared boolean not null default false,
    position double precision not null default 0,
    created_at timestamptz(3) not null default now(),
    updated_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create index saved_views_workspace on saved_views (workspace_id, shared, owner_id, position, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table saved_views');
  await knex.raw('drop table task_watchers');
  await knex.raw('drop table task_field_values');
  await knex.raw('drop table custom_fields');
  await knex.raw('drop table task_relations');
  await knex.raw('alter table tasks drop column fields');
  await knex.raw('alter table tasks drop column parent_id');
  await knex.raw('alter table tasks drop column label_ids');
  await knex.raw('drop table labels');
}
