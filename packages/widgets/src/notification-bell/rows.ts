import { html, nothing, svg } from 'lit';
import type { NotificationGroup, NotificationWithKind } from '../shared/notification-api.js';
import { KINDS, kindLabel, type NotificationStringKey } from '../shared/notification-kinds.js';

type Translate = (key: NotificationStringKey, vars?: Record<string, string | number>) => string;

const icon = (d: ReturnType<typeof svg>) => html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${d}</svg>`;
export const CHECK = icon(svg`<path d="M20 6 9 17l-5-5"/>`);
export const ARCHIVE = icon(svg`<rect x="3" y="4" width="18" height="4" rx="1"/><path d="M5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8M10 12h4"/>`);
export const STACK = icon(svg`<path d="m12 3 9 5-9 5-9-5 9-5Z"/><path d="m3 13 9 5 9-5"/>`);
export const EMPTY = icon(svg`<path d="M22 12h-6l-2 3h-4l-2-3H2"/><path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11Z"/>`);

/** "5 min ago", "yesterday" within a week, else the date (the full date and time go in a tooltip). */
export function relativeTime(iso: string, locale: string, t: Translate, now = Date.now()): string {
  const ago = (now - new Date(iso).getTime()) / 1000;
  if (ago < 45) return t('justNow');
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (ago < 3600) return rtf.format(-Math.max(1, Math.round(ago / 60)), 'minute');
  if (ago < 86400) return rtf.format(-Math.round(ago / 3600), 'hour');
  if (ago < 7 * 86400) return rtf.format(-Math.round(ago / 86400), 'day');
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(new Date(iso));
}

export interface RowContext {
  t: Translate;
  locale: string;
  /** The message as shown (status labels in the widget's language). */
  text(item: NotificationWithKind): string;
  /** Whether this row is the one Tab reaches (roving focus). */
  current(index: number): boolean;
  open(index: number): void;
  read(index: number): void;
  archive(index: number): void;
}

function time(iso: string, ctx: RowContext) {
  const full = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  return html`<time datetime=${iso} title=${full}>${relativeTime(iso, ctx.locale, ctx.t)}</time>`;
}

function actions(index: number, unread: boolean, name: string, ctx: RowContext) {
  const tab = ctx.current(index) ? 0 : -1;
  return html`<span class="actions">
    ${unread ? html`<button class="icon" part="mark-read" tabindex=${tab} title=${ctx.t('markRead')} aria-label="${ctx.t('markRead')}: ${name}" @click=${() => ctx.read(index)}>${CHECK}</button>` : nothing}
    <button class="icon" part="archive" tabindex=${tab} title=${ctx.t('archive')} aria-label="${ctx.t('archive')}: ${name}" @click=${() => ctx.archive(index)}>${ARCHIVE}</button>
  </span>`;
}

/** One task's notifications: identifier and title, count, newest message, kinds, time. */
export function groupRow(group: NotificationGroup, index: number, ctx: RowContext) {
  const { t } = ctx;
  const message = ctx.text(group.latest);
  const name = group.task ? `${group.task.identifier} ${group.task.title}` : message;
  const order = (kind: string) => (KINDS as readonly string[]).indexOf(kind);
  const kinds = [...group.kinds].sort((a, b) => order(a) - order(b)).map(kindLabel).filter((key) => key !== undefined).map((key) => t(key));
  const unread = group.unread > 0;
  return html`<li class="item group ${unread ? 'unread' : ''}" part="item" data-task-id=${group.taskId ?? nothing}>
    <span class=${unread ? 'unread-dot' : 'read-dot'} aria-hidden="true"></span>
    <button class="open" tabindex=${ctx.current(index) ? 0 : -1} @click=${() => ctx.open(index)}>
      ${unread ? html`<span class="sr-only">${t('unread')}, </span>` : nothing}
      <span class="row-head">
        ${group.task ? html`<span class="ident">${group.task.identifier}</span><span class="title">${group.task.title}</span>` : html`<span class="title">${message}</span>`}
        ${group.count > 1 ? html`<span class="count" title=${t('notificationCount', { count: group.count })}><span class="sr-only">, ${t('notificationCount', { count: group.count })}</span><span aria-hidden="true">${group.count}</span></span>` : nothing}
      </span>
      ${group.task ? html`<span class="msg">${message}</span>` : nothing}
      <span class="meta">${time(group.latest.createdAt, ctx)}${kinds.length ? html`<span class="kinds">${kinds.join(' · ')}</span>` : nothing}</span>
    </button>
    ${actions(index, unread, name, ctx)}
  </li>`;
}

/** One notification (the flat list, as before grouping). */
export function itemRow(item: NotificationWithKind, index: number, ctx: RowContext) {
  const message = ctx.text(item);
  return html`<li class="item ${item.read ? '' : 'unread'}" part="item">
    <span class=${item.read ? 'read-dot' : 'unread-dot'} aria-hidden="true"></span>
    <button class="open" tabindex=${ctx.current(index) ? 0 : -1} @click=${() => ctx.open(index)}>
      ${item.read ? nothing : html`<span class="sr-only">${ctx.t('unread')}, </span>`}
      <span class="msg">${message}</span>
      <span class="meta">${time(item.createdAt, ctx)}</span>
    </button>
    ${actions(index, !item.read, message, ctx)}
  </li>`;
}
