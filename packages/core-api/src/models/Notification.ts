import type { RelationMappings } from 'objection';
import { Notification as NotificationSchema, type NotificationDto } from '../schemas/notifications.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/**
 * A notification as stored: the fields the API shows (schemas/notifications.ts), timestamps as Dates;
 * `archived` is read from `archived_at` (absent, e.g. from an insert's `returning`, reads as not archived).
 */
export type NotificationRow = Omit<StoredRow<NotificationDto>, 'archived'> & { archivedAt?: Date | null };
export const NOTIFICATION_COLUMNS = [
  ...Object.keys(NotificationSchema.properties).filter((field) => field !== 'archived'),
  'archivedAt',
] as Array<keyof NotificationRow>;
const serialize = rowSerializer<NotificationDto>(NotificationSchema);
export const toNotificationDto = (row: NotificationRow): NotificationDto =>
  serialize(Object.assign(row, { archived: row.archivedAt != null }) as unknown as StoredRow<NotificationDto>);

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Notification extends NotificationRow {
  workspaceId: number;
  dedupeKey: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Notification extends BaseModel {
  static override tableName = 'notifications';

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
