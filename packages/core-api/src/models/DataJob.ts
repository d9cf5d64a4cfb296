import { DataJob as DataJobSchema, type DataJobDto } from '../schemas/dataJobs.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/** A job as the API shows it; the row also holds its workspace, checkpoint, stored file and lease. */
export type DataJobRow = StoredRow<DataJobDto>;
/** The columns of the DTO (`createdBy` is the row's `user_id`). */
export const DATA_JOB_COLUMNS = Object.keys(DataJobSchema.properties).map((field) => (field === 'createdBy' ? 'userId as createdBy' : field));
export const toDataJobDto = rowSerializer<DataJobDto>(DataJobSchema);

/** A job as a runner holds it: what it needs to work and record. */
export type ClaimedJobRow = DataJobRow & { workspaceId: number; checkpoint: unknown; storageKey: string | null; attempts: number };
export const CLAIMED_JOB_COLUMNS = [...DATA_JOB_COLUMNS, 'workspaceId', 'checkpoint', 'storageKey', 'attempts'];

export class DataJob extends BaseModel {
  static override tableName = 'data_jobs';
}
