import type { Knex } from 'knex';

/**
 * Recurring tasks and reminders.
 *
 * - `task_series`: a recurring task's rule (RRULE), mode, the time zone
 *   whose wall clock it follows, its anchor (`dtstart`) and its latest
 *   occurrence. `next_at` is when the schedule job creates the next one
 *   (mode `schedule`); the job claims rows with SKIP LOCKED.
 * - `tasks.recurrence_of` / `tasks.occurrence_at`: the series an occurrence
 *   belongs to and the time it stands for, unique together, so an
 *   occurrence exists once whatever the number of processes.
 * - `task_reminders`: one per (task, user, time); `fire_at` is when it goes
 *   out (null: a `before_due` reminder of a task without a due date), and
 *   `sent_at` when it went.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table task_series (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    created_by bigint not null references users (id) on delete cascade,
    rule text not null,
    mode text not null check (mode in ('after_completion', 'schedule')),
    timezone text not null,
    dtstart timestamptz(3) not null,
    latest_task_id bigint references tasks (id) on delete set null,
    latest_at timestamptz(3) not null,
    next_at timestamptz(3),
    template jsonb not null,
    ended_at timestamptz(3),
    stopped_at timestamptz(3),
    created_at timestamptz(3) not null default now(),
    updated_at timestamptz(3) not null default now()
  )`);
  await knex.raw('create index task_series_workspace on task_series (workspace_id)');
  await knex.raw('create index task_series_created_by on task_series (created_by)');
  await knex.raw('create index task_series_latest_task on task_series (latest_task_id) where latest_task_id is not null');
  await knex.raw('create index task_series_due on task_series (next_at) where next_at is not null and stopped_at is null');

  await knex.raw('alter table tasks add column recurrence_of bigint references task_series (id) on delete set null');
  await knex.raw('alter table tasks add column occurrence_at timestamptz(3)');
  await knex.raw('create unique index tasks_occurrence_unique on tasks (recurrence_of, occurrence_at) where recurrence_of is not null');

  await knex.raw(`create table task_reminders (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    task_id bigint not null references tasks (id) on delete cascade,
    user_id bigint not null references users (id) on delete cascade,
    created_by bigint references users (id) on delete set null,
    at timestamptz(3),
    before_due text,
    before_due_ms bigint,
    fire_at timestamptz(3),
    sent_at timestamptz(3),
    created_at timestamptz(3) not null default now(),
    check ((at is null) <> (before_due is null))
  )`);
  await knex.raw('create index task_reminders_task on task_reminders (task_id, user_id)');
  await knex.raw('create index task_reminders_user on task_reminders (user_id)');
  await knex.raw('create index task_reminders_created_by on task_reminders (created_by) where created_by is not null');
  await knex.raw('create index task_reminders_workspace on task_reminders (workspace_id)');
  await knex.raw('create index task_reminders_due on task_reminders (fire_at) where sent_at is null and fire_at is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists task_reminders');
  await knex.raw('drop index if exists tasks_occurrence_unique');
  await knex.raw('alter table tasks drop column if exists occurrence_at');
  await knex.raw('alter table tasks drop column if exists recurrence_of');
  await knex.raw('drop table if exists task_series');
}
