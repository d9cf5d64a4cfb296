import { html, nothing } from 'lit';
import type { User } from '@taskbase/sdk';
import type { StringKey } from './locale.js';
import { colorOf, type CustomField, type SavedView, type TaskLabel } from './structure.js';

export interface StructureFilterContext {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  labels: TaskLabel[];
  fields: CustomField[];
  users: User[];
  /** The `label` filter: comma-separated label ids or names. */
  label: string;
  /** The `cf` filter: `key=value` pairs (a query string without the `cf.` prefix). */
  cf: string;
  /** The field chosen in the bar (it may have no value yet). */
  field: string;
  setLabel(value: string): void;
  setCf(value: string): void;
  setField(key: string): void;
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** The field the bar shows: the one chosen, else the first one the `cf` filter names. */
export function shownField(ctx: Pick<StructureFilterContext, 'cf' | 'field'>): string {
  return ctx.field || ([...new URLSearchParams(ctx.cf).keys()][0] ?? '').split('.')[0]!;
}

/**
 * The label and custom-field filters of the board's and the list's filter bar:
 * a disclosure of label checkboxes (Escape closes it), then a field and a value
 * control fitting its type. Keyboard only: Tab, Space/Enter, arrows in selects.
 */
export function renderStructureFilters(ctx: StructureFilterContext) {
  const { t } = ctx;
  const chosen = new Set(ctx.label.split(',').filter(Boolean).map((s) => s.toLowerCase()));
  const isOn = (l: TaskLabel) => chosen.has(String(l.id)) || chosen.has(l.name.toLowerCase());
  const on = ctx.labels.filter(isOn);
  const toggle = (l: TaskLabel, checked: boolean) =>
    ctx.setLabel([...ctx.labels.filter((x) => (x === l ? checked : isOn(x))).map((x) => x.id)].join(','));
  const escape = (e: KeyboardEvent) => {
    const menu = e.currentTarget as HTMLDetailsElement;
    if (e.key === 'Escape' && menu.open) {
      e.stopPropagation();
      menu.open = false;
      menu.querySelector('summary')!.focus();
    }
  };
  // Near the viewport's right edge (a phone), the open menu moves left rather than widen the page;
  // a press anywhere else closes it.
  const place = (e: Event) => {
    const menu = e.currentTarget as HTMLDetailsElement;
    const panel = menu.lastElementChild as HTMLElement;
    panel.style.left = '';
    const over = panel.getBoundingClientRect().right - document.documentElement.clientWidth + 8;
    if (menu.open && over > 0) panel.style.left = `${-over}px`;
    if (!menu.open) return;
    const outside = (event: Event) => {
      if (event.composedPath().includes(menu)) return;
      menu.open = false;
      document.removeEventListener('pointerdown', outside, true);
    };
    document.addEventListener('pointerdown', outside, true);
    menu.addEventListener('toggle', () => document.removeEventListener('pointerdown', outside, true), { once: true });
  };
  const key = shownField(ctx);
  const field = ctx.fields.find((f) => f.key === key);
  const params = new URLSearchParams(ctx.cf);
  const current = params.get(key) ?? '';
  const setValue = (v: string) => {
    const next = new URLSearchParams(ctx.cf);
    if (v) next.set(key, v);
    else next.delete(key);
    ctx.setCf(next.toString());
  };
  const chooseField = (k: string) => {
    const next = new URLSearchParams(ctx.cf);
    if (key) [...next.keys()].filter((x) => x.split('.')[0] === key).forEach((x) => next.delete(x));
    ctx.setField(k);
    ctx.setCf(next.toString());
  };
  const choices = (items: Array<[string, string]>) => html`<select class="field" part="field-value" @change=${(e: Event) => setValue(value(e))}>
    <option value="">${t('all')}</option>
    ${items.map(([v, name]) => html`<option value=${v} ?selected=${current === v}>${name}</option>`)}
  </select>`;
  const control = !field
    ? nothing
    : field.type === 'select' || field.type === 'multi_select'
      ? choices(field.options.map((o) => [o.id, o.name]))
      : field.type === 'checkbox'
        ? choices([['true', t('filterYes')], ['false', t('filterNo')]])
        : field.type === 'user'
          ? choices(ctx.users.map((u) => [String(u.id), u.name]))
          : html`<input class="field" part="field-value" type=${field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'} .value=${current}
              @change=${(e: Event) => setValue(value(e).trim())} />`;
  return html`${ctx.labels.length
      ? html`<div class="filter">
          <span aria-hidden="true">${t('filterLabels')}</span>
          <details class="menu" @keydown=${escape} @toggle=${place}>
            <summary class="field" part="label-filter"><span class="sr-only">${t('filterLabels')}: </span>${on.length ? on.map((l) => l.name).join(', ') : t('all')}</summary>
            <fieldset class="menu-panel">
              <legend class="sr-only">${t('filterLabels')}</legend>
              ${ctx.labels.map((l) => html`<label class="check"><input type="checkbox" .checked=${isOn(l)} @change=${(e: Event) => toggle(l, (e.target as HTMLInputElement).checked)} />
                <span class="swatch" style="--_chip:${colorOf(l.color)}" aria-hidden="true"></span>${l.name}</label>`)}
            </fieldset>
          </details>
        </div>`
      : nothing}
    ${ctx.fields.length
      ? html`<label>${t('filterField')}<select class="field" part="field-filter" @change=${(e: Event) => chooseField(value(e))}>
          <option value="">${t('filterFieldNone')}</option>
          ${ctx.fields.map((f) => html`<option value=${f.key} ?selected=${f.key === key}>${f.name}</option>`)}
        </select></label>
        ${field ? html`<label>${field.name}${control}</label>` : nothing}`
      : nothing}`;
}

/** "12 tasks match" (a live region), and the saved view in force. */
export function renderMatches(t: StructureFilterContext['t'], total: number | undefined, format: (n: number) => string, view?: SavedView) {
  return html`<span class="matches" part="matches" role="status">${view ? html`<span class="view-name">${t('savedView', { name: view.name })}</span> ` : nothing}${total === undefined
      ? nothing
      : t(total === 1 ? 'matchesOne' : 'matchesMany', { count: format(total) })}</span>`;
}
