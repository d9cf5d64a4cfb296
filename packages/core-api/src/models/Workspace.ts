import type { RelationMappings } from 'objection';
import { BaseModel } from './BaseModel.js';

export class Workspace extends BaseModel {
  static override tableName = 'workspaces';

  id!: number;
  name!: string;
  settings!: Record<string, unknown>;
  createdAt!: Date;
  updatedAt!: Date;

  static override relationMappings = (): RelationMappings => ({
    users: {
      relation: BaseModel.HasManyRelation,
      modelClass: User,
      join: { from: 'workspaces.id', to: 'users.workspace_id' },
    },
  });
}

import { User } from './User.js';
