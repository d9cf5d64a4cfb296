import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { Project } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { baseStyles } from '../shared/styles.js';
import { forgetProjects, matchesRef, projectsOf } from '../shared/workflow.js';
import { pickerStyles } from './project-picker.styles.js';
import type {} from '../events/events.js';

/** Above this many projects the picker is an editable combobox that filters as you type. */
const SEARCH_FROM = 9;

let ids = 0;

/**
 * @summary A project switcher: the projects the user can see, as an accessible combobox (a search field filtering the list when there are more than eight).
 *
 * Keyboard (WAI-ARIA combobox pattern): Down/Up (or Alt+Down) open the list and move the highlight, Home/End go
 * to the first/last project, Enter (or Space without search) chooses, Escape closes (and clears the search),
 * typing a letter jumps to the next project starting with it (without search) or filters the list (with search).
 * Choosing sets `value` to the project's key and fires `tb-project-change`; wire it to the board, e.g.
 * `picker.addEventListener('tb-project-change', (e) => (board.project = e.detail.project.key))`.
 * @tag tb-project-picker
 * @event {CustomEvent<ProjectChangeDetail>} tb-project-change - The user chose a project (`detail.project`).
 * @csspart label - The visible label.
 * @csspart control - The combobox (a button-like box, or the search field).
 * @csspart listbox - The list of projects.
 * @csspart option - One project in the list.
 * @cssproperty --tb-color-raised - The list's background.
 * @cssproperty --tb-color-primary - The chosen project's check mark.
 */
export class TbProjectPicker extends TbElement {
  static override styles = [baseStyles, pickerStyles];

  /** The chosen project: its id, key (`CRM`) or `ext:<externalId>`; unset shows the workspace's default project. Set to the key on each choice. */
  @property({ reflect: true }) value = '';
  /** The visible label; default: "Project" in the widget's language. */
  @property() label = '';
  /** Keeps the label for screen readers only. */
  @property({ type: Boolean, attribute: 'hide-label', reflect: true }) hideLabel = false;

  @state() private open = false;
  @state() private active = -1;
  @state() private query = '';
  @state() private projects: Project[] = [];
  private readonly uid = `tb-pp-${++ids}`;
  private typed = '';
  private typedTimer?: ReturnType<typeof setTimeout>;

  private data = new DataTask(this, {
    task: async ([client]) => {
      if (!client) return undefined;
      this.projects = await projectsOf(client);
      return this.projects;
    },
    args: () => [this.client] as const,
  });

  protected override refresh(): void {
    if (this.client) forgetProjects(this.client);
    void this.data.run();
  }

  /** The chosen project (`value`), else the default one. */
  get selectedProject(): Project | undefined {
    return this.value ? this.projects.find((p) => matchesRef(p, this.value)) : this.projects.find((p) => p.isDefault);
  }

  private get searchable(): boolean {
    return this.projects.length >= SEARCH_FROM;
  }

  /** The projects the list shows (filtered by the search words, on name and key). */
  private get shown(): Project[] {
    const words = this.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (!this.searchable || !words.length) return this.projects;
    return this.projects.filter((p) => words.every((w) => p.name.toLowerCase().includes(w) || p.key.toLowerCase().includes(w)));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('active') || changed.has('open')) {
      this.renderRoot.querySelector(`#${this.uid}-opt-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  private show(active?: number): void {
    const list = this.shown;
    const selected = list.indexOf(this.selectedProject!);
    this.open = true;
    this.active = active ?? (selected >= 0 ? selected : list.length ? 0 : -1);
    // The list may have changed meanwhile (a project created elsewhere): refresh it in the background.
    if (this.client && this.projects.length) {
      const client = this.client;
      forgetProjects(client);
      projectsOf(client).then((projects) => (this.projects = projects), () => undefined);
    }
  }

  private close(): void {
    this.open = false;
    this.active = -1;
  }

  private choose(project: Project | undefined): void {
    if (!project) return;
    this.close();
    this.query = '';
    const changed = !this.selectedProject || this.selectedProject.id !== project.id;
    this.value = project.key;
    if (changed) this.emit('tb-project-change', { project });
  }

  private onKey = (event: KeyboardEvent): void => {
    const list = this.shown;
    const last = list.length - 1;
    const key = event.key;
    const move = (index: number) => {
      event.preventDefault();
      if (!this.open) this.show(index);
      else this.active = Math.max(0, Math.min(last, index));
    };
    if (key === 'ArrowDown') {
      // Closed: open on the chosen project (Alt+Down only opens).
      if (!this.open) return (event.preventDefault(), this.show());
      return move(this.active < 0 ? 0 : this.active + 1);
    }
    if (key === 'ArrowUp') {
      if (!this.open) return (event.preventDefault(), this.show());
      if (event.altKey) return (event.preventDefault(), this.choose(list[this.active]));
      return move(this.active <= 0 ? 0 : this.active - 1);
    }
    // In the search field, Home and End move the caret.
    if ((key === 'Home' || key === 'End') && !this.searchable) return move(key === 'Home' ? 0 : last);
    if (key === 'PageDown' && this.open) return move(this.active + 10);
    if (key === 'PageUp' && this.open) return move(this.active - 10);
    if (key === 'Enter' || (key === ' ' && !this.searchable)) {
      event.preventDefault();
      if (this.open) this.choose(list[this.active]);
      else this.show();
      return;
    }
    if (key === 'Escape') {
      if (this.open) {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      } else if (this.query) this.query = '';
      return;
    }
    if (key === 'Tab') {
      this.close();
      return;
    }
    if (!this.searchable && key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) this.typeahead(key);
  };

  /** Select-only mode: typed letters jump to the next project whose name starts with them. */
  private typeahead(char: string): void {
    clearTimeout(this.typedTimer);
    this.typed += char.toLowerCase();
    this.typedTimer = setTimeout(() => (this.typed = ''), 600);
    const list = this.shown;
    const start = this.typed.length === 1 ? this.active + 1 : Math.max(0, this.active);
    const order = [...list.slice(start), ...list.slice(0, start)];
    const hit = order.find((p) => p.name.toLowerCase().startsWith(this.typed) || p.key.toLowerCase().startsWith(this.typed));
    if (!hit) return;
    if (!this.open) this.show(list.indexOf(hit));
    else this.active = list.indexOf(hit);
  }

  private onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.open = true;
    this.active = this.shown.length ? 0 : -1;
  };

  private onBlur = (event: FocusEvent): void => {
    if (this.renderRoot.contains(event.relatedTarget as Node | null)) return;
    this.close();
    this.query = '';
  };

  protected override render() {
    return this.renderData(this.data, () => this.renderPicker());
  }

  private renderPicker() {
    const selected = this.selectedProject;
    const list = this.shown;
    const label = this.label || this.t('projectPicker');
    const activeId = this.open && this.active >= 0 ? `${this.uid}-opt-${this.active}` : undefined;
    const swatch = (p: Project | undefined) => html`<span class="swatch" style="--_swatch:${p?.color ?? 'transparent'}" aria-hidden="true"></span>`;
    const control = this.searchable
      ? this.renderInput(activeId)
      : html`<div class="control" part="control" tabindex="0" role="combobox" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="${this.uid}-list"
            aria-haspopup="listbox" aria-labelledby="${this.uid}-label ${this.uid}-value" aria-activedescendant=${activeId ?? nothing}
            @keydown=${this.onKey} @blur=${this.onBlur} @click=${() => (this.open ? this.close() : this.show())}>
            ${swatch(selected)}<span class="name" id="${this.uid}-value">${selected ? selected.name : this.t('projectChoose')}</span>
            ${selected ? html`<span class="key">${selected.key}</span>` : nothing}
          </div>`;
    return html`<div class="wrap ${this.open ? 'open' : ''}">
      <span class="label ${this.hideLabel ? 'sr-only' : ''}" part="label" id="${this.uid}-label">${label}</span>
      ${this.searchable && !this.query ? html`<span class="input-swatch">${swatch(selected)}</span>` : nothing}
      ${control}
      <span class="chevron" aria-hidden="true"></span>
      <ul id="${this.uid}-list" role="listbox" part="listbox" aria-labelledby="${this.uid}-label" tabindex="-1" ?hidden=${!this.open}>
        ${list.map((p, i) => html`<li id="${this.uid}-opt-${i}" role="option" part="option" aria-selected=${p.id === selected?.id ? 'true' : 'false'}
            class=${i === this.active ? 'active' : ''} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.choose(p)}
            @mousemove=${() => i !== this.active && (this.active = i)}>
            <span class="check" aria-hidden="true">${p.id === selected?.id ? '✓' : ''}</span>${swatch(p)}
            <span class="name">${p.name}</span>${p.visibility === 'private' ? html`<span class="private">${this.t('projectPrivate')}</span>` : nothing}
            <span class="key">${p.key}</span>
          </li>`)}
        ${list.length ? nothing : html`<li class="none" role="presentation">${this.t('projectNone')}</li>`}
      </ul>
    </div>`;
  }

  /** The search field (the swatch in front of it is drawn separately). */
  private renderInput(activeId: string | undefined) {
    const selected = this.selectedProject;
    return html`<input class="control with-swatch" part="control" role="combobox" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="${this.uid}-list"
      aria-autocomplete="list" aria-labelledby="${this.uid}-label" aria-activedescendant=${activeId ?? nothing} autocomplete="off" spellcheck="false"
      placeholder=${selected ? `${selected.name} · ${selected.key}` : this.t('projectSearch')} title=${this.t('projectSearch')}
      .value=${this.query} @input=${this.onInput} @keydown=${this.onKey} @blur=${this.onBlur}
      @click=${() => (this.open ? this.close() : this.show())} />`;
  }
}
