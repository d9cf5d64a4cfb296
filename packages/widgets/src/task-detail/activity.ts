import { html } from 'lit';
import type { Activity, User } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';

interface Ctx {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  users: Map<number, User>;
  date: (iso: string) => string;
}

const FIELD_KEYS: Record<string, StringKey> = { title: 'title', description: 'description', status: 'status', priority: 'priority', assignedTo: 'assignee', dueDate: 'dueDate' };

/** A task's history, newest first. */
export function renderActivity(items: Activity[], ctx: Ctx) {
  if (!items.length) return html`<p class="state">${ctx.t('empty')}</p>`;
  return html`<ol class="activity" part="activity">
    ${[...items].reverse().map((item) => {
      const actor = (item.actorId !== null && ctx.users.get(item.actorId)?.name) || ctx.t('someone');
      const changes = (item.payload as { changes?: Record<string, unknown> }).changes ?? {};
      const fields = Object.keys(changes).filter((f) => f !== 'position' && f !== 'version').map((f) => (FIELD_KEYS[f] ? ctx.t(FIELD_KEYS[f]) : f).toLowerCase());
      const key = `activity.${item.type}` as StringKey;
      const known = ['task.created', 'task.updated', 'comment.created', 'comment.updated', 'comment.deleted'].includes(item.type);
      const text = known ? ctx.t(key, { actor, fields: fields.join(', ') }) : ctx.t('activity.other', { actor, type: item.type });
      return html`<li><span>${text}</span><time datetime=${item.createdAt}>${ctx.date(item.createdAt)}</time></li>`;
    })}
  </ol>`;
}
