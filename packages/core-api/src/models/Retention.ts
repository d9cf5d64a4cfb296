import { BaseModel } from './BaseModel.js';

/** Per workspace, the highest event id the retention job pruned (migration 0007). */
export class EventRetention extends BaseModel {
  static override tableName = 'event_retention';

  workspaceId!: number;
  prunedThroughId!: number;
}

/** When a cluster-wide maintenance job last ran (services/retention.ts). */
export class MaintenanceJob extends BaseModel {
  static override tableName = 'maintenance_jobs';

  name!: string;
  lastRunAt!: Date;
}
