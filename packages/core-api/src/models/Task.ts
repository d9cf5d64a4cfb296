import type { RelationMappings } from 'objection';
import type { TaskPriority, TaskStatus } from '../schemas/tasks.js';
import { BaseModel } from './BaseModel.js';


export class Task extends BaseModel {
  static override tableName = 'tasks';

  id!: number;
  workspaceId!: number;
  title!: string;
  description!: string;
  status!: TaskStatus;
  priority!: TaskPriority;
  assignedTo!: number | null;
  createdBy!: number;
  dueDate!: Date | null;
  position!: number;
  version!: number;
  externalId!: string | null;
  completedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;

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
