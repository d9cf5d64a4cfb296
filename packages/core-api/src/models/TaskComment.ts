import type { RelationMappings } from 'objection';
import type { CommentSnapshot } from '../schemas/comments.js';
import { BaseModel } from './BaseModel.js';
import type { StoredRow } from './rows.js';

/** A comment as stored: the fields of `CommentSnapshot` but the derived `edited`, and its workspace. */
export type CommentRow = Omit<StoredRow<CommentSnapshot>, 'edited'> & { workspaceId: number };
export const COMMENT_COLUMNS: Array<keyof CommentRow> = ['id', 'workspaceId', 'taskId', 'userId', 'comment', 'commentHtml', 'mentions', 'createdAt', 'updatedAt'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface TaskComment extends CommentRow {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TaskComment extends BaseModel {
  static override tableName = 'task_comments';

  static override relationMappings = (): RelationMappings => ({
    task: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Task,
      join: { from: 'task_comments.task_id', to: 'tasks.id' },
    },
    author: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'task_comments.user_id', to: 'users.id' },
    },
  });
}

import { Task } from './Task.js';
import { User } from './User.js';
