import { BaseModel } from './BaseModel.js';

/** One row of the append-only event log, at its position `(txid, id)` (migration 0004; docs/architecture.md). */
export interface EventRow {
  id: number;
  /** The id of the transaction that wrote the row: with `id`, its position in the log. */
  txid: number;
  workspaceId: number;
  type: string;
  actorId: number | null;
  taskId: number | null;
  /** The project the event concerns (its task's, or the project's own events): private projects hide it. */
  projectId: number | null;
  /** Set when only this user may see the event (a notification). */
  userId: number | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The columns every reader of the log selects. */
export const EVENT_COLUMNS: Array<keyof EventRow> = ['id', 'txid', 'workspaceId', 'type', 'actorId', 'taskId', 'projectId', 'userId', 'payload', 'createdAt'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Event extends EventRow {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Event extends BaseModel {
  static override tableName = 'events';
}
