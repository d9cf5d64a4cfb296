import { BaseModel } from './BaseModel.js';
import type { RecurrenceMode } from '../schemas/recurrence.js';

/** What a series' next occurrence copies when its latest occurrence is gone. */
export interface OccurrenceTemplate {
  title: string;
  description: string;
  priority: string;
  projectId: number;
  assignedTo: number | null;
  labelIds: number[];
  parentId: number | null;
  fields: Record<string, unknown>;
}

/** A recurring task's series (task_series). */
export interface SeriesRow {
  id: number;
  workspaceId: number;
  createdBy: number;
  rule: string;
  mode: RecurrenceMode;
  timezone: string;
  dtstart: Date;
  latestTaskId: number | null;
  latestAt: Date;
  nextAt: Date | null;
  template: OccurrenceTemplate;
  endedAt: Date | null;
  stoppedAt: Date | null;
}

export class TaskSeries extends BaseModel {
  static override tableName = 'task_series';
}

/** A reminder as stored (task_reminders). */
export interface ReminderRow {
  id: number;
  workspaceId: number;
  taskId: number;
  userId: number;
  createdBy: number | null;
  at: Date | null;
  beforeDue: string | null;
  beforeDueMs: number | null;
  fireAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
}

export const REMINDER_COLUMNS = ['id', 'workspaceId', 'taskId', 'userId', 'createdBy', 'at', 'beforeDue', 'beforeDueMs', 'fireAt', 'sentAt', 'createdAt'] as const;

export class TaskReminder extends BaseModel {
  static override tableName = 'task_reminders';
}
