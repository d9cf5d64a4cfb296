import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel.js';

export class Notification extends BaseModel {
  static override tableName = 'notifications';

  id!: number;
  workspaceId!: number;
  userId!: number;
  taskId!: number | null;
  actorId!: number | null;
  type!: string;
  message!: string;
  read!: boolean;
  dedupeKey!: string | null;
  createdAt!: Date;

  static override relationMappings = (): RelationMappings => ({
    user: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: User,
      join: { from: 'notifications.user_id', to: 'users.id' },
    },
    task: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Task,
      join: { from: 'notifications.task_id', to: 'tasks.id' },
    },
  });
}

import { Task } from './Task.js';
import { User } from './User.js';
