import { css, html, nothing } from 'lit';
import type { CustomField, SavedView, Task, TaskLabel, User } from '@taskbase/sdk';
import type { AnyClient } from './client.js';
import type { StringKey } from './locale.js';

/**
 * Task structure on the board's cards and the list's rows (issue 17): label
 * chips, subtask progress, the "Blocked" badge, custom-field values, and the
 * workspace's labels, fields and saved views, loaded once per client.
 */

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

export type { CustomField, SavedView, TaskLabel };

/** What a task carries of its structure (absent on an older server). */
export interface Structure {
  labels?: TaskLabel[];
  subtasks?: { total: number; completed: number };
  blockedBy?: number;
  fields?: Record<string, unknown>;
}
export const structureOf = (task: Task): Structure => task as Structure;

const cache = new WeakMap<object, Map<string, { at: number; value: Promise<unknown> }>>();

/**
 * Labels, fields and a view, shared per client: dropped on their label.*,
 * field.* and view.* events, and read again by a reload after 30 s anyway
 * (events missed while offline, a private view changed elsewhere). A failure
 * (an older server without the route) answers `fallback`.
 */
function shared<T>(client: AnyClient, key: string, load: () => Promise<T>, fallback: T): Promise<T> {
  let byKey = cache.get(client);
  if (!byKey) cache.set(client, (byKey = new Map()));
  let entry = byKey.get(key);
  if (!entry || Date.now() - entry.at > 30_000) {
    const value = load().catch(() => (byKey!.delete(key), fallback));
    byKey.set(key, (entry = { at: Date.now(), value }));
  }
  return entry.value as Promise<T>;
}

const ofProject = (project: string | number | undefined) => (project ? { project: String(project) } : {});
/** The labels a task of `project` may carry (all without one). */
export const labelsOf = (client: AnyClient, project?: string | number) =>
  shared(client, `labels:${project ?? ''}`, () => client.labels.list(ofProject(project)).then((page) => page.data), [] as TaskLabel[]);
/** The custom fields tasks of `project` have (all without one). */
export const fieldsOf = (client: AnyClient, project?: string | number) =>
  shared(client, `fields:${project ?? ''}`, () => client.fields.list(ofProject(project)).then((page) => page.data), [] as CustomField[]);
/** A saved view by id (undefined when it cannot be read). */
export const viewOf = (client: AnyClient, id: string) =>
  shared<SavedView | undefined>(client, `view:${id}`, () => client.views.get(Number(id)), undefined);

/** Forgets the cached labels, fields and views (after a label.*, field.* or view.* event). */
export function forgetStructure(client: object, event = 'label.'): void {
  if (/^(label|field|view)\./.test(event)) cache.delete(client);
}

/** The filters of issue 17 as GET /api/tasks (and /counts) params: `label=`, `cf.<key>=`, `view=`. */
export function structureQuery(filters: { label?: string; cf?: string; view?: string | number }): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.label) query.label = filters.label;
  if (filters.view) query.view = String(filters.view);
  new URLSearchParams(filters.cf ?? '').forEach((value, key) => value && (query[`cf.${key}`] = value));
  return query;
}

const HEX = /^#[0-9a-f]{6}$/i;
/** A colour safe to put in a style (the API only stores `#rrggbb`). */
export const colorOf = (color: string | undefined) => (color && HEX.test(color) ? color : '#64748b');

/** Black or white, whichever reads better on `color` (never below 4.5:1). */
export function inkOn(color: string): string {
  const c = colorOf(color);
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(c.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000' : '#fff';
}

const plural = (n: number, one: StringKey, many: StringKey, t: Translate) => t(n === 1 ? one : many, { count: n });

/**
 * One line under a card's or row's title: up to three label chips, then "+N"
 * (the rest named for screen readers and in its tooltip), subtask progress
 * (`2/5`) when the task has subtasks, and "Blocked" when open tasks block it.
 */
export function renderTags(task: Task, t: Translate) {
  const { labels = [], subtasks, blockedBy } = structureOf(task);
  if (!labels.length && !subtasks?.total && !blockedBy) return nothing;
  return html`<span class="tags">${renderLabels(labels, t)}${renderBadges(task, t)}</span>`;
}

function renderLabels(labels: TaskLabel[], t: Translate, max = 3) {
  if (!labels.length) return nothing;
  const rest = labels.slice(max);
  const names = rest.map((l) => l.name).join(', ');
  return html`<span class="labels" part="labels">${labels.slice(0, max).map(
    (l) => html`<span class="chip" part="label" style="--_chip:${colorOf(l.color)};--_ink:${inkOn(l.color)}">${l.name}</span>`,
  )}${rest.length ? html`<span class="chip more" part="label" title=${names}>+${rest.length}<span class="sr-only"> ${t('moreLabels', { count: rest.length, names })}</span></span>` : nothing}</span>`;
}

/** What a card or row tells screen readers of its structure: labels, progress, blocked. */
export function structureText(task: Task, t: Translate): string[] {
  const { labels, subtasks, blockedBy } = structureOf(task);
  const out: string[] = [];
  if (labels?.length) out.push(t('labelsOf', { names: labels.map((l) => l.name).join(', ') }));
  if (subtasks?.total) out.push(t('subtasksDone', { done: subtasks.completed, total: subtasks.total }));
  if (blockedBy) out.push(plural(blockedBy, 'blockedByOne', 'blockedByMany', t));
  return out;
}

function renderBadges(task: Task, t: Translate) {
  const { subtasks, blockedBy } = structureOf(task);
  const done = subtasks?.total ? t('subtasksDone', { done: subtasks.completed, total: subtasks.total }) : '';
  const blocked = blockedBy ? plural(blockedBy, 'blockedByOne', 'blockedByMany', t) : '';
  return html`${done
    ? html`<span class="progress ${subtasks!.completed === subtasks!.total ? 'complete' : ''}" part="subtasks" role="img" aria-label=${done} title=${done}
        style="--_done:${(subtasks!.completed / subtasks!.total) * 100}%">${subtasks!.completed}/${subtasks!.total}</span>`
    : nothing}${blocked ? html`<span class="blocked" part="blocked" role="img" aria-label=${blocked} title=${blocked}>${t('blocked')}</span>` : nothing}`;
}

export interface ValueContext {
  t: Translate;
  number: (n: number) => string;
  date: (iso: string) => string;
  users: Map<number, User>;
}

/** A custom-field value, formatted by the field's type; "—" when the task has none. */
export function renderFieldValue(field: CustomField, value: unknown, ctx: ValueContext) {
  const none = html`<span class="muted" aria-hidden="true">—</span><span class="sr-only">${ctx.t('filterFieldNone')}</span>`;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) return none;
  switch (field.type) {
    case 'number':
      return ctx.number(Number(value));
    case 'date':
      return ctx.date(String(value));
    case 'select':
    case 'multi_select':
      return [value].flat().map((id) => {
        const option = field.options.find((o) => o.id === id);
        return html`<span class="option" style="--_dot:${colorOf(option?.color)}">${option?.name ?? String(id)}</span>`;
      });
    case 'user':
      return ctx.users.get(Number(value))?.name ?? `#${String(value)}`;
    case 'checkbox':
      return value === true ? html`<span aria-hidden="true">✓</span><span class="sr-only">${ctx.t('filterYes')}</span>` : none;
    case 'url': {
      const url = String(value);
      if (!/^https?:\/\//i.test(url)) return url;
      return html`<a href=${url} target="_blank" rel="noopener noreferrer" title=${url} @click=${(e: Event) => e.stopPropagation()}>${url.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '')}</a>`;
    }
    default:
      return String(value);
  }
}

/** Chips, badges and field values, shared by the board and the list. */
export const structureStyles = css`
  .tags { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
  .labels { display: inline-flex; flex-wrap: wrap; gap: 4px; }
  .chip {
    display: inline-block; max-width: 14ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
    padding: 0 7px; border-radius: 999px; font-size: 0.75em; font-weight: 600; line-height: 1.6;
    background: var(--_chip); color: var(--_ink);
  }
  .chip.more { background: var(--_surface); color: var(--_muted); border: 1px solid var(--_border); max-width: none; }
  .progress, .blocked {
    display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; font-size: 0.78em; font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .progress { color: var(--_muted); }
  .progress::before {
    content: ''; width: 18px; height: 5px; border-radius: 3px; border: 1px solid currentColor;
    background: linear-gradient(90deg, currentColor var(--_done), transparent var(--_done));
  }
  .progress.complete { color: var(--_success); }
  .blocked { padding: 0 7px; border-radius: 999px; line-height: 1.6; background: light-dark(#fde7e7, #4d1c1c); color: light-dark(#a31c1c, #ffadad); }
  .blocked::before { content: ''; width: 8px; height: 8px; border-radius: 50%; border: 2px solid currentColor; background: linear-gradient(135deg, transparent 42%, currentColor 42% 58%, transparent 58%); }
  .option { display: inline-flex; align-items: center; gap: 5px; margin-right: 8px; white-space: nowrap; }
  .option::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: var(--_dot); }
`;

/** The label menu, the field filter and the match count in a filter bar. */
export const filterStyles = css`
  .filter { display: grid; gap: 2px; font-size: 0.8em; color: var(--_muted); font-weight: 600; }
  .menu { position: relative; }
  .menu summary { display: block; line-height: 20px; list-style: none; cursor: pointer; min-width: 150px; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 24px; position: relative; color: var(--_text); }
  .menu summary::-webkit-details-marker { display: none; }
  .menu summary::after { content: '▾'; position: absolute; right: 8px; color: var(--_muted); }
  .menu-panel {
    position: absolute; z-index: 5; top: calc(100% + 4px); left: 0; min-width: 200px; max-width: min(320px, 80vw); max-height: 280px; overflow: auto;
    margin: 0; padding: 4px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_raised);
    box-shadow: 0 8px 24px light-dark(rgb(16 24 40 / 0.14), rgb(0 0 0 / 0.5)); display: grid;
  }
  .toolbar .check { display: flex; align-items: center; gap: 8px; padding: 5px 8px; border-radius: 4px; color: var(--_text); font-weight: 500; font-size: 1.2em; cursor: pointer; }
  .check:hover { background: var(--_surface); }
  .check input { margin: 0; accent-color: var(--_primary); }
  .swatch { width: 10px; height: 10px; flex: none; border-radius: 50%; background: var(--_chip); }
  .matches { margin-right: 8px; display: inline-flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; color: var(--_muted); font-size: 0.85em; font-variant-numeric: tabular-nums; }
  .view-name { font-weight: 600; color: var(--_text); }
`;
