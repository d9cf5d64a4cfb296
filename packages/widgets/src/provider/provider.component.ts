import { LitElement, css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { TokenProvider } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';
import { CLIENT_REQUEST, clientWithToken, type ClientCallback, type ClientRequestDetail } from '../shared/client.js';
import type { Theme } from '../shared/base.js';

/**
 * @summary Holds the Taskbase client (and theme) for every tb-* element inside it.
 * @tag tb-provider
 * @slot - The widgets (and any other content).
 * @cssproperty --tb-color-bg - Widget background.
 */
export class TbProvider extends LitElement {
  static override styles = css`
    :host { display: contents; }
  `;

  /** The API's base URL, e.g. `https://tasks.example.com`. */
  @property() url = '';
  /** A fixed access token (e.g. an embed token from your backend). */
  @property() token?: string;
  /** Called for a fresh token before the current one expires (property only). */
  @property({ attribute: false }) tokenProvider?: TokenProvider;
  /** An SDK client to use as is (property only); wins over url/token. */
  @property({ attribute: false }) client?: AnyClient;
  /** Forces `light` or `dark` in every widget inside; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) theme?: Theme;
  /** The default project of the widgets inside that show one (board, list, analytics) and have no `project` of their own: an id, a key (`CRM`) or `ext:<externalId>`. */
  @property() project?: string;

  private consumers = new Set<ClientCallback>();
  private ownClient?: AnyClient;

  constructor() {
    super();
    this.addEventListener(CLIENT_REQUEST, (event) => {
      event.stopPropagation();
      const detail = (event as CustomEvent<ClientRequestDetail>).detail;
      this.consumers.add(detail.callback);
      detail.unsubscribe = () => this.consumers.delete(detail.callback);
      detail.callback(this.current(), this.theme, this.project);
    });
  }

  /** The client the widgets inside use. */
  current(): AnyClient | undefined {
    if (this.client) return this.client;
    if (!this.ownClient && this.url && (this.token || this.tokenProvider)) {
      this.ownClient = clientWithToken({ url: this.url, token: this.token, tokenProvider: this.tokenProvider });
    }
    return this.ownClient;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('url') || changed.has('token') || changed.has('tokenProvider')) {
      this.ownClient?.realtime.close();
      this.ownClient = undefined;
    }
    const client = this.current();
    this.consumers.forEach((callback) => callback(client, this.theme, this.project));
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}
