import { html } from 'lit';
import type { Activity, Task, User } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';

interface Ctx {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  users: Map<number, User>;
  /** A moment (date and time). */
  date: (iso: string) => string;
  /** A day (due dates). */
  day: (iso: string) => string;
}

type Change = { from: unknown; to: unknown };

const FIELD_KEYS: Record<string, StringKey> = { title: 'title', description: 'description', status: 'status', priority: 'priority', assignedTo: 'assignee', dueDate: 'dueDate' };
/** Fields whose before and after are short enough to say ("from To do to In progress"); title and description are only named. */
const SAYABLE = new Set(['status', 'priority', 'assignedTo', 'dueDate']);
const KNOWN = ['task.created', 'task.updated', 'comment.created', 'comment.updated', 'comment.deleted'];

/** A field's value as people read it: labels, names and dates rather than keys and ids. */
function valueText(field: string, value: unknown, ctx: Ctx): string {
  if (field === 'status') return ctx.t(`status.${value as Task['status']}`);
  if (field === 'priority') return ctx.t(`priority.${value as Task['priority']}`);
  if (field === 'assignedTo') return value === null ? ctx.t('unassigned') : (ctx.users.get(value as number)?.name ?? `#${String(value)}`);
  if (field === 'dueDate') return value ? ctx.day(value as string) : ctx.t('noDueDate');
  return String(value ?? '');
}

/** "status from To do to In progress, title" for the changes of one `task.updated` event. */
export function describeChanges(changes: Record<string, Change>, ctx: Ctx): string {
  return Object.entries(changes)
    .filter(([field]) => field !== 'position' && field !== 'version')
    .map(([field, change]) => {
      const name = (FIELD_KEYS[field] ? ctx.t(FIELD_KEYS[field]) : field).toLowerCase();
      if (!SAYABLE.has(field)) return name;
      return ctx.t('activity.change', { field: name, from: valueText(field, change.from, ctx), to: valueText(field, change.to, ctx) });
    })
    .join(', ');
}

function describe(item: Activity, ctx: Ctx): string {
  const actor = (item.actorId !== null && ctx.users.get(item.actorId)?.name) || ctx.t('someone');
  if (!KNOWN.includes(item.type)) return ctx.t('activity.other', { actor, type: item.type });
  if (item.type !== 'task.updated') return ctx.t(`activity.${item.type}` as StringKey, { actor });
  const fields = describeChanges((item.payload as { changes?: Record<string, Change> }).changes ?? {}, ctx);
  // Only the position changed: a reorder within the column.
  return fields ? ctx.t('activity.task.updated', { actor, fields }) : ctx.t('activity.task.reordered', { actor });
}

/** A task's history, newest first. */
export function renderActivity(items: Activity[], ctx: Ctx) {
  if (!items.length) return html`<p class="state">${ctx.t('empty')}</p>`;
  return html`<ol class="activity" part="activity">
    ${[...items].reverse().map((item) => html`<li><span>${describe(item, ctx)}</span><time datetime=${item.createdAt}>${ctx.date(item.createdAt)}</time></li>`)}
  </ol>`;
}
