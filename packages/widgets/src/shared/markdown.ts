import { html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Attachment } from '@taskbase/sdk';
import type { AnyClient } from './client.js';

/** A signed URL whose `exp` is less than a minute away (or unreadable): replace it with a fresher one. */
const expiring = (url: string) => !(Number(new URL(url, 'http://x').searchParams.get('exp')) * 1000 > Date.now() + 60_000);

/**
 * Signed image URLs by attachment id. The first URL seen is kept while valid:
 * each list answers new signatures, and a changed src would reload every image
 * (and re-render the Markdown) on each refresh.
 */
export class AttachmentUrls {
  private readonly urls = new Map<number, string>();

  /** Records the URLs of a list's attachments (relative ones resolved against the API's base URL). */
  add(client: AnyClient | undefined, attachments: readonly Attachment[]): void {
    const base = client?.http.options.baseUrl;
    for (const attachment of attachments) {
      const kept = this.urls.get(attachment.id);
      if (!kept || expiring(kept)) this.urls.set(attachment.id, new URL(attachment.thumbnailUrl ?? attachment.url, base).href);
    }
  }

  get(id: number): string | undefined {
    return this.urls.get(id);
  }

  private retriedAt = 0;

  /**
   * An attachment image failed to load (its URL expired on a page left open,
   * or was refused): forgets its URL, has fresh ones fetched and gives the
   * image its new one. At most once a minute, so that an image that keeps
   * failing cannot loop.
   */
  async failed(event: Event, reload: () => Promise<unknown>): Promise<void> {
    const img = event.target as HTMLImageElement;
    const id = Number(img.dataset?.attachmentId);
    if (!id || Date.now() - this.retriedAt < 60_000) return;
    this.retriedAt = Date.now();
    this.urls.delete(id);
    await reload();
    const fresh = this.urls.get(id);
    if (fresh && fresh !== img.src) img.src = fresh;
  }
}

/**
 * The server's sanitized HTML of a description or comment, as is, except that
 * attachment images point at their signed URL: their `src` is the API's stable
 * path, which an `<img>` cannot fetch (no bearer) and which would resolve
 * against the host page. Parsed in an inert <template> (nothing loads or runs).
 */
export function markdown(source: string, urls: AttachmentUrls, onClick: (event: Event) => void, reload: () => Promise<unknown>) {
  const template = document.createElement('template');
  template.innerHTML = source;
  for (const img of template.content.querySelectorAll<HTMLImageElement>('img[data-attachment-id]')) {
    const url = urls.get(Number(img.dataset.attachmentId));
    if (url) img.src = url;
    else img.removeAttribute('src'); // unknown (deleted?): the alt text shows
    img.loading = 'lazy';
  }
  // A task list's checkboxes are read-only marks: named by their item, for screen readers (and axe).
  for (const box of template.content.querySelectorAll('li > input[type="checkbox"]')) box.setAttribute('aria-label', box.parentElement!.textContent!.trim());
  // An image's error does not bubble: caught on the way down.
  const onError = { handleEvent: (event: Event) => void urls.failed(event, reload), capture: true };
  return html`<div class="md" part="markdown" @click=${onClick} @error=${onError}>${unsafeHTML(template.innerHTML)}</div>`;
}

/** A click handler for rendered Markdown: a task reference (`a[data-task]`) calls `open` with its identifier instead of following `#CRM-42`. */
export const taskRefClick = (open: (identifier: string) => void) => (event: Event) => {
  const link = (event.target as Element).closest?.('a[data-task]');
  if (!link) return;
  event.preventDefault();
  open(link.getAttribute('data-task')!);
};
