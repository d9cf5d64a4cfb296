import type { RelationMappings } from 'objection';
import type { Role } from '../domain/caller.js';
import { BaseModel } from './BaseModel.js';

export class User extends BaseModel {
  static override tableName = 'users';

  id!: number;
  workspaceId!: number;
  name!: string;
  email!: string | null;
  passwordHash!: string | null;
  role!: Role;
  active!: boolean;
  externalId!: string | null;
  /** IANA time zone (digests, reminders, recurrences). */
  timezone!: string;
  lastLoginAt!: Date | null;
  /** Access tokens issued before this are refused (a password change ends every session). */
  sessionsValidAfter!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;

  static override relationMappings = (): RelationMappings => ({
    workspace: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Workspace,
      join: { from: 'users.workspace_id', to: 'workspaces.id' },
    },
    assignedTasks: {
      relation: BaseModel.HasManyRelation,
      modelClass: Task,
      join: { from: 'users.id', to: 'tasks.assigned_to' },
    },
    createdTasks: {
      relation: BaseModel.HasManyRelation,
      modelClass: Task,
      join: { from: 'users.id', to: 'tasks.created_by' },
    },
    notifications: {
      relation: BaseModel.HasManyRelation,
      modelClass: Notification,
      join: { from: 'users.id', to: 'notifications.user_id' },
    },
  });
}

import { Notification } from './Notification.js';
import { Task } from './Task.js';
import { Workspace } from './Workspace.js';
