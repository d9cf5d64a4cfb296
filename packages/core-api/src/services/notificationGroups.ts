import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { NOTIFICATION_COLUMNS, Notification, toNotificationDto, type NotificationRow } from '../models/Notification.js';
import { whereProjectVisible } from '../models/Project.js';
import { Task } from '../models/Task.js';
import type { NotificationGroupDto } from '../schemas/notifications.js';
import { decodeIdCursor, idCursor } from './cursor.js';

export interface NotificationFilter {
  unread?: boolean | undefined;
  archived?: boolean | undefined;
}

/** The caller's notifications narrowed by the list's filters (archived ones only when asked for). */
export function mineFiltered(db: Knex, caller: Caller, filter: NotificationFilter): Knex.QueryBuilder {
  const query = Notification.rows(db).where({ 'notifications.workspaceId': caller.workspaceId, 'notifications.userId': caller.userId });
  if (filter.archived === true) query.whereNotNull('notifications.archivedAt');
  else query.whereNull('notifications.archivedAt');
  if (filter.unread === true) query.where('notifications.read', false);
  if (filter.unread === false) query.where('notifications.read', true);
  return query;
}

interface GroupRow {
  latestId: number;
  count: number;
  unread: number;
  kinds: string[];
}

/**
 * One row per task (a notification without a task is a group of its own),
 * newest group first. One grouping statement over the user's rows (served by
 * `notifications_task_group`), then the groups' newest notifications and
 * their tasks by id: three statements per page whatever its size. The cursor
 * is the last group's newest id; a group that gets a new notification moves
 * to the top, where a refreshed first page shows it.
 */
export async function listNotificationGroups(
  db: Knex,
  caller: Caller,
  input: NotificationFilter & { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: NotificationGroupDto[]; nextCursor: string | null }> {
  const limit = input.limit ?? 50;
  const groups = mineFiltered(db, caller, input)
    .groupByRaw('coalesce(notifications.task_id, -notifications.id)')
    .select(
      db.raw('max(notifications.id) as latest_id'),
      db.raw('count(*)::int as count'),
      db.raw('(count(*) filter (where not notifications.read))::int as unread'),
      db.raw('array_agg(distinct notifications.kind order by notifications.kind) as kinds'),
    )
    .orderByRaw('max(notifications.id) desc')
    .limit(limit + 1);
  if (input.cursor) groups.havingRaw('max(notifications.id) < ?', [decodeIdCursor(input.cursor)]);
  const rows = ((await groups) as GroupRow[]).map((row) => ({ ...row, latestId: Number(row.latestId) }));
  const shown = rows.slice(0, limit);
  if (shown.length === 0) return { data: [], nextCursor: null };

  const latest = (await Notification.rows(db)
    .whereIn('id', shown.map((row) => row.latestId))
    .where({ workspaceId: caller.workspaceId, userId: caller.userId })
    .select(NOTIFICATION_COLUMNS)) as NotificationRow[];
  const latestById = new Map(latest.map((row) => [Number(row.id), row]));
  const taskIds = [...new Set(latest.map((row) => row.taskId).filter((id): id is number => id !== null))];
  const tasks = taskIds.length
    ? ((await whereProjectVisible(Task.rows(db).where('workspaceId', caller.workspaceId).whereIn('id', taskIds), caller).select('id', 'identifier', 'title')) as Array<{
        id: number;
        identifier: string;
        title: string;
      }>)
    : [];
  const taskById = new Map(tasks.map((task) => [Number(task.id), task]));

  const data: NotificationGroupDto[] = [];
  for (const row of shown) {
    const note = latestById.get(row.latestId);
    if (!note) continue; // deleted between the two statements (its task was)
    const task = note.taskId === null ? undefined : taskById.get(Number(note.taskId));
    data.push({
      taskId: note.taskId,
      task: task ? { id: Number(task.id), identifier: task.identifier, title: task.title } : null,
      count: row.count,
      unread: row.unread,
      kinds: row.kinds,
      latest: toNotificationDto(note),
    });
  }
  return { data, nextCursor: rows.length > limit ? idCursor(shown.at(-1)!.latestId) : null };
}
