import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { RealtimeMessage, RealtimeTopic } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { errorText } from '../shared/error-text.js';
import { ariaLevel } from '../shared/heading.js';
import { KINDS, kindLabel, type NotificationStringKey } from '../shared/notification-kinds.js';
import type { ChannelsByKind, Digest, NotificationPreferences, PreferencesUpdate } from '../shared/notification-api.js';

/** The preferences as this element reads them: channels by any kind name. */
type Prefs = Omit<NotificationPreferences, 'channels'> & { channels: ChannelsByKind };
type Change = { channels?: ChannelsByKind; emailDigest?: Digest; timezone?: string };
import type { StringKey } from '../shared/locale.js';
import { preferencesEn, type PreferencesStringKey } from './strings.js';
import { baseStyles } from '../shared/styles.js';
import { preferencesStyles } from './notification-preferences.styles.js';
import { TimezonePicker, zoneLabel } from './timezone-picker.js';
import type {} from '../events/events.js';

const DIGESTS: Digest[] = ['off', 'hourly', 'daily'];
/** Quick toggles are sent together: one request for a burst of clicks. */
const SAVE_DELAY = 350;

type Status = 'idle' | 'saving' | 'saved' | 'error';
const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * @summary A preference center: which notifications arrive in the app and by email, the email digest, the timezone.
 * @tag tb-notification-preferences
 * @event {CustomEvent<PreferencesChangeDetail>} tb-preferences-change - The preferences were saved (`{ preferences }`).
 * @event {CustomEvent<WidgetErrorDetail>} tb-error - A save failed (the element shows it too, with Retry).
 * @csspart table - The table of kinds and channels.
 * @csspart switch - A channel's switch.
 * @csspart digest - The digest choice.
 * @csspart timezone - The timezone field.
 * @csspart status - "Saving…", "Saved" or the error.
 * @csspart notice - The "email is not configured" notice.
 */
export class TbNotificationPreferences extends TbElement {
  static override styles = [baseStyles, preferencesStyles];
  /** This element's own strings (English), beside the shared ones: their keys can be overridden like any other. */
  static readonly ownStrings = preferencesEn;

  /** Level of the element's headings, so they continue the host page's outline (rendered as `role="heading"` with this `aria-level`; sections get one more). */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;
  /** Leaves out the element's title and intro (the host page has its own); the sections' headings keep `heading-level`. */
  @property({ attribute: 'hide-heading', type: Boolean }) hideHeading = false;

  /** What the page shows: the server's answer with the user's unsaved changes on top. */
  @state() private draft?: Prefs;
  @state() private status: Status = 'idle';
  @state() private failure = '';
  /** The last state the server confirmed (restored after a failed save). */
  private saved?: Prefs;
  /** The change that failed, for Retry. */
  private failed?: Prefs;
  private timer?: ReturnType<typeof setTimeout>;
  private inFlight?: Promise<void>;
  private picker = new TimezonePicker({ requestUpdate: () => this.requestUpdate(), choose: (zone) => this.change({ timezone: zone }) });

  private data = new DataTask(this, {
    task: async ([client], { signal }) => {
      if (!client) return undefined;
      const preferences = (await client.notifications.getPreferences({ signal })) as Prefs;
      this.saved = preferences;
      // A reload (another tab saved) does not overwrite changes waiting to be sent.
      if (!this.timer && !this.inFlight) this.draft = preferences;
      return preferences;
    },
    args: () => [this.client] as const,
  });

  protected override topics(): RealtimeTopic[] {
    return ['notifications'];
  }

  protected override refresh(): void {
    void this.data.run();
  }

  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type === 'event' && (message as { event: string }).event === 'notification.preferences_updated') this.scheduleRefresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A change still waiting is sent rather than lost.
    if (this.timer) void this.save();
  }

  protected override updated(): void {
    this.picker.reveal(this.renderRoot);
  }

  /** Shows a change at once and sends it shortly after (with any other made meanwhile). */
  private change(update: Change): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...update, channels: { ...this.draft.channels, ...update.channels } };
    this.status = 'saving';
    this.failure = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), SAVE_DELAY);
  }

  private async save(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    const client = this.client;
    const draft = this.draft;
    if (!client || !draft) return;
    const body = { channels: draft.channels, emailDigest: draft.emailDigest, timezone: draft.timezone } as PreferencesUpdate;
    this.status = 'saving';
    this.inFlight = (async () => {
      try {
        const saved = (await client.notifications.updatePreferences(body)) as Prefs;
        this.saved = saved;
        // Later changes (made while this one was on its way) stay on screen and go next.
        if (!this.timer && this.draft === draft) {
          this.draft = saved;
          this.status = 'saved';
        }
        this.emit('tb-preferences-change', { preferences: saved as NotificationPreferences });
      } catch (error) {
        this.failed = draft;
        this.draft = this.saved;
        this.status = 'error';
        this.failure = errorText(error, this.t.bind(this));
        this.emit('tb-error', { error, action: 'save-preferences' });
      }
    })();
    await this.inFlight;
    this.inFlight = undefined;
  }

  private retry(): void {
    if (!this.failed) return;
    this.draft = this.failed;
    this.failed = undefined;
    void this.save();
  }

  /** A string of this element (its own keys, or the shared ones). */
  protected override t(key: NotificationStringKey | PreferencesStringKey, vars?: Record<string, string | number>): string {
    return super.t(key as StringKey, vars);
  }

  protected override render() {
    return this.renderData(this.data, () => (this.draft ? this.renderForm(this.draft) : nothing));
  }

  private renderStatus() {
    const text = this.status === 'saving' ? this.t('saving') : this.status === 'saved' ? this.t('saved') : '';
    return html`<div class="status ${this.status}" part="status" role="status">
      ${this.status === 'saved' ? html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 6 9 17l-5-5"/></svg>` : nothing}${text}
    </div>`;
  }

  private renderForm(p: Prefs) {
    const t = this.t.bind(this);
    const level = ariaLevel(this.headingLevel);
    const sub = ariaLevel(this.hideHeading ? this.headingLevel : this.headingLevel + 1);
    const kinds = (p.kinds?.length ? p.kinds : [...KINDS]).filter((kind) => p.channels[kind]);
    const email = p.emailAvailable;
    return html`
      <div class="head ${this.hideHeading ? 'bare' : ''}">
        ${this.hideHeading ? html`<p class="hint">${t('autosave')}</p>` : html`<div>
          <div class="heading" role="heading" aria-level=${level}>${t('notificationPreferences')}</div>
          <p class="hint">${t('preferencesIntro')}</p>
        </div>`}
        ${this.renderStatus()}
      </div>
      ${this.status === 'error' ? html`<div class="failure" role="alert"><span>${t('saveFailed', { message: this.failure })}</span>
        <button class="btn" @click=${this.retry}>${t('retry')}</button></div>` : nothing}
      ${email ? nothing : html`<p class="notice" part="notice"><svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path d="M12 8h.01M11 12h1v4h1"/></svg>${t('emailUnavailable')}</p>`}
      <table part="table">
        <caption class="sr-only">${t('notificationPreferences')}</caption>
        <thead><tr><th scope="col">${t('notificationKind')}</th><th scope="col">${t('inApp')}</th><th scope="col" class=${email ? '' : 'off'}>${t('email')}</th></tr></thead>
        <tbody>
          ${kinds.map((kind) => {
            const label = kindLabel(kind) ? t(kindLabel(kind)!) : kind;
            const hint = kindLabel(kind) ? t(`kindHint.${kind}` as PreferencesStringKey) : '';
            const channel = p.channels[kind]!;
            return html`<tr>
              <th scope="row"><span class="kind">${label}</span>${hint ? html`<span class="kind-hint">${hint}</span>` : nothing}</th>
              <td>${this.renderSwitch(t('channelFor', { channel: t('inApp'), kind: label }), channel.inApp, (on) => this.change({ channels: { [kind]: { ...channel, inApp: on } } }))}</td>
              <td>${this.renderSwitch(t('channelFor', { channel: t('email'), kind: label }), channel.email && email, (on) => this.change({ channels: { [kind]: { ...channel, email: on } } }), !email)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      <section class="setting" aria-labelledby="digest-title">
        <div class="setting-text">
          <div class="sub" id="digest-title" role="heading" aria-level=${sub}>${t('emailDigest')}</div>
          <p class="hint" id="digest-hint">${p.emailDigest === 'daily' ? t('digestDailyAt', { timezone: zoneLabel(p.timezone) }) : p.emailDigest === 'hourly' ? t('digestHourlyAt') : t('digestHint')}</p>
        </div>
        <div class="segmented" part="digest" role="radiogroup" aria-labelledby="digest-title" aria-describedby="digest-hint">
          ${DIGESTS.map((digest) => html`<label class=${p.emailDigest === digest ? 'on' : ''}>
            <input type="radio" name="digest" .checked=${p.emailDigest === digest} ?disabled=${!email} @change=${() => this.change({ emailDigest: digest })} />
            <span>${t(`digest.${digest}` as PreferencesStringKey)}</span></label>`)}
        </div>
      </section>
      <section class="setting" aria-labelledby="tz-title">
        <div class="setting-text">
          <div class="sub" id="tz-title" role="heading" aria-level=${sub}>${t('timezone')}</div>
          <p class="hint" id="tz-hint">${t('timezoneHint')}</p>
        </div>
        <div class="tz-col">
          ${this.picker.render({
            current: p.timezone, label: t('timezone'), placeholder: t('searchTimezones'), none: t('noTimezone'),
            more: (count) => t('moreTimezones', { count: this.formatNumber(count) }), describedBy: 'tz-hint',
          })}
          ${deviceZone() && deviceZone() !== p.timezone ? html`<button class="link" @click=${() => this.change({ timezone: deviceZone() })}>${t('useDeviceTimezone', { timezone: zoneLabel(deviceZone()) })}</button>` : nothing}
        </div>
      </section>
    `;
  }

  private renderSwitch(label: string, on: boolean, toggle: (on: boolean) => void, disabled = false) {
    return html`<input type="checkbox" role="switch" class="switch" part="switch" aria-label=${label} .checked=${on} ?disabled=${disabled}
      @change=${(e: Event) => toggle((e.target as HTMLInputElement).checked)} />`;
  }
}
