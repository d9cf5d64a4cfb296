import knexPkg, { type Knex } from 'knex';
import type { RelationMappings } from 'objection';
import { TaskSnapshot } from '../schemas/tasks.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/** A task as stored: the fields of `TaskSnapshot` (schemas/tasks.ts, their one declaration), timestamps as Dates. */
export type TaskRow = StoredRow<TaskSnapshot>;

/**
 * What a task answers but does not store: read next to its row by
 * subqueries (each an index probe), in SELECT and RETURNING alike, so that
 * every path that reads a task — lists, writes, events — sees the same shape.
 */
const sql = knexPkg({ client: 'pg' });
const COMPUTED: Partial<Record<keyof TaskRow, Knex.Raw>> = {
  labels: sql.raw(`(case when cardinality(tasks.label_ids) = 0 then '[]'::jsonb else
    (select coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id), '[]'::jsonb)
     from labels l where l.id = any(tasks.label_ids)) end) as labels`),
  // The counts kept by migration 0016's triggers let a task with no subtasks or blockers (most) skip the subquery.
  subtasks: sql.raw(`(case when tasks.subtask_count = 0 then '{"total": 0, "completed": 0}'::jsonb else
    (select jsonb_build_object('total', count(*), 'completed', count(*) filter (where s.status_category = 'completed'))
     from tasks s where s.parent_id = tasks.id) end) as subtasks`),
  blockedBy: sql.raw(`(case when tasks.blocker_count = 0 then 0 else
    (select count(*)::int from task_relations r join tasks b on b.id = r.task_id
     where r.related_task_id = tasks.id and r.type = 'blocks' and b.status_category not in ('completed', 'canceled')) end) as blocked_by`),
  recurrence: sql.raw(`(case when tasks.recurrence_of is null then null else
    (select jsonb_build_object('rule', s.rule, 'mode', s.mode, 'timezone', s.timezone, 'ended', s.ended_at is not null)
     from task_series s where s.id = tasks.recurrence_of and s.stopped_at is null) end) as recurrence`),
};

/** Every column a task is read with (all but the search vector), in the schema's order; computed ones as SQL. */
export const TASK_COLUMNS = Object.keys(TaskSnapshot.properties).map((field) => COMPUTED[field as keyof TaskRow] ?? field) as Array<keyof TaskRow>;

/** The task as events, webhooks and realtime carry it: the same for every reader. */
export const taskSnapshot = rowSerializer<TaskSnapshot>(TaskSnapshot);

// The row's fields, declared once (above): the class only adds what Objection needs.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Task extends TaskRow {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Task extends BaseModel {
  static override tableName = 'tasks';

  /** One task of a workspace, locked for the transaction (NO KEY UPDATE: comments may still reference it meanwhile). */
  static lockedRow(trx: Knex.Transaction, workspaceId: number, id: number): Promise<TaskRow | undefined> {
    return this.rows(trx).where({ workspaceId, id }).forNoKeyUpdate().first(TASK_COLUMNS);
  }

  static override relationMappings = (): RelationMappings => ({
    assignee: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'tasks.assigned_to', to: 'users.id' },
    },
    creator: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'tasks.created_by', to: 'users.id' },
    },
    comments: {
      relation: BaseModel.HasManyRelation,
      modelClass: TaskComment,
      join: { from: 'tasks.id', to: 'task_comments.task_id' },
    },
  });
}

import { TaskComment } from './TaskComment.js';
import { User } from './User.js';
