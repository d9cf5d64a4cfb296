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
import type {} from '../events/events.js';

type Sort = NonNullable<TaskListQuery['sort']>;
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
 * @summary A table of tasks (of one project, or of every project in view, then with each task's project) with filters, sorting and more rows loaded on scroll.
 * @tag tb-task-list
 * @event {CustomEvent<TaskSelectDetail>} tb-task-select - A row was chosen (click, Enter or Space).
 * @csspart toolbar - The filter bar.
 * @csspart table - The table.
 * @csspart row - A task row.
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-list-max-height - Height of the scrolling area (default 480px).
 */
export class TbTaskList extends TbElement {
  static override styles = [baseStyles, listStyles];

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
  /** Sort: `createdAt`, `updatedAt`, `dueDate`, `priority`, with `-` for descending. */
  @property() sort: Sort = '-updatedAt';
  /** Rows per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;
  /** The selected task's id. */
  @property({ type: Number, reflect: true }) selected?: number;

  @state() private rows: Task[] = [];
  @state() private cursor: string | null = null;
  @state() private loadingMore = false;
  /** The projects in view (labels, colours and keys of the rows). */
  @state() private projects: Project[] = [];
  private users = new Map<number, User>();
  private observer?: IntersectionObserver;
  private searchTimer?: ReturnType<typeof setTimeout>;

  private query(): TaskListQuery {
    const query: TaskListQuery = { sort: this.sort, limit: this.pageSize };
    if (this.projectRef) query.project = this.projectRef;
    if (this.status) query.status = this.status.split(',') as Task['status'][];
    if (this.priority) query.priority = [this.priority as Task['priority']];
    if (this.assignee) query.assignee = this.assignee;
    if (this.q) query.q = this.q;
    return query;
  }

  private data = new DataTask(this, {
    task: async ([client], { signal }) => {
      if (!client) return undefined;
      // A live reload keeps as many rows as were loaded.
      const limit = Math.min(100, Math.max(this.pageSize, this.rows.length));
      const [page, users, projects] = await Promise.all([
        client.tasks.list({ ...this.query(), limit }, { signal }),
        usersOf(client),
        projectsOf(client).catch(() => [] as Project[]),
      ]);
      this.users = users;
      this.projects = projects;
      this.rows = page.data;
      this.cursor = page.nextCursor;
      return page.data;
    },
    args: () => [this.client, this.projectRef, this.status, this.priority, this.assignee, this.q, this.sort, this.pageSize] as const,
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

  private select(task: Task): void {
    this.selected = task.id;
    this.emit('tb-task-select', { task });
  }

  private toggleSort(field: string): void {
    this.sort = (this.sort === field ? `-${field}` : field) as Sort;
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
        <label>${this.t('search')}<input class="field" type="search" .value=${this.q}
          @input=${(e: Event) => { clearTimeout(this.searchTimer); const v = (e.target as HTMLInputElement).value; this.searchTimer = setTimeout(() => (this.q = v.trim()), 250); }} /></label>
        <span class="end">${this.renderConnection()}</span>
      </div>
      ${this.renderData(this.data, () => this.renderTable())}`;
  }

  private renderTable() {
    const sortField = this.sort.replace('-', '');
    return html`<div class="scroller" tabindex="-1">
      <table part="table" aria-label=${this.t('list')} aria-rowcount=${this.cursor ? -1 : this.rows.length + 1}>
        <thead><tr>${(this.projectRef ? COLUMNS : [COLUMNS[0], { key: 'project', sort: undefined } as const, ...COLUMNS.slice(1)]).map((col) => {
          const label = this.t(col.key);
          if (!col.sort) return html`<th scope="col">${label}</th>`;
          const active = sortField === col.sort;
          const dir = active ? (this.sort.startsWith('-') ? 'descending' : 'ascending') : 'none';
          return html`<th scope="col" aria-sort=${dir}><button @click=${() => this.toggleSort(col.sort)}>${label}
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
    const key = (e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.select(task));
    return html`<tr part="row" tabindex="0" data-id=${task.id} aria-selected=${this.selected === task.id ? 'true' : 'false'} @click=${() => this.select(task)} @keydown=${key}>
      <td class="t-id">${task.identifier}</td>
      ${this.projectRef ? nothing : html`<td class="t-project" title=${project?.name ?? ''}>${project?.key ?? task.identifier.replace(/-\d+$/, '')}</td>`}
      <td class="t-title">${task.title}</td>
      <td><span class="status" style="--_dot:${statusColor(task.status, project?.statuses)}">${statusLabel(task.status, this.t.bind(this), project?.statuses)}</span></td>
      <td><span class="pill p-${task.priority}">${this.t(`priority.${task.priority}`)}</span></td>
      <td>${user ? html`<span class="assignee"><span class="avatar" style="--_avatar:${avatarColor(user.id)}" aria-hidden="true">${avatarInitials(user, this.users)}</span>${user.name}</span>` : html`<span class="muted">${this.t('unassigned')}</span>`}</td>
      <td class=${overdue ? 'overdue' : ''}>${task.dueDate ? this.formatDate(task.dueDate) : html`<span class="muted">—</span>`}${overdue ? html` <span class="sr-only">${this.t('overdue')}</span>` : nothing}</td>
      <td class="muted">${this.formatDate(task.updatedAt, { dateStyle: 'medium' })}</td>
    </tr>`;
  }
}
