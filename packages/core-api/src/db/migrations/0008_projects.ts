import type { Knex } from 'knex';

/**
 * Projects: every task now lives in one, with the project's own workflow.
 *
 * - `projects.workflow` holds the ordered statuses as one jsonb array
 *   (`[{ key, name, color, category }]`): a workflow is read whole on every
 *   write that needs it and edited whole under the project's row lock.
 * - `projects.next_number` hands out per-project task numbers (`CRM-42`).
 * - `tasks.status` becomes text (a key of its project's workflow) and tasks
 *   carry `status_category` (denormalised: lists, "done", analytics and due
 *   reminders filter on it without a join) and their `identifier`.
 * - `task_aliases` and `project_key_aliases` keep old identifiers and keys
 *   resolving after a task moves or a project's key changes.
 * - `events.project_id` lets every reader hide what private projects hold.
 *
 * Existing data: each workspace gets a default project `General` (key `GEN`)
 * with the default workflow; its tasks are numbered in creation order.
 * Frozen here (not imported) so that later code changes cannot rewrite history.
 */
const DEFAULT_WORKFLOW = [
  { key: 'todo', name: 'To do', color: '#64748b', category: 'unstarted' },
  { key: 'in_progress', name: 'In progress', color: '#2563eb', category: 'started' },
  { key: 'in_review', name: 'In review', color: '#9333ea', category: 'started' },
  { key: 'done', name: 'Done', color: '#16a34a', category: 'completed' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create type status_category as enum ('backlog', 'unstarted', 'started', 'completed', 'canceled')`);
  await knex.raw(`create table projects (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    key text not null,
    name text not null,
    description text not null default '',
    color text not null default '#4f46e5',
    visibility text not null default 'workspace' check (visibility in ('workspace', 'private')),
    external_id text,
    lead_id bigint references users (id) on delete set null,
    is_default boolean not null default false,
    workflow jsonb not null,
    next_number integer not null default 1,
    position double precision not null default 0,
    archived_at timestamptz(3),
    created_at timestamptz(3) not null default now(),
    updated_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create unique index projects_workspace_key on projects (workspace_id, key)');
  await knex.raw('create unique index projects_workspace_external on projects (workspace_id, external_id) where external_id is not null');
  await knex.raw('create unique index projects_workspace_default on projects (workspace_id) where is_default');
  await knex.raw('create index projects_workspace_position on projects (workspace_id, position, id)');
  await knex.raw(`create table project_members (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    project_id bigint not null references projects (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    created_at timestamptz(3) not null default now(),
    primary key (project_id, user_id)
  )`);
  await knex.raw('create index project_members_workspace_user on project_members (workspace_id, user_id)');
  await knex.raw(`create table project_key_aliases (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    key text not null,
    project_id bigint not null references projects (id) on delete cascade,
    primary key (workspace_id, key)
  )`);
  await knex.raw(`create table task_aliases (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    identifier text not null,
    task_id bigint not null references tasks (id) on delete cascade,
    primary key (workspace_id, identifier)
  )`);

  await knex.raw(`insert into projects (workspace_id, key, name, description, is_default, workflow, created_at, updated_at)
    select id, 'GEN', 'General', 'Every task of the workspace before projects existed', true, ?::jsonb, created_at, created_at from workspaces`, [
    JSON.stringify(DEFAULT_WORKFLOW),
  ]);

  await knex.raw('alter table tasks add column project_id bigint references projects (id)');
  await knex.raw('alter table tasks add column number integer');
  await knex.raw('alter table tasks add column identifier text');
  await knex.raw('alter table tasks add column status_category status_category');
  // Indexes that name the old enum type go before the type does.
  await knex.raw('drop index tasks_workspace_status_position');
  await knex.raw('drop index tasks_workspace_completed');
  await knex.raw('alter table tasks alter column status drop default');
  await knex.raw('alter table tasks alter column status type text using status::text');
  await knex.raw('drop type task_status');
  await knex.raw(`update tasks set project_id = numbered.project_id, number = numbered.n, identifier = 'GEN-' || numbered.n,
      status_category = (case tasks.status when 'done' then 'completed' when 'todo' then 'unstarted' else 'started' end)::status_category
    from (select t.id, p.id as project_id, row_number() over (partition by t.workspace_id order by t.created_at, t.id) as n
          from tasks t join projects p on p.workspace_id = t.workspace_id and p.is_default) numbered
    where tasks.id = numbered.id`);
  await knex.raw(`update projects set next_number = coalesce((select max(number) from tasks where tasks.project_id = projects.id), 0) + 1`);
  for (const column of ['project_id', 'number', 'identifier', 'status_category']) {
    await knex.raw(`alter table tasks alter column ${column} set not null`);
  }
  await knex.raw('create unique index tasks_project_number on tasks (project_id, number)');
  await knex.raw('create unique index tasks_workspace_identifier on tasks (workspace_id, identifier)');
  // A board is one project's columns; clients written before projects still ask for a whole
  // workspace's column (?status=todo&sort=position), which keeps its own index.
  await knex.raw('create index tasks_workspace_project_status_position on tasks (workspace_id, project_id, status, position, id)');
  await knex.raw('create index tasks_workspace_status_position on tasks (workspace_id, status, position, id)');
  await knex.raw("create index tasks_workspace_completed on tasks (workspace_id, completed_at) where status_category = 'completed'");

  await knex.raw('alter table events add column project_id bigint');
  await knex.raw(`update events set project_id = p.id from projects p where p.workspace_id = events.workspace_id and p.is_default and events.task_id is not null`);

  // A key (and the embed tokens it mints) or a webhook endpoint limited to some projects; null = all.
  await knex.raw('alter table api_keys add column project_ids bigint[]');
  await knex.raw('alter table webhook_endpoints add column project_ids bigint[]');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table webhook_endpoints drop column project_ids');
  await knex.raw('alter table api_keys drop column project_ids');
  await knex.raw('alter table events drop column project_id');
  await knex.raw(`create type task_status as enum ('todo', 'in_progress', 'in_review', 'done')`);
  await knex.raw('drop index tasks_workspace_completed');
  await knex.raw("delete from tasks where status not in ('todo', 'in_progress', 'in_review', 'done')");
  await knex.raw(`alter table tasks alter column status type task_status using status::task_status`);
  await knex.raw(`alter table tasks alter column status set default 'todo'`);
  await knex.raw("create index tasks_workspace_completed on tasks (workspace_id, completed_at) where status = 'done'");
  await knex.raw('drop index tasks_workspace_project_status_position');
  await knex.raw('drop table task_aliases');
  for (const column of ['status_category', 'identifier', 'number', 'project_id']) await knex.raw(`alter table tasks drop column ${column}`);
  await knex.raw('drop table project_key_aliases');
  await knex.raw('drop table project_members');
  await knex.raw('drop table projects');
  await knex.raw('drop type status_category');
}
