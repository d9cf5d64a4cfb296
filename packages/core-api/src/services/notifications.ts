import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { notFound } from '../domain/errors.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';
import { appendEvent } from '../events/append.js';
import { NOTIFICATION_COLUMNS, Notification, toNotificationDto, type NotificationRow } from '../models/Notification.js';


/** The caller's own notifications: newest first, unread counts, marking read. */
export class NotificationService {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: { unread?: boolean; limit?: number; cursor?: string }) {
    const limit = input.limit ?? 50;
    const query = Notification.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, userId: caller.userId })
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .select(NOTIFICATION_COLUMNS);
    if (input.unread === true) query.where('read', false);
    if (input.unread === false) query.where('read', true);
    if (input.cursor) query.where('id', '<', decodeIdCursor(input.cursor));
    const rows = (await query) as NotificationRow[];
    return toPage(rows, limit, toNotificationDto, (last) => idCursor(last.id));
  }

  async unreadCount(caller: Caller): Promise<{ unread: number }> {
    const row = await Notification.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, userId: caller.userId, read: false })
      .count({ unread: '*' })
      .first();
    return { unread: Number(row?.unread ?? 0) };
  }

  async markRead(caller: Caller, id: number) {
    return this.knex.transaction(async (trx) => {
      const mine = Notification.rows(trx).where({ workspaceId: caller.workspaceId, userId: caller.userId, id });
      const existing = (await mine.clone().forUpdate().first(NOTIFICATION_COLUMNS)) as NotificationRow | undefined;
      if (!existing) throw notFound('Notification');
      // Already read: nothing changes, so no event either (as in markAllRead).
      if (existing.read) return toNotificationDto(existing);
      const [row] = (await mine.clone().update({ read: true }).returning(NOTIFICATION_COLUMNS)) as NotificationRow[];
      await this.readEvent(trx, caller, [id]);
      return toNotificationDto(row!);
    });
  }

  async markAllRead(caller: Caller): Promise<{ updated: number }> {
    return this.knex.transaction(async (trx) => {
      const rows = (await Notification.rows(trx)
        .where({ workspaceId: caller.workspaceId, userId: caller.userId, read: false })
        .update({ read: true })
        .returning('id')) as Array<{ id: number }>;
      if (rows.length) await this.readEvent(trx, caller, rows.map((row) => row.id));
      return { updated: rows.length };
    });
  }

  /** Lets the user's other tabs and devices update their badge. */
  private readEvent(trx: Knex.Transaction, caller: Caller, ids: number[]) {
    return appendEvent(trx, {
      workspaceId: caller.workspaceId,
      type: 'notification.read',
      actorId: caller.userId,
      userId: caller.userId,
      payload: { ids },
    });
  }
}
