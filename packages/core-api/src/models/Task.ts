import type { Knex } from 'knex';
import type { RelationMappings } from 'objection';
import { TaskSnapshot } from '../schemas/tasks.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/** A task as stored: the fields of `TaskSnapshot` (schemas/tasks.ts, their one declaration), timestamps as Dates. */
export type TaskRow = StoredRow<TaskSnapshot>;

/** Every column a task is read with (all but the search vector), in the schema's order. */
export const TASK_COLUMNS = Object.keys(TaskSnapshot.properties) as Array<keyof TaskRow>;

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
