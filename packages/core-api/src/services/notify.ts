import type { Knex } from 'knex';
import { appendEvent } from '../events/append.js';
import { Notification, toNotificationDto, type NotificationRow } from '../models/Notification.js';

export interface NotificationInput {
  workspaceId: number;
  recipients: Iterable<number | null | undefined>;
  actorId: number | null;
  taskId: number | null;
  type: string;
  message: string;
  dedupeKey?: string;
}

/**
 * Creates notifications inside the caller's transaction, each with its own
 * (private) event so the recipient's bell updates live. The actor is never
 * notified of their own action; a recipient is notified once per call.
 */
export async function notify(trx: Knex.Transaction, input: NotificationInput): Promise<number[]> {
  const recipients = [...new Set(input.recipients)].filter(
    (id): id is number => typeof id === 'number' && id !== input.actorId,
  );
  if (recipients.length === 0) return [];
  const rows = await Notification.rows(trx)
    .insert(
      recipients.map((userId) => ({
        workspaceId: input.workspaceId,
        userId,
        taskId: input.taskId,
        actorId: input.actorId,
        type: input.type,
        message: input.message,
        dedupeKey: input.dedupeKey ?? null,
      })),
    )
    .onConflict(trx.raw('(workspace_id, user_id, dedupe_key) where dedupe_key is not null'))
    .ignore()
    .returning(['id', 'userId', 'taskId', 'actorId', 'type', 'message', 'read', 'createdAt']);
  for (const row of rows as NotificationRow[]) {
    await appendEvent(trx, {
      workspaceId: input.workspaceId,
      type: 'notification.created',
      actorId: input.actorId,
      taskId: input.taskId,
      userId: row.userId,
      payload: { notification: toNotificationDto(row) },
    });
  }
  return (rows as NotificationRow[]).map((row) => row.id);
}
