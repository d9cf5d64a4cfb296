import { BaseModel } from './BaseModel.js';

/** One row of the append-only event log (see docs/architecture.md). */
export class Event extends BaseModel {
  static override tableName = 'events';

  id!: number;
  workspaceId!: number;
  type!: string;
  actorId!: number | null;
  taskId!: number | null;
  userId!: number | null;
  payload!: Record<string, unknown>;
  createdAt!: Date;
}
