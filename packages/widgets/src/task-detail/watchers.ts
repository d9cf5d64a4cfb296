import { html, nothing } from 'lit';
import type { WatcherList } from '@taskbase/sdk';
import { avatarColor } from '../shared/format.js';
import { avatarInitials } from '../shared/initials.js';
import { messageOf, type DetailContext, type Loadable } from './context.js';

/** Who watches the task (avatars), and a toggle to watch it yourself. */
export class WatchersSection {
  private data: Loadable<WatcherList> = { state: 'loading' };
  private busy = false;
  private error = '';

  constructor(private readonly ctx: DetailContext) {}

  async load(signal: AbortSignal): Promise<void> {
    try {
      this.data = { state: 'ready', value: await this.ctx.client()!.tasks.watchers.list(this.ctx.task()!.id, { signal }) };
    } catch (error) {
      if (!signal.aborted) this.data = { state: 'error', message: messageOf(error) };
    }
  }

  private toggle = async (): Promise<void> => {
    if (this.data.state !== 'ready' || this.busy) return;
    const client = this.ctx.client()!;
    const id = this.ctx.task()!.id;
    this.busy = true;
    this.error = '';
    this.ctx.requestUpdate();
    try {
      const next = this.data.value.watching ? await client.tasks.watchers.remove(id, 'me') : await client.tasks.watchers.add(id);
      this.data = { state: 'ready', value: next };
    } catch (error) {
      this.error = messageOf(error);
      this.ctx.failed(error, 'watch');
    } finally {
      this.busy = false;
      this.ctx.requestUpdate();
    }
  };

  /** The watch/unwatch button (in the detail's header). */
  renderToggle() {
    if (this.data.state !== 'ready') return nothing;
    const { t } = this.ctx;
    const watching = this.data.value.watching;
    return html`<button type="button" class="btn watch" part="button watch" aria-pressed=${watching ? 'true' : 'false'} ?disabled=${this.busy} @click=${this.toggle}>
      ${t(watching ? 'unwatch' : 'watch')}</button>`;
  }

  /** The watchers' avatars. */
  render() {
    const { t } = this.ctx;
    const users = this.ctx.users();
    let body: unknown;
    if (this.data.state === 'loading') body = html`<span class="muted" role="status">${t('loading')}</span>`;
    else if (this.data.state === 'error') body = html`<span class="field-error" role="alert">${t('sectionError', { section: t('watchers').toLowerCase(), message: this.data.message })}</span>`;
    else if (!this.data.value.data.length) body = html`<span class="muted">${t('noWatchers')}</span>`;
    else {
      const watchers = this.data.value.data;
      const names = watchers.map((w) => w.name).join(', ');
      body = html`<ul class="avatars" aria-label=${t('watchedBy', { names })}>${watchers.map((w) => html`<li class="avatar" style=${`--_avatar:${avatarColor(w.userId)}`} title=${w.name}>
        <span aria-hidden="true">${avatarInitials({ id: w.userId, name: w.name }, users)}</span><span class="sr-only">${w.name}</span></li>`)}</ul>`;
    }
    return html`<div class="row" part="watchers">
      <span class="row-label">${t('watchers')}</span>
      <div class="row-value">${body}${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}</div>
    </div>`;
  }
}
