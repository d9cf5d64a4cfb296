import { html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { Notification, RealtimeTopic, WorkflowStatus } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { ariaLevel } from '../shared/heading.js';
import { baseStyles } from '../shared/styles.js';
import { bellStyles } from './notification-bell.styles.js';
import { keepInViewport } from './keep-in-viewport.js';
import { notificationText } from './notification-text.js';
import { projectsOf, unionWorkflow } from '../shared/workflow.js';
import type {} from '../events/events.js';

const BELL = svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>`;

/**
 * @summary A bell with the unread count; opens a panel listing notifications, marks one or all read.
 * @tag tb-notification-bell
 * @event {CustomEvent<NotificationClickDetail>} tb-notification-click - A notification was clicked (it is marked read).
 * @csspart button - The bell button.
 * @csspart badge - The unread count.
 * @csspart panel - The dropdown panel.
 * @csspart item - One notification.
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-badge-bg - Badge background (default: the danger colour).
 * @cssproperty --tb-badge-color - Badge text colour.
 */
export class TbNotificationBell extends TbElement {
  static override styles = [baseStyles, bellStyles];

  /** Level of the element's headings (the panel's title), so they continue the host page's outline: 2 below the page's `h1`, 3 inside a section with an `h2`. Rendered as `role="heading"` with this `aria-level`. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;

  @state() private open = false;
  @state() private unread = 0;
  /** Every status of the projects in view, to label status changes. */
  private workflow?: WorkflowStatus[];

  private data = new DataTask(this, {
    task: async ([client], { signal }) => {
      if (!client) return undefined;
      const [count, page, projects] = await Promise.all([
        client.notifications.unreadCount({ signal }),
        client.notifications.list({ limit: 30 }, { signal }),
        projectsOf(client).catch(() => []),
      ]);
      this.unread = count.unread;
      this.workflow = unionWorkflow(projects);
      return page.data;
    },
    args: () => [this.client] as const,
  });

  protected override topics(): RealtimeTopic[] {
    return ['notifications'];
  }

  protected override refresh(): void {
    void this.data.run();
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
  }

  protected override updated(): void {
    this.place();
  }

  /** Keeps the open panel on screen wherever the bell sits. */
  private place = (): void => {
    const panel = this.renderRoot.querySelector<HTMLElement>('.panel');
    if (panel) keepInViewport(panel);
  };

  private outside = (event: Event): void => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  private async markRead(item: Notification): Promise<void> {
    if (!item.read) {
      this.unread = Math.max(0, this.unread - 1);
      await this.client?.notifications.markRead(item.id);
      this.refresh();
    }
  }

  private async markAll(): Promise<void> {
    this.unread = 0;
    await this.client?.notifications.markAllRead();
    this.refresh();
  }

  private openItem(item: Notification): void {
    void this.markRead(item);
    this.emit('tb-notification-click', { notification: item, taskId: item.taskId });
    this.open = false;
  }

  protected override render() {
    const label = this.t('notificationsUnread', { count: this.formatNumber(this.unread) });
    return html`
      <button class="bell" part="button" aria-label=${label} aria-expanded=${this.open ? 'true' : 'false'} aria-haspopup="true"
        @click=${() => (this.open = !this.open)} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.open = false)}>
        ${BELL}
        ${this.unread > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.formatNumber(this.unread)}</span>` : nothing}
      </button>
      ${this.renderConnection()}
      ${this.open ? html`<div class="panel" part="panel" role="region" aria-label=${this.t('notifications')} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.open = false)}>
        <div class="panel-head">
          <div class="panel-title" role="heading" aria-level=${ariaLevel(this.headingLevel)}>${this.t('notifications')}</div>
          <button class="btn ghost" part="mark-all" ?disabled=${this.unread === 0} @click=${this.markAll}>${this.t('markAllRead')}</button>
        </div>
        ${this.renderData(this.data, (items) => this.renderItems(items ?? []))}
      </div>` : nothing}
    `;
  }

  private renderItems(items: Notification[]) {
    if (!items.length) return html`<p class="state">${this.t('noNotifications')}</p>`;
    return html`<ul class="items">
      ${items.map((item) => this.renderItem(item, notificationText(item, this.t.bind(this), this.workflow)))}
    </ul>`;
  }

  private renderItem(item: Notification, text: string) {
    return html`<li class="item ${item.read ? '' : 'unread'}" part="item">
        <span class=${item.read ? 'read-dot' : 'unread-dot'} aria-hidden="true"></span>
        <button class="open" @click=${() => this.openItem(item)}>
          <span class="msg">${text}</span>
          <time datetime=${item.createdAt}>${this.formatDate(item.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</time>
        </button>
        ${item.read ? nothing : html`<button class="btn ghost" part="mark-read" aria-label="${this.t('markRead')}: ${text}" @click=${() => this.markRead(item)}>✓</button>`}
      </li>`;
  }
}
