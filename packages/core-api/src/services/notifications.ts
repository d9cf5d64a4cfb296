import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { notFound } from '../domain/errors.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';
import { appendEvent } from '../events/append.js';
import { NOTIFICATION_COLUMNS, Notification, toNotificationDto, type NotificationRow } from '../models/Notification.js';
import { listNotificationGroups, mineFiltered } from './notificationGroups.js';


/** The caller's own notifications: newest first (or grouped by task), unread counts, marking read, archiving. */
export class NotificationService {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: { unread?: boolean; archived?: boolean; limit?: number; cursor?: string }) {
    const limit = input.limit ?? 50;
    const query = mineFiltered(this.knex, caller, input)
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .select(NOTIFICATION_COLUMNS);
    if (input.cursor) query.where('id', '<', decodeIdCursor(input.cursor));
    const rows = (await query) as NotificationRow[];
    return toPage(rows, limit, toNotificationDto, (last) => idCursor(last.id));
  }

  /** One row per task, newest group first (see notificationGroups.ts). */
  listGroups(caller: Caller, input: { unread?: boolean; archived?: boolean; limit?: number; cursor?: string }) {
    return listNotificationGroups(this.knex, caller, input);
  }

  async unreadCount(caller: Caller): Promise<{ unread: number }> {
    const row = await Notification.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, userId: caller.userId, read: false })
      .whereNull('archivedAt')
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
      await this.readEvent(trx, caller, [id], existing.taskId);
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

  /** Marks the caller's notifications about one task read; an unknown task, or one with none unread, changes nothing. */
  async markTaskRead(caller: Caller, taskId: number): Promise<{ updated: number }> {
    return this.knex.transaction(async (trx) => {
      const rows = (await Notification.rows(trx)
        .where({ workspaceId: caller.workspaceId, userId: caller.userId, taskId, read: false })
        .update({ read: true })
        .returning('id')) as Array<{ id: number }>;
      if (rows.length) await this.readEvent(trx, caller, rows.map((row) => row.id), taskId);
      return { updated: rows.length };
    });
  }

  /** Archives (or restores) one of the caller's notifications; 404 when it is not theirs. */
  async archive(caller: Caller, id: number, archived: boolean) {
    return this.knex.transaction(async (trx) => {
      const mine = Notification.rows(trx).where({ workspaceId: caller.workspaceId, userId: caller.userId, id });
      const existing = (await mine.clone().forUpdate().first(NOTIFICATION_COLUMNS)) as NotificationRow | undefined;
      if (!existing) throw notFound('Notification');
      if ((existing.archivedAt != null) === archived) return toNotificationDto(existing);
      const [row] = (await mine.clone().update({ archivedAt: archived ? new Date() : null }).returning(NOTIFICATION_COLUMNS)) as NotificationRow[];
      await this.archivedEvent(trx, caller, [id], archived, existing.taskId);
      return toNotificationDto(row!);
    });
  }

  /** Archives (or restores) all of the caller's notifications about one task. */
  archiveTask(caller: Caller, taskId: number, archived: boolean): Promise<{ updated: number }> {
    return this.archiveMany(caller, { taskId }, archived);
  }

  /** Archives (or restores) the caller's notifications with these ids and those about this task, with one event; others' ids change nothing. */
  async archiveMany(caller: Caller, target: { ids?: number[]; taskId?: number }, archived: boolean): Promise<{ updated: number }> {
    return this.knex.transaction(async (trx) => {
      const query = Notification.rows(trx)
        .where({ workspaceId: caller.workspaceId, userId: caller.userId })
        .where((which) => {
          if (target.ids?.length) which.orWhereIn('id', target.ids);
          if (target.taskId !== undefined) which.orWhere('taskId', target.taskId);
          if (!target.ids?.length && target.taskId === undefined) which.whereRaw('false');
        });
      if (archived) query.whereNull('archivedAt');
      else query.whereNotNull('archivedAt');
      const rows = (await query.update({ archivedAt: archived ? new Date() : null }).returning('id')) as Array<{ id: number }>;
      if (rows.length) await this.archivedEvent(trx, caller, rows.map((row) => row.id), archived, target.ids?.length ? null : (target.taskId ?? null));
      return { updated: rows.length };
    });
  }

  /** The user's other tabs drop (or bring back) the rows, and their badge follows; `taskId` when they are all about one task. */
  private archivedEvent(trx: Knex.Transaction, caller: Caller, ids: number[], archived: boolean, taskId: number | null) {
    return appendEvent(trx, {
      workspaceId: caller.workspaceId,
      type: 'notification.archived',
      actorId: caller.userId,
      taskId,
      userId: caller.userId,
      payload: { ids, archived },
    });
  }

  /** Lets the user's other tabs and devices update their badge; `taskId` when the ids are all about one task. */
  private readEvent(trx: Knex.Transaction, caller: Caller, ids: number[], taskId: number | null = null) {
    return appendEvent(trx, {
      workspaceId: caller.workspaceId,
      type: 'notification.read',
      actorId: caller.userId,
      taskId,
      userId: caller.userId,
      payload: { ids },
    });
  }
}
