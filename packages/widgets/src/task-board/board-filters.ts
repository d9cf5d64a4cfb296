import { html } from 'lit';
import type { User } from '@taskbase/sdk';
import { PRIORITIES } from '../shared/format.js';
import type { StringKey } from '../shared/locale.js';
import { renderMatches, renderStructureFilters, type StructureFilterContext } from '../shared/structure-filters.js';
import type { SavedView } from '../shared/structure.js';

interface FilterHost {
  assignee: string;
  priority: string;
  q: string;
}

/** What the bar shows besides assignee, priority and search: labels, a custom field, the match count and the saved view. */
export type BoardStructureFilters = Omit<StructureFilterContext, 't' | 'users'> & { total?: number; view?: SavedView; format(n: number): string };

/** The board's filter bar: assignee, priority, labels, a custom field, search, and how many tasks match. */
export function renderFilters(host: FilterHost, users: User[], on: { assignee(v: string): void; priority(v: string): void; search(v: string): void }, structure: BoardStructureFilters) {
  const el = host as unknown as { t(key: StringKey, vars?: Record<string, string | number>): string; renderConnection(): unknown };
  const t = el.t.bind(host);
  const value = (e: Event) => (e.target as HTMLSelectElement).value;
  return html`<div class="toolbar" part="toolbar" role="search">
    <label>${t('filterAssignee')}
      <select class="field" @change=${(e: Event) => on.assignee(value(e))}>
        <option value="">${t('all')}</option>
        <option value="me" ?selected=${host.assignee === 'me'}>${t('me')}</option>
        <option value="none" ?selected=${host.assignee === 'none'}>${t('unassigned')}</option>
        ${users.map((user) => html`<option value=${String(user.id)} ?selected=${host.assignee === String(user.id)}>${user.name}</option>`)}
      </select>
    </label>
    <label>${t('filterPriority')}
      <select class="field" @change=${(e: Event) => on.priority(value(e))}>
        <option value="">${t('all')}</option>
        ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${host.priority === p}>${t(`priority.${p}`)}</option>`)}
      </select>
    </label>
    ${renderStructureFilters({ ...structure, t, users })}
    <label>${t('search')}
      <input class="field" type="search" .value=${host.q} @input=${(e: Event) => on.search(value(e))} />
    </label>
    <span class="end">${renderMatches(t, structure.total, structure.format, structure.view)}${el.renderConnection.call(host)}</span>
  </div>`;
}
