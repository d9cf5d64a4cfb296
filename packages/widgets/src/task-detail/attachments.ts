import { html, nothing } from 'lit';
import type { Attachment } from '@taskbase/sdk';
import { AttachmentUrls } from '../shared/markdown.js';
import { uploadError } from '../shared/markdown-editor.js';
import { messageOf, type DetailContext, type Loadable } from './context.js';

const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

/** Bytes in the largest unit under 1024 of them, in the widget's locale ("12 kB", "1.4 MB"). */
function size(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
  let unit = 0;
  while (bytes >= 1024 && unit < units.length - 1) {
    bytes /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: unit ? 'short' : 'long', maximumFractionDigits: unit ? 1 : 0 }).format(bytes);
}

/**
 * The task's files (its own and its comments'): a list with thumbnails and
 * download links, an "Attach files" button and a drop zone, delete for those
 * the caller may delete. Also the signed URLs the description's images use.
 */
export class AttachmentsSection {
  private data: Loadable<Attachment[]> = { state: 'loading' };
  private uploads: Array<{ name: string; percent: number }> = [];
  private error = '';
  private announce = '';
  private dragging = false;
  /** Signed image URLs for the rendered description. */
  readonly urls = new AttachmentUrls();

  constructor(private readonly ctx: DetailContext) {}

  async load(signal?: AbortSignal): Promise<void> {
    const client = this.ctx.client()!;
    try {
      const page = await client.attachments.list(this.ctx.task()!.id, { limit: 100 }, { signal });
      this.urls.add(client, page.data);
      this.data = { state: 'ready', value: page.data };
    } catch (error) {
      if (!signal?.aborted) this.data = { state: 'error', message: messageOf(error) };
    }
  }

  /** After an attachment.* event: this list only, not the whole task. */
  async reload(): Promise<void> {
    await this.load();
    this.ctx.requestUpdate();
  }

  private async upload(files: Iterable<File>): Promise<void> {
    const client = this.ctx.client()!;
    const taskId = this.ctx.task()!.id;
    this.error = '';
    await Promise.all(
      [...files].map(async (file) => {
        const entry = { name: file.name, percent: 0 };
        this.uploads = [...this.uploads, entry];
        this.ctx.requestUpdate();
        try {
          await client.attachments.upload(taskId, file, {
            onProgress: (loaded, total) => {
              entry.percent = total ? Math.round((loaded / total) * 100) : 0;
              this.ctx.requestUpdate();
            },
          });
        } catch (error) {
          this.error = this.ctx.t('uploadFailed', { name: file.name, message: uploadError(error) });
          this.ctx.failed(error, 'upload');
        } finally {
          this.uploads = this.uploads.filter((u) => u !== entry);
        }
      }),
    );
    await this.reload();
  }

  private async remove(attachment: Attachment): Promise<void> {
    this.error = '';
    try {
      await this.ctx.client()!.attachments.remove(attachment.taskId, attachment.id);
      this.announce = this.ctx.t('attachmentDeleted', { name: attachment.filename });
      this.ctx.focus('.attach-button');
    } catch (error) {
      this.error = messageOf(error);
      this.ctx.failed(error, 'delete');
    }
    await this.reload();
  }

  private onDrop = (event: DragEvent): void => {
    this.dragging = false;
    const files = event.dataTransfer?.files;
    if (!files?.length || !this.ctx.canUpdate()) return;
    event.preventDefault();
    void this.upload(files);
  };

  private onDrag = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || !this.ctx.canUpdate()) return;
    event.preventDefault();
    const over = event.type !== 'dragleave';
    if (over !== this.dragging) {
      this.dragging = over;
      this.ctx.requestUpdate();
    }
  };

  render() {
    const { t } = this.ctx;
    const editable = this.ctx.canUpdate();
    const count = this.data.state === 'ready' && this.data.value.length ? html` <span class="count">${this.data.value.length}</span>` : nothing;
    return html`<section class="block attachments ${this.dragging ? 'dragging' : ''}" part="attachments" aria-labelledby="attachments-heading"
        @dragenter=${this.onDrag} @dragover=${this.onDrag} @dragleave=${this.onDrag} @drop=${this.onDrop}>
      <div class="section" id="attachments-heading" role="heading" aria-level=${this.ctx.headingLevel()}>${t('attachments')}${count}</div>
      ${this.renderList()}
      ${editable ? html`<div class="drop-zone">
        <button type="button" class="btn attach-button" part="button attach" @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M10.5 4.5 5.2 9.8a1.5 1.5 0 0 0 2.1 2.1l5.6-5.6a3 3 0 0 0-4.2-4.2L3 7.8a4.5 4.5 0 0 0 6.4 6.4l4.1-4.1" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>
          ${t('attachFiles')}</button>
        <input type="file" multiple hidden @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          void this.upload([...input.files!]);
          input.value = '';
        }} />
        <span class="muted">${t('dropHint')}</span>
      </div>` : nothing}
      <div role="status" class="upload-status">${this.uploads.map((u) => html`<span class="md-progress">${t('uploading', { name: u.name, percent: u.percent })}
        <progress max="100" .value=${u.percent} aria-hidden="true"></progress></span>`)}<span class="sr-only">${this.announce}</span></div>
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderList() {
    const { t } = this.ctx;
    if (this.data.state === 'loading') return html`<p class="muted" role="status">${t('loading')}</p>`;
    if (this.data.state === 'error') return html`<p class="field-error" role="alert">${t('sectionError', { section: t('attachments').toLowerCase(), message: this.data.message })}</p>`;
    if (!this.data.value.length) return html`<p class="muted">${t('noAttachments')}</p>`;
    const base = this.ctx.client()?.http.options.baseUrl;
    return html`<ul class="files" aria-labelledby="attachments-heading">${this.data.value.map((a) => {
      const href = new URL(a.url, base).href;
      return html`<li class="file" data-id=${a.id}>
        ${IMAGE.test(a.contentType) && this.urls.get(a.id)
          ? html`<img class="thumb" src=${this.urls.get(a.id)!} alt="" loading="lazy" />`
          : html`<span class="thumb ext" aria-hidden="true">${(a.filename.split('.').pop() ?? '').slice(0, 4)}</span>`}
        <a class="file-name" part="attachment-link" href=${href} target="_blank" rel="noopener noreferrer" download=${a.filename}>${a.filename}</a>
        <span class="file-size">${size(a.size, this.ctx.locale())}</span>
        ${a.can.includes('delete') ? html`<button type="button" class="btn ghost icon" aria-label=${t('deleteAttachment', { name: a.filename })} title=${t('deleteAttachment', { name: a.filename })}
          @click=${() => void this.remove(a)}>×</button>` : nothing}
      </li>`;
    })}</ul>`;
  }
}
