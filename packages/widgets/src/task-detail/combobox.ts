import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';

let ids = 0;

interface ComboboxOptions<T> {
  /** The choices for a search text (filtered locally or asked of the server). */
  search(query: string): T[] | Promise<T[]>;
  key(item: T): string | number;
  choose(item: T): void | Promise<void>;
  /** Re-renders the element. */
  update(): void;
  /** Backspace in the empty field (e.g. removes the last label). */
  backspace?(): void;
}

/**
 * A search field with a list of choices (WAI-ARIA combobox with a listbox):
 * typing filters, Down/Up move the highlight, Enter chooses, Escape closes.
 * Asynchronous searches are debounced and only the latest answer is shown.
 */
export class Combobox<T> {
  open = false;
  query = '';
  active = -1;
  items: T[] = [];
  busy = false;
  readonly id = `tb-cb-${++ids}`;
  private seq = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: ComboboxOptions<T>) {}

  /** Runs the search for the current text (after `delay` ms) and opens the list. */
  refresh(delay = 0): void {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    const run = async () => {
      this.busy = true;
      this.options.update();
      try {
        const items = await this.options.search(this.query.trim());
        if (seq !== this.seq) return;
        this.items = items;
        this.open = true;
        this.active = items.length ? 0 : -1;
      } catch {
        if (seq === this.seq) this.items = [];
      } finally {
        if (seq === this.seq) this.busy = false;
        this.options.update();
      }
    };
    if (delay) this.timer = setTimeout(() => void run(), delay);
    else void run();
  }

  close(): void {
    clearTimeout(this.timer);
    this.seq++;
    this.open = false;
    this.active = -1;
    this.busy = false;
    this.options.update();
  }

  reset(): void {
    this.query = '';
    this.close();
  }

  private async pick(item: T | undefined): Promise<void> {
    if (item === undefined) return;
    this.reset();
    await this.options.choose(item);
  }

  private onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.refresh(150);
  };

  private onKey = (event: KeyboardEvent): void => {
    const last = this.items.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!this.open) return this.refresh();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = Math.max(0, Math.min(last, this.active + step));
      this.options.update();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.open) void this.pick(this.items[this.active]);
      else this.refresh();
    } else if (event.key === 'Escape' && (this.open || this.query)) {
      event.preventDefault();
      event.stopPropagation();
      if (this.open) this.close();
      else this.reset();
    } else if (event.key === 'Backspace' && !this.query && this.options.backspace) {
      this.options.backspace();
    }
  };

  /** The field and, while open, its list; `item` renders one choice. */
  render(props: { label: string; placeholder?: string; none: string; item: (item: T) => unknown; disabled?: boolean }): TemplateResult {
    const active = this.open && this.active >= 0 ? `${this.id}-${this.active}` : '';
    return html`<div class="combo">
      <input class="field" part="field" type="text" role="combobox" autocomplete="off" aria-autocomplete="list"
        aria-label=${props.label} placeholder=${props.placeholder ?? props.label} aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${`${this.id}-list`} aria-activedescendant=${active || nothing} ?disabled=${props.disabled}
        .value=${live(this.query)} @input=${this.onInput} @keydown=${this.onKey} @focus=${() => this.refresh()}
        @blur=${() => setTimeout(() => this.close(), 150)} />
      <div class="options" part="listbox" ?hidden=${!this.open}>
        <ul role="listbox" id=${`${this.id}-list`} aria-label=${props.label}>
          ${this.open ? this.items.map((item, index) => html`<li role="option" id=${`${this.id}-${index}`} aria-selected=${index === this.active ? 'true' : 'false'}
            @mousedown=${(e: Event) => e.preventDefault()} @click=${() => void this.pick(item)}>${props.item(item)}</li>`) : nothing}
        </ul>
        ${this.open && !this.items.length ? html`<p class="none" role="status">${this.busy ? '…' : props.none}</p>` : nothing}
      </div>
    </div>`;
  }
}
