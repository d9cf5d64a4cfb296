import type { NotificationGroup, NotificationWithKind } from '../shared/notification-api.js';

/** A realtime event of the `notifications` topic, as far as the bell reads it. */
export interface NotificationChange {
  event: string;
  taskId: number | null;
  data: { notification?: NotificationWithKind; ids?: number[] | null; archived?: boolean };
}

const union = (a: string[], b?: string) => (b && !a.includes(b) ? [...a, b].sort() : a);

/** A group made from one notification (a new task's first, or one without a task). */
export function groupOf(n: NotificationWithKind): NotificationGroup {
  return { taskId: n.taskId, task: null, count: 1, unread: n.read ? 0 : 1, kinds: n.kind ? [n.kind] : [], latest: n };
}

/**
 * The grouped rows after a live change, updated in place, or undefined when
 * they cannot be (a new task whose title the bell does not have, an archived
 * newest notification): the caller then reloads the page. Idempotent for the
 * bell's own actions, which it applied before their events arrive.
 */
export function applyToGroups(groups: NotificationGroup[], change: NotificationChange): NotificationGroup[] | undefined {
  const { ids } = change.data;
  const find = (taskId: number | null) => groups.findIndex((g) => g.taskId !== null && g.taskId === taskId);
  switch (change.event) {
    case 'notification.created': {
      const n = change.data.notification;
      if (!n) return undefined;
      if (groups.some((g) => g.latest.id === n.id)) return groups;
      if (n.taskId === null) return [groupOf(n), ...groups];
      const at = find(n.taskId);
      if (at < 0) return undefined;
      const g = groups[at]!;
      const next = { ...g, count: g.count + 1, unread: g.unread + (n.read ? 0 : 1), kinds: union(g.kinds, n.kind), latest: n };
      return [next, ...groups.filter((_, i) => i !== at)];
    }
    case 'notification.read': {
      if (ids === null || ids === undefined) return groups.map((g) => ({ ...g, unread: 0, latest: { ...g.latest, read: true } }));
      return edit(groups, change.taskId, ids, (g, n) => ({ ...g, unread: Math.max(0, g.unread - n), latest: ids.includes(g.latest.id) ? { ...g.latest, read: true } : g.latest }));
    }
    case 'notification.archived': {
      if (change.data.archived === false || !ids) return undefined;
      // Part of a group archived: its count, unread count and newest one may all change.
      return edit(groups, change.taskId, ids, (g, n) => (n >= g.count ? null : undefined));
    }
    default:
      return groups;
  }
}

/**
 * Applies `change` to the group a task-wide event names, else to the groups
 * whose newest notification is among `ids` (one id each). `change` answers
 * the new group, null to drop it, undefined when it cannot tell.
 */
function edit(
  groups: NotificationGroup[],
  taskId: number | null,
  ids: number[],
  change: (g: NotificationGroup, count: number) => NotificationGroup | null | undefined,
): NotificationGroup[] | undefined {
  const byTask = taskId !== null && groups.some((g) => g.taskId === taskId);
  // A task not shown (archived here already, or past the loaded page): nothing on screen changes.
  if (taskId !== null && !byTask) return groups;
  const hits = groups.filter((g) => (byTask ? g.taskId === taskId : ids.includes(g.latest.id)));
  if (!byTask && hits.length !== ids.length) return undefined;
  const out: NotificationGroup[] = [];
  for (const g of groups) {
    if (!hits.includes(g)) {
      out.push(g);
      continue;
    }
    const next = change(g, byTask ? ids.length : 1);
    if (next === undefined) return undefined;
    if (next) out.push(next);
  }
  return out;
}

/** The flat list after a live change (undefined: reload). */
export function applyToItems(items: NotificationWithKind[], change: NotificationChange): NotificationWithKind[] | undefined {
  const { ids } = change.data;
  switch (change.event) {
    case 'notification.created': {
      const n = change.data.notification;
      if (!n) return undefined;
      return items.some((item) => item.id === n.id) ? items : [n, ...items];
    }
    case 'notification.read':
      return items.map((item) => (!ids || ids.includes(item.id) ? { ...item, read: true } : item));
    case 'notification.archived':
      return change.data.archived === false || !ids ? undefined : items.filter((item) => !ids.includes(item.id));
    default:
      return items;
  }
}
