import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { RealtimeMessage, RealtimeTopic, WorkflowStatus } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { errorText } from '../shared/error-text.js';
import { ariaLevel } from '../shared/heading.js';
import type { NotificationGroup, NotificationWithKind } from '../shared/notification-api.js';
import type { NotificationStringKey } from '../shared/notification-kinds.js';
import type { StringKey } from '../shared/locale.js';
import { baseStyles } from '../shared/styles.js';
import { bellStyles } from './notification-bell.styles.js';
import { keepInViewport } from './keep-in-viewport.js';
import { applyToGroups, applyToItems, type NotificationChange } from './live.js';
import { notificationText } from './notification-text.js';
import { EMPTY, STACK, groupRow, itemRow, type RowContext } from './rows.js';
import { projectsOf, unionWorkflow } from '../shared/workflow.js';
import type {} from '../events/events.js';

const BELL = svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>`;
const PAGE = 30;
/** Where the user's choice of the panel's grouping toggle is kept (per browser, per origin). */
const GROUP_KEY = 'tb-notification-bell:group';

export type BellGrouping = 'task' | 'none';

function storedGrouping(): BellGrouping | undefined {
  try {
    const value = localStorage.getItem(GROUP_KEY);
    return value === 'task' || value === 'none' ? value : undefined;
  } catch {
    return undefined; // storage blocked (a sandboxed frame, privacy settings)
  }
}

/**
 * @summary A bell with the unread count; its panel lists notifications grouped by task (or one by one), marks read, archives.
 * @tag tb-notification-bell
 * @event {CustomEvent<TaskOpenDetail>} tb-task-open - A row was clicked: open that task (`{ taskId, identifier }`; its notifications are marked read).
 * @event {CustomEvent<NotificationClickDetail>} tb-notification-click - A row was clicked (`notification`: the newest of a group). Handle this or tb-task-open, not both.
 * @csspart button - The bell button.
 * @csspart badge - The unread count.
 * @csspart panel - The dropdown panel.
 * @csspart item - One row (a task's group, or one notification).
 * @csspart mark-read - A row's "mark read" button.
 * @csspart archive - A row's "archive" button.
 * @csspart group-toggle - The panel's "group by task" toggle.
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-badge-bg - Badge background (default: the danger colour).
 * @cssproperty --tb-badge-color - Badge text colour.
 */
export class TbNotificationBell extends TbElement {
  static override styles = [baseStyles, bellStyles];

  /** Level of the element's headings (the panel's title), so they continue the host page's outline: 2 below the page's `h1`, 3 inside a section with an `h2`. Rendered as `role="heading"` with this `aria-level`. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /** `task` (default): one row per task with its count; `none`: one row per notification. The panel's toggle overrides it with the user's choice, kept in localStorage. */
  @property() group: BellGrouping = 'task';

  @state() private open = false;
  @state() private unread = 0;
  @state() private choice = storedGrouping();
  @state() private groups: NotificationGroup[] = [];
  @state() private items: NotificationWithKind[] = [];
  @state() private cursor: string | null = null;
  /** The row Tab reaches in the list (arrow keys move it). */
  @state() private active = 0;
  /** After an archive: its name and how to undo it. */
  @state() private notice?: { text: string; undo: () => Promise<unknown> };
  @state() private failure?: string;
  /** Every status of the projects in view, to label status changes. */
  private workflow?: WorkflowStatus[];
  private countTimer?: ReturnType<typeof setTimeout>;
  private clock?: ReturnType<typeof setInterval>;

  /** The grouping in force: the user's toggle, else the attribute. */
  get grouping(): BellGrouping {
    return this.choice ?? (this.group === 'none' ? 'none' : 'task');
  }

  private data = new DataTask(this, {
    task: async ([client, grouping], { signal }) => {
      if (!client) return undefined;
      const api = client.notifications;
      const [count, page] = await Promise.all([
        api.unreadCount({ signal }),
        grouping === 'task' ? api.listGroups({ limit: PAGE }, { signal }) : client.notifications.list({ limit: PAGE }, { signal }),
        this.workflow ? undefined : projectsOf(client).then((projects) => (this.workflow = unionWorkflow(projects)), () => undefined),
      ]);
      this.unread = count.unread;
      this.cursor = page.nextCursor;
      if (grouping === 'task') this.groups = page.data as NotificationGroup[];
      else this.items = page.data as NotificationWithKind[];
      return grouping;
    },
    args: () => [this.client, this.grouping] as const,
  });

  protected override topics(): RealtimeTopic[] {
    return ['notifications'];
  }

  protected override refresh(): void {
    void this.data.run();
  }

  /** Applies a change to the rows in place when it can (else reloads them); the badge asks the server. */
  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type !== 'event') return;
    const change = message as unknown as NotificationChange;
    if (!change.event.startsWith('notification.') || change.event === 'notification.preferences_updated') return;
    const next = this.grouping === 'task' ? applyToGroups(this.groups, change) : applyToItems(this.items, change);
    if (!next) return this.scheduleRefresh();
    if (this.grouping === 'task') this.groups = next as NotificationGroup[];
    else this.items = next as NotificationWithKind[];
    clearTimeout(this.countTimer);
    this.countTimer = setTimeout(() => void this.client?.notifications.unreadCount().then((c) => (this.unread = c.unread), () => undefined), 40);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.outside);
    window.addEventListener('resize', this.place);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.outside);
    window.removeEventListener('resize', this.place);
    clearInterval(this.clock);
    clearTimeout(this.countTimer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.place();
    if (changed.has('open' as keyof TbNotificationBell)) {
      // Relative times ("5 min ago") stay true while the panel is open.
      clearInterval(this.clock);
      if (this.open) this.clock = setInterval(() => this.requestUpdate(), 60_000);
      else this.notice = undefined;
    }
  }

  /** Keeps the open panel on screen wherever the bell sits. */
  private place = (): void => {
    const panel = this.renderRoot.querySelector<HTMLElement>('.panel');
    if (panel) keepInViewport(panel);
  };

  private outside = (event: Event): void => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  private close(focusBell = true): void {
    this.open = false;
    if (focusBell) this.renderRoot.querySelector<HTMLElement>('.bell')?.focus();
  }

  private setGrouping(grouping: BellGrouping): void {
    this.choice = grouping;
    this.active = 0;
    try {
      localStorage.setItem(GROUP_KEY, grouping);
    } catch {
      // kept for this page only
    }
  }

  /** Runs an action after showing its result; on failure puts the rows back and says why. */
  private async act(optimistic: () => void, call: () => Promise<unknown>): Promise<boolean> {
    const before = { groups: this.groups, items: this.items, unread: this.unread };
    this.failure = undefined;
    optimistic();
    try {
      await call();
      return true;
    } catch (error) {
      Object.assign(this, before);
      this.failure = errorText(error, this.t.bind(this));
      return false;
    } finally {
      void this.client?.notifications.unreadCount().then((c) => (this.unread = c.unread), () => undefined);
    }
  }

  private readRow(index: number): Promise<boolean> {
    const api = this.client?.notifications;
    if (!api) return Promise.resolve(false);
    if (this.grouping === 'task') {
      const g = this.groups[index]!;
      if (!g.unread) return Promise.resolve(true);
      return this.act(
        () => {
          this.unread = Math.max(0, this.unread - g.unread);
          this.groups = this.groups.map((x) => (x === g ? { ...g, unread: 0, latest: { ...g.latest, read: true } } : x));
        },
        () => (g.taskId === null ? api.markRead(g.latest.id) : api.markTaskRead(g.taskId)),
      );
    }
    const item = this.items[index]!;
    if (item.read) return Promise.resolve(true);
    return this.act(
      () => {
        this.unread = Math.max(0, this.unread - 1);
        this.items = this.items.map((x) => (x === item ? { ...item, read: true } : x));
      },
      () => api.markRead(item.id),
    );
  }

  private async archiveRow(index: number): Promise<void> {
    const api = this.client?.notifications;
    if (!api) return;
    const grouped = this.grouping === 'task';
    const g = grouped ? this.groups[index]! : undefined;
    const item = g?.latest ?? this.items[index]!;
    const byTask = g && g.taskId !== null;
    const name = g?.task ? g.task.identifier : notificationText(item, this.t.bind(this), this.workflow);
    const done = await this.act(
      () => {
        if (g) this.groups = this.groups.filter((x) => x !== g);
        else this.items = this.items.filter((x) => x !== item);
        this.active = Math.max(0, Math.min(this.active, (grouped ? this.groups : this.items).length - 1));
      },
      () => (byTask ? api.archiveTask(g.taskId!) : api.archive(item.id)),
    );
    // The row's place holds the focus: the next row, else the previous one, else the panel.
    this.focusRow(this.active);
    if (done) this.notice = { text: this.t('archived', { name: name.length > 40 ? `${name.slice(0, 39)}…` : name }), undo: () => (byTask ? api.unarchiveTask(g.taskId!) : api.unarchive(item.id)) };
  }

  private async undo(): Promise<void> {
    const notice = this.notice;
    this.notice = undefined;
    if (!notice) return;
    try {
      await notice.undo();
    } catch (error) {
      this.failure = errorText(error, this.t.bind(this));
    }
    this.refresh();
  }

  private openRow(index: number): void {
    const g = this.grouping === 'task' ? this.groups[index]! : undefined;
    const item = g?.latest ?? this.items[index]!;
    void this.readRow(index);
    if (item.taskId !== null) this.emit('tb-task-open', { taskId: item.taskId, ...(g?.task ? { identifier: g.task.identifier } : {}) }, true);
    this.emit('tb-notification-click', { notification: item, taskId: item.taskId });
    this.open = false;
  }

  private async markAll(): Promise<void> {
    const api = this.client?.notifications;
    if (!api) return;
    await this.act(() => {
      this.unread = 0;
      this.groups = this.groups.map((g) => ({ ...g, unread: 0, latest: { ...g.latest, read: true } }));
      this.items = this.items.map((item) => ({ ...item, read: true }));
    }, () => api.markAllRead());
  }

  private async more(): Promise<void> {
    const client = this.client;
    if (!client || !this.cursor) return;
    try {
      if (this.grouping === 'task') {
        const page = await client.notifications.listGroups({ limit: PAGE, cursor: this.cursor });
        this.groups = [...this.groups, ...page.data.filter((g) => !this.groups.some((x) => x.taskId !== null && x.taskId === g.taskId))];
        this.cursor = page.nextCursor;
      } else {
        const page = await client.notifications.list({ limit: PAGE, cursor: this.cursor });
        this.items = [...this.items, ...page.data.filter((n) => !this.items.some((x) => x.id === n.id))];
        this.cursor = page.nextCursor;
      }
    } catch (error) {
      this.failure = errorText(error, this.t.bind(this));
    }
  }

  private focusRow(index: number): void {
    void this.updateComplete.then(() => {
      const rows = this.renderRoot.querySelectorAll<HTMLElement>('.item .open');
      (rows[Math.min(index, rows.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('.panel-title'))?.focus();
    });
  }

  /** Up/Down (Home/End) move between rows; Escape closes and gives the focus back to the bell. */
  private onPanelKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') return this.close();
    const count = (this.grouping === 'task' ? this.groups : this.items).length;
    const inList = (event.target as HTMLElement).closest?.('.items');
    if (!count || !inList) return;
    const moves: Record<string, number> = { ArrowDown: this.active + 1, ArrowUp: this.active - 1, Home: 0, End: count - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.active = Math.max(0, Math.min(count - 1, moves[event.key]!));
    this.focusRow(this.active);
  };

  private onBellKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.open = false;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.open = true;
      this.focusRow(this.active);
    }
  };

  /** A string (the shared ones, or the notification elements' own). */
  protected override t(key: NotificationStringKey, vars?: Record<string, string | number>): string {
    return super.t(key as StringKey, vars);
  }

  protected override render() {
    const label = this.t('notificationsUnread', { count: this.formatNumber(this.unread) });
    const grouped = this.grouping === 'task';
    return html`
      <button class="bell" part="button" aria-label=${label} aria-expanded=${this.open ? 'true' : 'false'} aria-haspopup="true"
        @click=${() => (this.open = !this.open)} @keydown=${this.onBellKey}>
        ${BELL}
        ${this.unread > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.formatNumber(this.unread)}</span>` : nothing}
      </button>
      ${this.renderConnection()}
      ${this.open ? html`<div class="panel" part="panel" role="region" aria-label=${this.t('notifications')} @keydown=${this.onPanelKey}>
        <div class="panel-head">
          <div class="panel-title" role="heading" aria-level=${ariaLevel(this.headingLevel)} tabindex="-1">${this.t('notifications')}</div>
          <button class="icon toggle" part="group-toggle" aria-pressed=${grouped ? 'true' : 'false'} title=${this.t('groupByTask')} aria-label=${this.t('groupByTask')}
            @click=${() => this.setGrouping(grouped ? 'none' : 'task')}>${STACK}</button>
          <button class="btn ghost" part="mark-all" ?disabled=${this.unread === 0} @click=${this.markAll}>${this.t('markAllRead')}</button>
        </div>
        ${this.failure ? html`<p class="failure" role="alert">${this.failure}</p>` : nothing}
        ${this.renderData(this.data, () => this.renderRows())}
        <div class="notice" role="status">${this.notice ? html`<span>${this.notice.text}</span><button class="btn ghost" @click=${this.undo}>${this.t('undo')}</button>` : nothing}</div>
      </div>` : nothing}
    `;
  }

  private renderRows() {
    const grouped = this.grouping === 'task';
    const rows: Array<NotificationGroup | NotificationWithKind> = grouped ? this.groups : this.items;
    if (!rows.length) {
      return html`<div class="empty" part="state">${EMPTY}<p class="empty-title">${this.t('noNotifications')}</p><p>${this.t('notificationsEmptyHint')}</p></div>`;
    }
    const active = Math.min(this.active, rows.length - 1);
    const ctx: RowContext = {
      t: this.t.bind(this),
      locale: this.activeLocale,
      text: (item) => notificationText(item, this.t.bind(this), this.workflow),
      current: (index) => index === active,
      open: (index) => this.openRow(index),
      read: (index) => void this.readRow(index),
      archive: (index) => void this.archiveRow(index),
    };
    return html`<ul class="items" aria-label=${this.t('notifications')} @focusin=${(e: FocusEvent) => {
      const row = (e.target as HTMLElement).closest('.item');
      const index = row ? [...row.parentElement!.children].indexOf(row) : -1;
      if (index >= 0 && index !== this.active) this.active = index;
    }}>
      ${grouped ? this.groups.map((g, i) => groupRow(g, i, ctx)) : this.items.map((item, i) => itemRow(item, i, ctx))}
      ${this.cursor ? html`<li class="more"><button class="btn ghost" @click=${this.more}>${this.t('loadMore')}</button></li>` : nothing}
    </ul>`;
  }
}
