import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';

/** Every IANA zone the browser knows (UTC first). */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

const offsets = new Map<string, string>();
/** "UTC+01:00"-style offset of a zone now ("UTC" for zero). */
export function offsetOf(zone: string): string {
  let offset = offsets.get(zone);
  if (offset === undefined) {
    try {
      const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
      offset = (part?.value ?? 'GMT').replace('GMT', 'UTC');
    } catch {
      offset = '';
    }
    offsets.set(zone, offset);
  }
  return offset;
}

/** "America/New York" from "America/New_York". */
export const zoneLabel = (zone: string) => zone.replace(/_/g, ' ');

const SHOWN = 80;
let ids = 0;

/**
 * A searchable timezone field (WAI-ARIA combobox): shows the current zone;
 * focus or typing lists the zones whose name or offset match; Up/Down/Enter
 * choose, Escape puts the current one back.
 */
export class TimezonePicker {
  open = false;
  query = '';
  active = 0;
  readonly id = `tb-tz-${++ids}`;
  private all?: string[];

  constructor(private readonly host: { requestUpdate(): void; choose(zone: string): void }) {}

  matches(): string[] {
    this.all ??= timeZones();
    const words = this.query.toLowerCase().replace(/_/g, ' ').split(/\s+/).filter(Boolean);
    if (!words.length) return this.all;
    return this.all.filter((zone) => {
      const text = `${zoneLabel(zone)} ${offsetOf(zone)}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }

  private show(open: boolean, current?: string): void {
    this.open = open;
    this.query = '';
    this.active = open && current ? Math.max(0, this.matches().indexOf(current)) : 0;
    this.host.requestUpdate();
  }

  private pick(zone: string | undefined): void {
    if (!zone) return;
    this.show(false);
    this.host.choose(zone);
  }

  private onKey(event: KeyboardEvent, current: string): void {
    const list = this.matches().slice(0, SHOWN);
    const moves: Record<string, number> = { ArrowDown: this.active + 1, ArrowUp: this.active - 1, PageDown: this.active + 8, PageUp: this.active - 8 };
    if (event.key in moves) {
      event.preventDefault();
      if (!this.open) return this.show(true, current);
      this.active = Math.max(0, Math.min(list.length - 1, moves[event.key]!));
      this.host.requestUpdate();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.open) this.pick(list[this.active]);
      else this.show(true, current);
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      event.stopPropagation();
      this.show(false);
    }
  }

  /** Scrolls the highlighted option into view (after each render while open). */
  reveal(root: ParentNode): void {
    if (this.open) root.querySelector(`#${this.id}-${this.active}`)?.scrollIntoView({ block: 'nearest' });
  }

  render(props: { current: string; label: string; placeholder: string; none: string; more: (count: number) => string; disabled?: boolean; describedBy?: string }) {
    const list = this.open ? this.matches() : [];
    const shown = list.slice(0, SHOWN);
    const active = this.open && shown.length ? `${this.id}-${this.active}` : '';
    return html`<div class="tz">
      <input class="field" part="timezone" type="text" role="combobox" autocomplete="off" spellcheck="false" aria-autocomplete="list"
        aria-label=${props.label} aria-describedby=${props.describedBy ?? nothing} aria-expanded=${this.open ? 'true' : 'false'} aria-controls=${`${this.id}-list`}
        aria-activedescendant=${active || nothing} placeholder=${props.placeholder} ?disabled=${props.disabled}
        .value=${live(this.open ? this.query : zoneLabel(props.current))}
        @focus=${(e: FocusEvent) => (this.show(true, props.current), (e.target as HTMLInputElement).select())}
        @input=${(e: Event) => ((this.query = (e.target as HTMLInputElement).value), (this.active = 0), this.host.requestUpdate())}
        @keydown=${(e: KeyboardEvent) => this.onKey(e, props.current)}
        @blur=${() => setTimeout(() => this.open && this.show(false), 150)} />
      <span class="tz-offset" aria-hidden="true">${this.open ? '' : offsetOf(props.current)}</span>
      <div class="options" ?hidden=${!this.open}>
        <ul role="listbox" id=${`${this.id}-list`} aria-label=${props.label}>
          ${shown.map((zone, index) => html`<li role="option" id=${`${this.id}-${index}`} aria-selected=${index === this.active ? 'true' : 'false'}
            class=${zone === props.current ? 'current' : ''} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.pick(zone)}>
            <span>${zoneLabel(zone)}</span><span class="off">${offsetOf(zone)}</span></li>`)}
        </ul>
        ${this.open && !list.length ? html`<p class="none" role="status">${props.none}</p>` : nothing}
        ${list.length > SHOWN ? html`<p class="none">${props.more(list.length - SHOWN)}</p>` : nothing}
      </div>
    </div>`;
  }
}
