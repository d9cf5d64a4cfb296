import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { Project, RealtimeMessage, RealtimeTopic, Task, TaskListQuery, User } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { baseStyles } from '../shared/styles.js';
import { PRIORITIES, avatarColor, isOverdue, usersOf } from '../shared/format.js';
import { forgetProjects, matchesRef, projectsOf, statusColor, statusLabel, unionWorkflow } from '../shared/workflow.js';
import { avatarInitials } from '../shared/initials.js';
import { listStyles } from './task-list.styles.js';
import { fieldsOf, filterStyles, forgetStructure, labelsOf, renderFieldValue, renderTags, structureOf, structureQuery, structureStyles, viewOf, type CustomField, type SavedView, type TaskLabel } from '../shared/structure.js';
import { renderMatches, renderStructureFilters } from '../shared/structure-filters.js';
import type {} from '../events/events.js';
import { csvFilename, downloadCsv } from './export-csv.js';

/** A sort of GET /api/tasks, or a custom field's (`cf.<key>`, `-cf.<key>`). */
type Sort = NonNullable<TaskListQuery['sort']> | `cf.${string}` | `-cf.${string}`;
const COLUMNS = [
  { key: 'identifier', sort: undefined },
  { key: 'title', sort: undefined },
  { key: 'status', sort: undefined },
  { key: 'priority', sort: 'priority' },
  { key: 'assignee', sort: undefined },
  { key: 'dueDate', sort: 'dueDate' },
  { key: 'updated', sort: 'updatedAt' },
] as const;

/**
 * @summary A table of tasks (of one project, or of every project in view, then with each task's project) with filters (labels and custom fields too), how many tasks match, sorting, custom-field columns and more rows loaded on scroll.
 * @tag tb-task-list
 * @event {CustomEvent<TaskSelectDetail>} tb-task-select - A row was chosen (click, Enter or Space).
 * @csspart toolbar - The filter bar.
 * @csspart table - The table.
 * @csspart row - A task row.
 * @csspart labels - A row's label chips (at most three, then "+N").
 * @csspart label - A label chip.
 * @csspart subtasks - A row's subtask progress (`2/5`), when it has subtasks.
 * @csspart blocked - A row's "Blocked" badge, while open tasks block it.
 * @csspart label-filter - The filter bar's label menu (a disclosure of checkboxes).
 * @csspart field-filter - The filter bar's custom-field choice.
 * @csspart field-value - The filter bar's value of the chosen custom field (a select, or an input applied on Enter or blur).
 * @csspart matches - How many tasks match the filters (and the saved view in force).
 * @csspart connection - The "reconnecting" badge.
 * @csspart export - The "Export CSV" button: downloads the tasks of the list's filters (`GET /api/tasks.csv`).
 * @cssproperty --tb-list-max-height - Height of the scrolling area (default 480px).
 */
export class TbTaskList extends TbElement {
  static override styles = [baseStyles, listStyles, structureStyles, filterStyles];

  /** Only this project's tasks: its id, key (`CRM`) or `ext:<externalId>`; default: the provider's `project`, else every project's. */
  @property() project = '';
  /** Only these statuses (comma-separated keys of the project's workflow). */
  @property() status = '';
  /** Only this priority. */
  @property() priority = '';
  /** `me`, `none` or a user id. */
  @property() assignee = '';
  /** Search words. */
  @property() q = '';
  /** Only tasks with any of these labels: comma-separated label ids or names. */
  @property() label = '';
  /** Only tasks with these custom-field values: `key=value` pairs joined by `&` (`tier=gold&deal_value.gte=1000`), sent as `cf.<key>=value`; a select field takes option ids, a checkbox `true`/`false`. */
  @property() cf = '';
  /** A saved view's id: its filters and sort apply (under the list's own), whatever the view's layout. */
  @property() view = '';
  /** Custom fields shown as columns: comma-separated field keys (`deal_value,tier`); values are formatted by the field's type, and a click on the header sorts by the field. */
  @property() fields = '';
  /** Sort: `createdAt`, `updatedAt`, `dueDate`, `priority`, or a custom field `cf.<key>`, with `-` for descending. Default `-updatedAt`, or the saved view's sort with `view`. */
  @property() sort: Sort | '' = '';
  /** Rows per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;
  /** The selected task's id. */
  @property({ type: Number, reflect: true }) selected?: number;

  @state() private rows: Task[] = [];
  @state() private cursor: string | null = null;
  @state() private loadingMore = false;
  /** The projects in view (labels, colours and keys of the rows). */
  @state() private projects: Project[] = [];
  @state() private labels: TaskLabel[] = [];
  /** The workspace's custom fields (for the filter and the `fields` columns). */
  @state() private fieldDefs: CustomField[] = [];
  @state() private savedView?: SavedView;
  /** How many tasks match the filters (from GET /api/tasks/counts). */
  @state() private total?: number;
  /** The custom field chosen in the filter bar, before it has a value. */
  @state() private filterField = '';
  /** The CSV download under way, and why the last one failed. */
  @state() private exporting = false;
  @state() private exportError = '';
  private users = new Map<number, User>();
  private observer?: IntersectionObserver;
  private searchTimer?: ReturnType<typeof setTimeout>;

  /** The sort in force: the chosen one, else the view's (the server applies it), else `-updatedAt`. */
  private get activeSort(): Sort {
    return (this.sort || this.viewSort || '-updatedAt') as Sort;
  }

  private get viewSort(): string | null | undefined {
    return this.view ? new URLSearchParams(this.savedView?.query).get('sort') : undefined;
  }

  private query(): TaskListQuery {
    // With a view and no sort of the list's own, the view's sort applies.
    const query = { sort: this.sort || (this.viewSort ? undefined : '-updatedAt'), limit: this.pageSize } as TaskListQuery;
    if (this.projectRef) query.project = this.projectRef;
    if (this.status) query.status = this.status.split(',') as Task['status'][];
    if (this.priority) query.priority = [this.priority as Task['priority']];
    if (this.assignee) query.assignee = this.assignee;
    if (this.q) query.q = this.q;
    return Object.assign(query, structureQuery(this));
  }

  private data = new DataTask(this, {
    task: async ([client], { signal }) => {
      if (!client) return undefined;
      // A live reload keeps as many rows as were loaded.
      const limit = Math.min(100, Math.max(this.pageSize, this.rows.length));
      // The view first: its sort, when it has one, is the list's.
      this.savedView = this.view ? await viewOf(client, this.view) : undefined;
      const { sort: _sort, limit: _limit, ...filters } = this.query();
      const [page, users, projects, counts, labels, fields] = await Promise.all([
        client.tasks.list({ ...this.query(), limit }, { signal }),
        usersOf(client),
        projectsOf(client).catch(() => [] as Project[]),
        client.tasks.counts(filters, { signal }).catch(() => undefined),
        labelsOf(client, this.projectRef),
        fieldsOf(client, this.projectRef),
      ]);
      this.users = users;
      this.projects = projects;
      this.total = counts?.total;
      this.labels = labels;
      this.fieldDefs = fields;
      this.rows = page.data;
      this.cursor = page.nextCursor;
      return page.data;
    },
    args: () => [this.client, this.projectRef, this.status, this.priority, this.assignee, this.q, this.sort, this.pageSize, this.label, this.cf, this.view] as const,
  });

  /** The project named by this element or its provider ('' for every project). */
  private get projectRef(): string {
    return this.project || this.providerProject || '';
  }

  /** The shown project, when there is one and it is known. */
  private get shownProject(): Project | undefined {
    const ref = this.projectRef;
    return ref ? this.projects.find((p) => matchesRef(p, ref)) : undefined;
  }

  protected override topics(): RealtimeTopic[] {
    return ['tasks'];
  }

  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type === 'event' && message.event.startsWith('project.') && this.client) forgetProjects(this.client);
    if (message.type === 'event' && this.client) forgetStructure(this.client, message.event);
    this.scheduleRefresh();
  }

  protected override refresh(): void {
    void this.data.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  protected override updated(): void {
    const sentinel = this.renderRoot.querySelector('.sentinel');
    if (!sentinel || this.observer) return;
    this.observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.loadMore(), {
      root: this.renderRoot.querySelector('.scroller'),
      rootMargin: '120px',
    });
    this.observer.observe(sentinel);
  }

  private async loadMore(): Promise<void> {
    if (!this.cursor || this.loadingMore || !this.client) return;
    this.loadingMore = true;
    try {
      const page = await this.client.tasks.list({ ...this.query(), cursor: this.cursor });
      this.rows = [...this.rows, ...page.data];
      this.cursor = page.nextCursor;
    } finally {
      this.loadingMore = false;
    }
    // Still in view (short pages): keep going.
    this.observer?.disconnect();
    this.observer = undefined;
    this.requestUpdate();
  }

  /** The current view's tasks (its filters; the server's order, not the paging) as a CSV download. */
  private async exportCsv(): Promise<void> {
    if (!this.client || this.exporting) return;
    this.exporting = true;
    this.exportError = '';
    try {
      const { limit: _limit, sort: _sort, ...query } = this.query();
      await downloadCsv(this.client, query, csvFilename(this.shownProject?.key ?? this.projectRef));
    } catch (error) {
      this.exportError = this.t('exportCsvFailed', { message: error instanceof Error ? error.message : String(error) });
    } finally {
      this.exporting = false;
    }
  }

  private select(task: Task): void {
    this.selected = task.id;
    this.emit('tb-task-select', { task });
  }

  private toggleSort(field: string): void {
    this.sort = (this.activeSort === field ? `-${field}` : field) as Sort;
  }

  /** The custom fields named by `fields`, in that order (unknown keys left out). */
  private get fieldColumns(): CustomField[] {
    return this.fields.split(',').map((key) => this.fieldDefs.find((f) => f.key === key.trim())).filter((f): f is CustomField => !!f);
  }

  protected override render() {
    const set = (key: 'status' | 'priority' | 'assignee') => (e: Event) => (this[key] = (e.target as HTMLSelectElement).value);
    return html`<div class="toolbar" part="toolbar" role="search">
        <label>${this.t('filterStatus')}<select class="field" @change=${set('status')}>
          <option value="">${this.t('all')}</option>
          ${(this.shownProject?.statuses ?? unionWorkflow(this.projects)).map(({ key }) => html`<option value=${key} ?selected=${this.status === key}>${statusLabel(key, this.t.bind(this), this.shownProject?.statuses)}</option>`)}</select></label>
        <label>${this.t('filterPriority')}<select class="field" @change=${set('priority')}>
          <option value="">${this.t('all')}</option>
          ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${this.priority === p}>${this.t(`priority.${p}`)}</option>`)}</select></label>
        <label>${this.t('filterAssignee')}<select class="field" @change=${set('assignee')}>
          <option value="">${this.t('all')}</option><option value="me">${this.t('me')}</option><option value="none">${this.t('unassigned')}</option>
          ${[...this.users.values()].map((u) => html`<option value=${String(u.id)} ?selected=${this.assignee === String(u.id)}>${u.name}</option>`)}</select></label>
        ${renderStructureFilters({
          t: this.t.bind(this), labels: this.labels, fields: this.fieldDefs, users: [...this.users.values()], label: this.label, cf: this.cf, field: this.filterField,
          setLabel: (v) => (this.label = v), setCf: (v) => (this.cf = v), setField: (v) => (this.filterField = v),
        })}
        <label>${this.t('search')}<input class="field" type="search" .value=${this.q}
          @input=${(e: Event) => { clearTimeout(this.searchTimer); const v = (e.target as HTMLInputElement).value; this.searchTimer = setTimeout(() => (this.q = v.trim()), 250); }} /></label>
        <span class="end">${renderMatches(this.t.bind(this), this.total, (n) => this.formatNumber(n), this.savedView)}${this.renderConnection()}
          <button class="btn" part="export" type="button" title=${this.t('exportCsvLabel')} ?disabled=${this.exporting || !this.client} @click=${() => this.exportCsv()}>${this.exporting ? this.t('exportingCsv') : this.t('exportCsv')}</button></span>
      </div>
      ${this.exportError ? html`<p class="export-error" role="alert">${this.exportError}</p>` : nothing}
      ${this.renderData(this.data, () => this.renderTable())}`;
  }

  private renderTable() {
    const sortField = this.activeSort.replace('-', '');
    const columns = [
      ...(this.projectRef ? COLUMNS : [COLUMNS[0], { key: 'project', sort: undefined } as const, ...COLUMNS.slice(1)]).map((col) => ({ label: this.t(col.key), sort: col.sort as string | undefined })),
      ...this.fieldColumns.map((f) => ({ label: f.name, sort: `cf.${f.key}` })),
    ];
    return html`<div class="scroller" tabindex="-1">
      <table part="table" aria-label=${this.t('list')} aria-rowcount=${this.cursor ? -1 : this.rows.length + 1}>
        <thead><tr>${columns.map(({ label, sort }) => {
          if (!sort) return html`<th scope="col">${label}</th>`;
          const active = sortField === sort;
          const dir = active ? (this.activeSort.startsWith('-') ? 'descending' : 'ascending') : 'none';
          return html`<th scope="col" aria-sort=${dir}><button @click=${() => this.toggleSort(sort)}>${label}
            <span aria-hidden="true">${active ? (dir === 'ascending' ? '▲' : '▼') : '↕'}</span></button></th>`;
        })}</tr></thead>
        <tbody>${this.rows.map((task) => this.renderRow(task))}</tbody>
      </table>
      ${this.rows.length === 0 ? html`<p class="state">${this.t('empty')}</p>` : nothing}
      <div class="sentinel" role="status">${this.cursor ? (this.loadingMore ? this.t('loading') : '') : this.rows.length ? this.t('endOfList') : ''}</div>
    </div>`;
  }

  private renderRow(task: Task) {
    const user = task.assignedTo === null ? undefined : this.users.get(task.assignedTo);
    const overdue = isOverdue(task);
    const project = this.projects.find((p) => p.id === task.projectId);
    // Only the row's own keys: Enter on a link inside it follows the link.
    const key = (e: KeyboardEvent) => e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.select(task));
    const values = structureOf(task).fields ?? {};
    const ctx = { t: this.t.bind(this), number: (n: number) => this.formatNumber(n), date: (iso: string) => this.formatDate(iso), users: this.users };
    return html`<tr part="row" tabindex="0" data-id=${task.id} aria-selected=${this.selected === task.id ? 'true' : 'false'} @click=${() => this.select(task)} @keydown=${key}>
      <td class="t-id">${task.identifier}</td>
      ${this.projectRef ? nothing : html`<td class="t-project" title=${project?.name ?? ''}>${project?.key ?? task.identifier.replace(/-\d+$/, '')}</td>`}
      <td class="t-title"><span class="title-line">${task.title}</span>${renderTags(task, ctx.t)}</td>
      <td><span class="status" style="--_dot:${statusColor(task.status, project?.statuses)}">${statusLabel(task.status, this.t.bind(this), project?.statuses)}</span></td>
      <td><span class="pill p-${task.priority}">${this.t(`priority.${task.priority}`)}</span></td>
      <td>${user ? html`<span class="assignee"><span class="avatar" style="--_avatar:${avatarColor(user.id)}" aria-hidden="true">${avatarInitials(user, this.users)}</span>${user.name}</span>` : html`<span class="muted">${this.t('unassigned')}</span>`}</td>
      <td class="t-date ${overdue ? 'overdue' : ''}">${task.dueDate ? this.formatDate(task.dueDate) : html`<span class="muted">—</span>`}${overdue ? html` <span class="sr-only">${this.t('overdue')}</span>` : nothing}</td>
      <td class="t-date muted">${this.formatDate(task.updatedAt, { dateStyle: 'medium' })}</td>
      ${this.fieldColumns.map((f) => html`<td class="t-cf t-${f.type}">${renderFieldValue(f, values[f.key], ctx)}</td>`)}
    </tr>`;
  }
}
