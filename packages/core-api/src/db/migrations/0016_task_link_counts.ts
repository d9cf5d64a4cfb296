import type { Knex } from 'knex';

/**
 * Two counts on each task that let reads skip work (issue 20):
 *
 * - `subtask_count`: how many tasks have it as their parent;
 * - `blocker_count`: how many `blocks` links point at it.
 *
 * A task's `subtasks` and `blockedBy` are still counted by subqueries
 * (models/Task.ts); these counts only let a task with none skip them, which
 * is most tasks. The two subqueries were 0.28 ms of the task list's 0.33 ms
 * in PostgreSQL (50 tasks, one index probe each per task).
 *
 * Triggers keep them in the writing transaction, whatever writes (the
 * services, an import, plain SQL). Each trigger's WHEN clause leaves rows
 * without a parent or a `blocks` link alone, so most writes call no
 * function at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table tasks
    add column subtask_count integer not null default 0,
    add column blocker_count integer not null default 0`);
  await knex.raw(`update tasks p set subtask_count = c.n
    from (select parent_id, count(*)::int as n from tasks where parent_id is not null group by parent_id) c
    where p.id = c.parent_id`);
  await knex.raw(`update tasks t set blocker_count = c.n
    from (select related_task_id, count(*)::int as n from task_relations where type = 'blocks' group by related_task_id) c
    where t.id = c.related_task_id`);

  await knex.raw(`create function tasks_count_subtasks() returns trigger language plpgsql as $$
    begin
      -- Nested: OLD is null on INSERT and NEW on DELETE.
      if tg_op in ('UPDATE', 'DELETE') then
        if old.parent_id is not null then
          update tasks set subtask_count = subtask_count - 1 where id = old.parent_id;
        end if;
      end if;
      if tg_op in ('UPDATE', 'INSERT') then
        if new.parent_id is not null then
          update tasks set subtask_count = subtask_count + 1 where id = new.parent_id;
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw('create trigger tasks_count_subtasks_insert after insert on tasks for each row when (new.parent_id is not null) execute function tasks_count_subtasks()');
  await knex.raw('create trigger tasks_count_subtasks_delete after delete on tasks for each row when (old.parent_id is not null) execute function tasks_count_subtasks()');
  await knex.raw(
    'create trigger tasks_count_subtasks_update after update of parent_id on tasks for each row when (old.parent_id is distinct from new.parent_id) execute function tasks_count_subtasks()',
  );

  await knex.raw(`create function task_relations_count_blockers() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        if old.type = 'blocks' then
          update tasks set blocker_count = blocker_count - 1 where id = old.related_task_id;
        end if;
      end if;
      if tg_op in ('UPDATE', 'INSERT') then
        if new.type = 'blocks' then
          update tasks set blocker_count = blocker_count + 1 where id = new.related_task_id;
        end if;
      end if;
      return null;
    end $$`);
  await knex.raw(
    `create trigger task_relations_count_blockers_insert after insert on task_relations for each row when (new.type = 'blocks') execute function task_relations_count_blockers()`,
  );
  await knex.raw(
    `create trigger task_relations_count_blockers_delete after delete on task_relations for each row when (old.type = 'blocks') execute function task_relations_count_blockers()`,
  );
  await knex.raw(
    `create trigger task_relations_count_blockers_update after update of type, related_task_id on task_relations for each row
     when (old.type = 'blocks' or new.type = 'blocks') execute function task_relations_count_blockers()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger task_relations_count_blockers_insert on task_relations');
  await knex.raw('drop trigger task_relations_count_blockers_delete on task_relations');
  await knex.raw('drop trigger task_relations_count_blockers_update on task_relations');
  await knex.raw('drop function task_relations_count_blockers()');
  await knex.raw('drop trigger tasks_count_subtasks_insert on tasks');
  await knex.raw('drop trigger tasks_count_subtasks_delete on tasks');
  await knex.raw('drop trigger tasks_count_subtasks_update on tasks');
  await knex.raw('drop function tasks_count_subtasks()');
  await knex.raw('alter table tasks drop column subtask_count, drop column blocker_count');
}
