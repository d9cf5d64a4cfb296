import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel.js';

export class TaskComment extends BaseModel {
  static override tableName = 'task_comments';

  id!: number;
  workspaceId!: number;
  taskId!: number;
  userId!: number;
  comment!: string;
  createdAt!: Date;
  updatedAt!: Date;

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
