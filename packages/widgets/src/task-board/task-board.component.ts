import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { Task as DataTask } from '@lit/task';
import type { Project, RealtimeMessage, RealtimeTopic, Task, TaskStatus, User } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { ariaLevel } from '../shared/heading.js';
import { baseStyles } from '../shared/styles.js';
import { usersOf } from '../shared/format.js';
import { DEFAULT_WORKFLOW, forgetProjects, resolveProject, statusColor, statusLabel } from '../shared/workflow.js';
import { boardStyles } from './task-board.styles.js';
import { renderCard } from './task-card.js';
import { cardsOf, dropIndex, emptyColumns, locate, neighbours, place, step, type Columns, type Placement } from './board-moves.js';
import { renderTaskDialog, showTaskDialog } from './task-dialog.js';
import { renderFilters } from './board-filters.js';
import { renderAddForm } from './board-add-form.js';
import { boardQuery, columnCount, loadBoard } from './board-paging.js';
import { BoardPager } from './board-pager.js';
import { fieldsOf, filterStyles, forgetStructure, labelsOf, structureStyles, viewOf, type CustomField, type SavedView, type TaskLabel } from '../shared/structure.js';
import type {} from '../events/events.js';

/**
 * @summary A project's board: one column per status of the project's workflow, in its order and colours, following workflow changes live (each column showing its true count and loading more cards on scroll), with drag and drop and keyboard moves, inline creation and filters.
 * @tag tb-task-board
 * @event {CustomEvent<TaskSelectDetail>} tb-task-select - A card was clicked.
 * @event {CustomEvent<TaskOpenDetail>} tb-task-open - A card was opened (click or "o"); cancelable: preventDefault stops the built-in dialog.
 * @event {CustomEvent<TaskMoveDetail>} tb-task-move - A card is about to move; cancelable.
 * @event {CustomEvent<TaskChangeDetail>} tb-task-change - A task was created or moved.
 * @csspart toolbar - The filter bar.
 * @csspart column - A status column.
 * @csspart column-title - A column's heading (`role="heading"`, `aria-level` from `heading-level`).
 * @csspart card - A task card.
 * @csspart card-grabbed - The card picked up by keyboard.
 * @csspart card-title - A card's title.
 * @csspart card-id - A card's identifier (`CRM-42`).
 * @csspart priority - A priority pill.
 * @csspart due - A due date.
 * @csspart avatar - An assignee avatar.
 * @csspart labels - A card's label chips (at most three, then "+N").
 * @csspart label - A label chip.
 * @csspart subtasks - A card's subtask progress (`2/5`), when it has subtasks.
 * @csspart blocked - A card's "Blocked" badge, while open tasks block it.
 * @csspart label-filter - The filter bar's label menu (a disclosure of checkboxes).
 * @csspart field-filter - The filter bar's custom-field choice.
 * @csspart field-value - The filter bar's value of the chosen custom field (a select, or an input applied on Enter or blur).
 * @csspart matches - How many tasks match the filters (and the saved view in force).
 * @csspart add-button - A column's "Add task" button.
 * @csspart load-more - A column's "Load more" button, shown while the column has more cards; scrolling near it loads them.
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-color-surface - Column background.
 * @cssproperty --tb-color-raised - Card background.
 * @cssproperty --tb-color-primary - Accent (focus, drop marker, primary buttons).
 */
export class TbTaskBoard extends TbElement {
  static override styles = [baseStyles, boardStyles, structureStyles, filterStyles];

  /** Level of the element's headings (the column titles; the task dialog's headings are one level below), so they continue the host page's outline: 2 below the page's `h1`, 3 inside a section with an `h2`. Rendered as `role="heading"` with this `aria-level`. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /** The project to show: its id, key (`CRM`) or `ext:<externalId>`; default: the provider's `project`, else the workspace's default project. */
  @property() project = '';
  /** Shows the filter bar (assignee, priority, labels, a custom field, search, and how many tasks match). */
  @property({ type: Boolean, reflect: true }) filters = false;
  /** Only tasks of this assignee: `me`, `none` or a user id. */
  @property() assignee = '';
  /** Only tasks of this priority. */
  @property() priority = '';
  /** Only tasks whose title or description match these words. */
  @property() q = '';
  /** Only tasks with any of these labels: comma-separated label ids or names. */
  @property() label = '';
  /** Only tasks with these custom-field values: `key=value` pairs joined by `&` (`tier=gold&deal_value.gte=1000`), sent as `cf.<key>=value`; a select field takes option ids, a checkbox `true`/`false`. */
  @property() cf = '';
  /** A saved view's id: its filters apply (under the board's own; the board keeps its column order), whatever the view's layout. */
  @property() view = '';

  @state() private columns: Columns = emptyColumns();
  /** The project shown (its workflow gives the columns). */
  @state() private shown?: Project;
  @state() private grab?: { id: number; origin: Columns; at: Placement };
  @state() private drag?: { id: number; over?: Placement };
  @state() private adding?: TaskStatus;
  @state() private announcement = '';
  @state() private opened?: number;
  @state() private labels: TaskLabel[] = [];
  @state() private fields: CustomField[] = [];
  @state() private savedView?: SavedView;
  /** How many tasks match the filters (from GET /api/tasks/counts). */
  @state() private total?: number;
  /** The custom field chosen in the filter bar, before it has a value. */
  @state() private filterField = '';
  private loadedFilters = '';
  private pager = new BoardPager(this, {
    client: () => this.client,
    filters: () => ({ ...boardQuery(this), project: this.shown?.id }),
    columns: () => this.columns,
    setColumns: (columns) => (this.columns = columns),
    fail: (error) => (this.announcement = this.t('error', { message: error.message })),
  });
  private users = new Map<number, User>();
  private searchTimer?: ReturnType<typeof setTimeout>;

  private data = new DataTask(this, {
    task: async ([client, ref], { signal }) => {
      if (!client) return undefined;
      // Read afresh on every reload, so a workflow changed elsewhere gives the columns.
      const project = await resolveProject(client, ref || undefined, signal);
      const filters = { ...boardQuery(this), project: project.id };
      const keys = project.statuses.map((status) => status.key);
      // A live reload keeps as many cards as the user scrolled to; a filter change starts over.
      const sameFilters = JSON.stringify(filters) === this.loadedFilters;
      const keep = sameFilters ? Object.fromEntries(keys.map((s) => [s, cardsOf(this.columns, s).length])) : {};
      const [users, { columns, paging, total }, labels, fields, view] = await Promise.all([
        usersOf(client),
        loadBoard(client, filters, keys, keep, signal),
        this.filters ? labelsOf(client, project.id) : [],
        this.filters ? fieldsOf(client, project.id) : [],
        this.view ? viewOf(client, this.view) : undefined,
      ]);
      this.users = users;
      this.labels = labels;
      this.fields = fields;
      this.savedView = view;
      this.total = total;
      this.loadedFilters = JSON.stringify(filters);
      const moved = this.shown?.id !== project.id;
      this.shown = project;
      if (moved) this.resubscribe();
      // A card held by the keyboard keeps its preview; the reload is applied on drop or cancel.
      if (!this.grab) {
        this.columns = columns;
        this.pager.reset(paging);
      }
      return columns;
    },
    args: () => [this.client, this.project || this.providerProject, this.assignee, this.priority, this.q, this.label, this.cf, this.view, this.filters] as const,
  });

  protected override topics(): RealtimeTopic[] {
    // The project's topic carries its task and comment events and its own project.* events.
    return this.shown ? [`project:${this.shown.id}`] : [];
  }

  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type !== 'event') return;
    if (message.event.startsWith('project.') && this.client) forgetProjects(this.client);
    if (this.client) forgetStructure(this.client, message.event);
    if (message.event === 'task.project_changed' && message.taskId !== null) {
      // The task left this project: its card goes at once, before the reload.
      const at = locate(this.columns, message.taskId);
      if (at) this.columns = { ...this.columns, [at.status]: cardsOf(this.columns, at.status).filter((t) => t.id !== message.taskId) };
    }
    this.scheduleRefresh();
  }

  /** The status's name in the shown project's workflow. */
  private statusName(key: string): string {
    return statusLabel(key, this.t.bind(this), this.shown?.statuses);
  }

  protected override refresh(): void {
    void this.data.run();
  }

  protected override updated(): void {
    showTaskDialog(this.renderRoot);
    if (this.grab) {
      const card = this.renderRoot.querySelector<HTMLElement>(`.card[data-id="${this.grab.id}"]`);
      if (card && this.shadowRoot!.activeElement !== card) card.focus();
    }
  }

  protected override render() {
    return html`
      ${this.filters ? this.renderFilters() : html`<div class="toolbar" part="toolbar" ?hidden=${this.connection !== 'reconnecting'}>${this.renderConnection()}</div>`}
      <p id="hint" class="sr-only">${this.t('dragHint')}</p>
      <div class="sr-only" aria-live="assertive" aria-atomic="true">${this.announcement}</div>
      ${this.renderData(this.data, () => this.renderColumns())}
      ${renderTaskDialog(this, this.opened, () => (this.opened = undefined), ariaLevel(this.headingLevel, 1), (id) => (this.opened = id))}
    `;
  }

  private renderFilters() {
    return renderFilters(this, [...this.users.values()], {
      assignee: (v) => (this.assignee = v),
      priority: (v) => (this.priority = v),
      search: (v) => this.search(v),
    }, {
      labels: this.labels,
      fields: this.fields,
      label: this.label,
      cf: this.cf,
      field: this.filterField,
      setLabel: (v) => (this.label = v),
      setCf: (v) => (this.cf = v),
      setField: (v) => (this.filterField = v),
      total: this.total,
      view: this.savedView,
      format: (n) => this.formatNumber(n),
    });
  }

  private search(value: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => (this.q = value.trim()), 250);
  }

  private renderColumns() {
    const ctx = {
      t: this.t.bind(this),
      date: (iso: string) => this.formatDate(iso, { month: 'short', day: 'numeric' }),
      users: this.users,
      grabbedId: this.grab?.id,
      draggingId: this.drag?.id,
    };
    return html`<div class="columns" role="group" aria-label=${this.t('board')} @keydown=${this.onKey} @click=${this.onClick}
      @dragstart=${this.onDragStart} @dragend=${this.onDragEnd}>
      ${(this.shown?.statuses ?? DEFAULT_WORKFLOW).map(({ key: status }) => {
        const tasks = cardsOf(this.columns, status);
        const over = this.drag?.over?.status === status ? this.drag.over.index : -1;
        const shown = tasks.filter((task) => !(this.drag && task.id === this.drag.id && over >= 0));
        return html`<section class="column ${over >= 0 ? 'drop-target' : ''}" part="column" data-status=${status} aria-labelledby="col-${status}"
          @dragover=${(e: DragEvent) => this.onDragOver(e, status)} @drop=${(e: DragEvent) => this.onDrop(e, status)}>
          <div class="column-head">
            <span class="dot" style="--_dot:${statusColor(status, this.shown?.statuses)}" aria-hidden="true"></span>
            <div class="column-title" id="col-${status}" part="column-title" role="heading" aria-level=${ariaLevel(this.headingLevel)}>${this.statusName(status)}</div>
            <span class="count" aria-hidden="true" title=${this.pager.of(status)?.total === null ? this.t('countAtLeast', { count: tasks.length }) : nothing}
              >${columnCount(tasks.length, this.pager.of(status), (n) => this.formatNumber(n))}</span>
          </div>
          <ul class="cards" aria-labelledby="col-${status}">
            ${repeat(shown, (task) => task.id, (task, i) => html`${i === over ? html`<li class="drop-line" aria-hidden="true"></li>` : nothing}${renderCard(task, ctx)}`)}
            ${over >= shown.length ? html`<li class="drop-line" aria-hidden="true"></li>` : nothing}
          </ul>
          ${tasks.length === 0 && over < 0 ? html`<p class="empty">${this.t('columnEmpty')}</p>` : nothing}
          ${this.pager.of(status)?.cursor
            ? html`<button class="btn ghost load-more" part="load-more" data-status=${status} ?disabled=${this.pager.isLoading(status)}
                @click=${() => this.pager.more(status)}>${this.t(this.pager.isLoading(status) ? 'loading' : 'loadMore')}</button>`
            : nothing}
          ${this.adding === status
            ? renderAddForm(status, { t: this.t.bind(this), create: (title, s) => this.create(title, s), close: () => (this.adding = undefined) })
            : html`<button class="btn ghost add" part="add-button" @click=${() => (this.adding = status)}>+ ${this.t('addTask')}</button>`}
        </section>`;
      })}
    </div>`;
  }

  private async create(title: string, status: TaskStatus): Promise<Task | undefined> {
    if (!this.client) return undefined;
    try {
      const task = await this.client.tasks.create({ title, status, ...(this.shown ? { projectId: this.shown.id } : {}) });
      this.columns = { ...this.columns, [status]: [...cardsOf(this.columns, status), task] };
      this.emit('tb-task-change', { task, action: 'create' });
      this.adding = undefined;
      this.scheduleRefresh();
      return task;
    } catch (error) {
      this.announcement = this.t('error', { message: (error as Error).message });
      return undefined;
    }
  }

  private cardOf(event: Event): { el: HTMLElement; task: Task } | undefined {
    const el = (event.target as HTMLElement).closest?.<HTMLElement>('.card');
    const at = el && locate(this.columns, Number(el.dataset.id));
    const task = at && cardsOf(this.columns, at.status)[at.index];
    return el && task ? { el, task } : undefined;
  }

  private onClick = (event: MouseEvent): void => {
    const card = this.cardOf(event);
    if (!card || this.grab) return;
    this.emit('tb-task-select', { task: card.task });
    this.open(card.task);
  };

  private open(task: Task): void {
    if (this.emit('tb-task-open', { taskId: task.id, task }, true)) this.opened = task.id;
  }

  private onKey = (event: KeyboardEvent): void => {
    const card = this.cardOf(event);
    if (!card || event.target !== card.el) return;
    const { task } = card;
    const key = event.key;
    if (!this.grab) {
      if (key === ' ' || key === 'Enter') {
        event.preventDefault();
        if (!task.can.includes('move')) return;
        const at = locate(this.columns, task.id)!;
        this.grab = { id: task.id, origin: this.columns, at };
        this.say('grabbed', task, at);
      } else if (key === 'o' || key === 'O') this.open(task);
      return;
    }
    if (key.startsWith('Arrow')) {
      event.preventDefault();
      const to = step(this.columns, this.grab.at, key);
      if (!to) return;
      this.columns = place(this.columns, task.id, to);
      this.grab = { ...this.grab, at: to };
      this.say('moved', task, to);
    } else if (key === ' ' || key === 'Enter') {
      event.preventDefault();
      const { at, origin } = this.grab;
      this.grab = undefined;
      const from = locate(origin, task.id)!;
      if (from.status === at.status && from.index === at.index) this.say('dropped', task, at);
      else void this.commit(task, at, origin);
    } else if (key === 'Escape') {
      event.preventDefault();
      this.columns = this.grab.origin;
      this.grab = undefined;
      this.announcement = this.t('cancelled', { title: task.title });
      this.scheduleRefresh();
    }
  };

  private say(key: 'grabbed' | 'moved' | 'dropped', task: Task, at: Placement): void {
    const column = this.statusName(at.status);
    this.announcement = this.t(key, { title: task.title, column, position: at.index + 1, count: cardsOf(this.columns, at.status).length });
  }

  /** Sends a move whose preview is already in `this.columns`; `origin` is restored when it fails or is cancelled. */
  private async commit(task: Task, at: Placement, origin: Columns): Promise<void> {
    const { afterId, beforeId } = neighbours(this.columns, at);
    if (!this.client || !this.emit('tb-task-move', { taskId: task.id, status: at.status, afterId, beforeId }, true)) {
      this.columns = origin;
      return;
    }
    this.say('dropped', task, at);
    try {
      const moved = await this.client.tasks.move(task.id, { status: at.status, afterId, beforeId });
      this.emit('tb-task-change', { task: moved, action: 'move', changes: { status: moved.status, position: moved.position } });
    } catch (error) {
      this.columns = origin;
      this.announcement = this.t('moveFailed', { title: task.title, message: (error as Error).message });
    }
    this.scheduleRefresh();
  }

  private onDragStart = (event: DragEvent): void => {
    const card = this.cardOf(event);
    if (!card || this.grab) return;
    event.dataTransfer?.setData('text/plain', String(card.task.id));
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    this.drag = { id: card.task.id };
  };

  private onDragOver(event: DragEvent, status: TaskStatus): void {
    if (!this.drag) return;
    event.preventDefault();
    const column = event.currentTarget as HTMLElement;
    const cards = [...column.querySelectorAll('.card')].filter((el) => (el as HTMLElement).dataset.id !== String(this.drag!.id));
    const index = dropIndex(cards, event.clientY);
    if (this.drag.over?.status !== status || this.drag.over.index !== index) this.drag = { ...this.drag, over: { status, index } };
  }

  private onDrop(event: DragEvent, status: TaskStatus): void {
    event.preventDefault();
    const drag = this.drag;
    this.drag = undefined;
    if (!drag?.over || drag.over.status !== status) return;
    const origin = this.columns;
    const from = locate(origin, drag.id);
    const task = from && cardsOf(origin, from.status)[from.index];
    if (!from || !task) return;
    this.columns = place(origin, drag.id, drag.over);
    const at = locate(this.columns, drag.id)!;
    if (from.status !== at.status || from.index !== at.index) void this.commit(task, at, origin);
  }

  private onDragEnd = (): void => {
    this.drag = undefined;
  };
}
