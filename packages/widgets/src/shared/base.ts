import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Task } from '@lit/task';
import type { RealtimeMessage, RealtimeState, RealtimeTopic } from '@taskbase/sdk';
import type { AnyClient } from './client.js';
import { CLIENT_REQUEST, tokenOf, watchGlobalClient, type ClientRequestDetail } from './client.js';
import { getLocale, onLocaleChange, translate, type StringKey, type Strings } from './locale.js';
import { errorText } from './error-text.js';

/** Light or dark; unset follows `prefers-color-scheme`. */
export type Theme = 'light' | 'dark';

/**
 * What every tb-* element shares: finding its client (nearest `<tb-provider>`,
 * else `configure()`), live updates from the realtime client with a re-sync
 * after reconnects, strings and Intl formatting, and the connection badge.
 */
export abstract class TbElement extends LitElement {
  /** Overrides of any visible string (see the README's string keys). */
  @property({ attribute: false }) strings: Partial<Strings> = {};
  /** BCP 47 locale of strings, dates and numbers; default: `setLocale()`, else `<html lang>`, else the browser's. */
  @property({ reflect: true }) locale?: string;
  /** Forces a light or dark theme; unset inherits the provider's, else follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: Theme;

  /** The SDK client in use. */
  @state() protected client?: AnyClient;
  @state() protected connection: RealtimeState = 'closed';
  @state() private providerTheme?: Theme;
  /** The enclosing `<tb-provider>`'s `project` (a default for elements showing one project). */
  @state() protected providerProject?: string;

  private release: Array<() => void> = [];
  private live: Array<() => void> = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private wasReconnecting = false;

  /** The realtime topics this element listens to. */
  protected topics(): RealtimeTopic[] {
    return [];
  }

  /** Reloads the element's data (after a live event, a resync or a reconnect). */
  protected abstract refresh(): void;

  /** Called for each live event; the default reloads (coalesced). */
  protected onRealtime(_message: RealtimeMessage): void {
    this.scheduleRefresh();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const detail: ClientRequestDetail = {
      callback: (client, theme, project) => {
        this.providerTheme = theme;
        this.providerProject = project || undefined;
        this.useClient(client);
      },
    };
    this.dispatchEvent(new CustomEvent(CLIENT_REQUEST, { detail, bubbles: true, composed: true }));
    this.release.push(detail.unsubscribe ?? watchGlobalClient((client) => this.useClient(client)));
    this.release.push(onLocaleChange(() => this.requestUpdate()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release.forEach((stop) => stop());
    this.release = [];
    this.stopLive();
    this.client = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('providerTheme') || changed.has('theme')) {
      const effective = this.theme ?? this.providerTheme;
      if (effective) this.setAttribute('data-theme', effective);
      else this.removeAttribute('data-theme');
    }
  }

  /** Re-subscribes after the topics changed (e.g. a new task-id). */
  protected resubscribe(): void {
    this.stopLive();
    const client = this.client;
    if (!client || !this.isConnected) return;
    const topics = this.topics();
    if (!topics.length) return;
    this.connection = client.realtime.state;
    this.live.push(
      client.realtime.onStateChange((next) => {
        if (next === 'reconnecting') this.wasReconnecting = true;
        if (next === 'open' && this.wasReconnecting) {
          this.wasReconnecting = false;
          this.scheduleRefresh();
        }
        this.connection = next;
      }),
    );
    for (const topic of topics) {
      try {
        this.live.push(
          client.realtime.subscribe(topic, (message) => {
            if (message.type === 'resync') this.scheduleRefresh();
            else if (message.type === 'event') this.onRealtime(message);
          }),
        );
      } catch {
        // No WebSocket in this environment: the element works without live updates.
      }
    }
  }

  private useClient(client: AnyClient | undefined): void {
    if (client === this.client) return;
    this.client = client;
    this.resubscribe();
  }

  private stopLive(): void {
    this.live.forEach((stop) => stop());
    this.live = [];
    clearTimeout(this.refreshTimer);
  }

  /** Coalesces bursts of events (an update and its status change) into one reload. */
  protected scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 40);
  }

  /** The locale in force. */
  protected get activeLocale(): string {
    return this.locale || getLocale();
  }

  /** A visible string. */
  protected t(key: StringKey, vars?: Record<string, string | number>): string {
    return translate(this.activeLocale, key, this.strings, vars);
  }

  protected formatDate(iso: string | null | undefined, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
    if (!iso) return '';
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00` : iso);
    return new Intl.DateTimeFormat(this.activeLocale, options).format(date);
  }

  protected formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.activeLocale, options).format(value);
  }

  /** Dispatches a bubbling, composed tb-* event; returns false when the host called preventDefault(). */
  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** The small "reconnecting" badge, shown only while live updates are interrupted. */
  protected renderConnection(): TemplateResult | typeof nothing {
    const down = this.connection === 'reconnecting';
    return html`<span part="connection" class="connection" role="status" ?hidden=${!down}>${down ? this.t('reconnecting') : nothing}</span>`;
  }

  /** Pending, error and complete states of a data task; keeps the last value while reloading. */
  protected renderData<T>(task: Task<readonly unknown[], T>, complete: (value: T) => unknown): unknown {
    if (!this.client) return html`<p class="state" part="state">${this.t('notConfigured')}</p>`;
    if (task.status === 3 /* ERROR */) {
      return html`<div class="state error" part="state error" role="alert">
        <span>${errorText(task.error, this.t.bind(this), undefined, tokenOf(this.client))}</span>
        <button class="btn" part="button" @click=${() => task.run()}>${this.t('retry')}</button>
      </div>`;
    }
    if (task.value === undefined) return html`<p class="state" part="state" role="status">${this.t('loading')}</p>`;
    return complete(task.value);
  }
}
