import { html, nothing, svg } from 'lit';
import type { AnyClient } from './client.js';
import type { StringKey } from './locale.js';

/** What the editor needs of its element. */
export interface EditorHost {
  client(): AnyClient | undefined;
  /** The task uploads are attached to. */
  taskId(): number | undefined;
  t(key: StringKey, vars?: Record<string, string | number>): string;
  requestUpdate(): void;
  /** Reports a failed upload (`tb-error`). */
  failed(error: unknown): void;
}

type Format = 'bold' | 'italic' | 'list' | 'link' | 'code';
const SHORTCUTS: Record<string, Format> = { b: 'bold', i: 'italic', k: 'link', e: 'code' };
const icon = (d: string) => html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${svg`<path d=${d} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>`}</svg>`;
const BUTTONS: Array<[Format, StringKey, unknown]> = [
  ['bold', 'mdBold', html`<b aria-hidden="true">B</b>`],
  ['italic', 'mdItalic', html`<i aria-hidden="true">I</i>`],
  ['list', 'mdList', icon('M6 4h8M6 8h8M6 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01')],
  ['link', 'mdLink', icon('M7 9a3 3 0 0 0 4 0l2-2a3 3 0 0 0-4-4l-.5.5M9 7a3 3 0 0 0-4 0L3 9a3 3 0 0 0 4 4l.5-.5')],
  ['code', 'mdCode', icon('M5 4 1.5 8 5 12M11 4l3.5 4L11 12')],
];

/** Replaces the selection and tells the element (its @input handler keeps its own copy of the text). */
function replace(area: HTMLTextAreaElement, text: string, select: [number, number] | 'end', change = false): void {
  const start = area.selectionStart;
  area.setRangeText(text, start, area.selectionEnd, 'end');
  if (select !== 'end') area.setSelectionRange(start + select[0], start + select[1]);
  area.dispatchEvent(new Event('input', { bubbles: true }));
  if (change) area.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Applies a toolbar format to the selection (or a placeholder word, selected so typing replaces it). */
function format(area: HTMLTextAreaElement, kind: Format): void {
  const selected = area.value.slice(area.selectionStart, area.selectionEnd);
  const text = selected || (kind === 'link' ? 'text' : kind === 'list' ? '' : kind);
  let out: string;
  let select: [number, number];
  if (kind === 'list') {
    out = text.split('\n').map((line) => `- ${line}`).join('\n');
    select = [out.length, out.length];
  } else if (kind === 'link') {
    out = `[${text}](https://)`;
    select = [text.length + 3, out.length - 1]; // the URL, to be typed over
  } else {
    const mark = kind === 'bold' ? '**' : kind === 'italic' ? '_' : text.includes('\n') ? '```\n' : '`';
    const end = mark.startsWith('```') ? '\n```' : mark;
    out = mark + text + end;
    select = [mark.length, mark.length + text.length];
  }
  area.focus();
  replace(area, out, select);
}

/** Why an upload failed, in the server's words when it gave some (a 413's "exceeds the limit of … bytes"). */
export const uploadError = (error: unknown): string => (error as { problem?: { detail?: string } }).problem?.detail ?? (error as Error).message;

const imagesOf = (files: FileList | undefined | null) => [...(files ?? [])].filter((file) => file.type.startsWith('image/'));

/**
 * The Markdown editing shared by the description and the comment box: a
 * toolbar with shortcuts (Ctrl/Cmd+B, I, K, E), and images pasted or dropped
 * into the textarea uploaded as attachments of the task and inserted as
 * `![name](/api/attachments/<id>/content)` at the caret. The element renders
 * its own textarea (with these handlers) between `toolbar()` and `status()`.
 */
export class MarkdownEditor {
  private uploads: Array<{ name: string; percent: number }> = [];
  private errors: string[] = [];

  constructor(private readonly host: EditorHost) {}

  /** Whether an upload is still running (its image is not in the text yet). */
  get busy(): boolean {
    return this.uploads.length > 0;
  }

  toolbar(area: () => HTMLTextAreaElement | null | undefined, disabled = false) {
    const { t } = this.host;
    return html`<div class="md-toolbar" part="md-toolbar" role="group" aria-label=${t('mdToolbar')}>
      ${BUTTONS.map(([kind, label, glyph]) => html`<button type="button" class="btn ghost md-button" aria-label=${t(label)} title=${t(label)} ?disabled=${disabled}
        @mousedown=${(e: Event) => e.preventDefault() /* keeps the selection in the textarea */} @click=${() => { const a = area(); if (a) format(a, kind); }}>${glyph}</button>`)}
      <span class="md-hint">${t('mdHint')}</span>
    </div>`;
  }

  /** Upload progress and failures, under the textarea. */
  status() {
    const { t } = this.host;
    return html`<div class="md-status" role="status">${this.uploads.map((u) => html`<span class="md-progress">${t('uploading', { name: u.name, percent: u.percent })}
        <progress max="100" .value=${u.percent} aria-hidden="true"></progress></span>`)}</div>
      ${this.errors.length ? html`<div class="field-error" role="alert">${this.errors.map((e) => html`<p>${e}</p>`)}</div>` : nothing}`;
  }

  /** The textarea's keydown: formatting shortcuts. Answers whether it handled the key. */
  keydown = (event: KeyboardEvent): boolean => {
    const kind = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey ? SHORTCUTS[event.key.toLowerCase()] : undefined;
    if (!kind) return false;
    event.preventDefault();
    format(event.target as HTMLTextAreaElement, kind);
    return true;
  };

  paste = (event: ClipboardEvent): void => this.take(event, event.clipboardData?.files);

  drop = (event: DragEvent): void => this.take(event, event.dataTransfer?.files);

  /** Lets image files be dropped on the textarea. */
  dragover = (event: DragEvent): void => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  };

  private take(event: Event, files: FileList | undefined | null): void {
    const images = imagesOf(files);
    if (!images.length) return;
    event.preventDefault();
    event.stopPropagation(); // not also the detail's drop zone
    this.errors = [];
    for (const file of images) void this.upload(event.target as HTMLTextAreaElement, file);
  }

  private async upload(area: HTMLTextAreaElement, file: File): Promise<void> {
    const client = this.host.client();
    const taskId = this.host.taskId();
    if (!client || !taskId) return;
    const entry = { name: file.name || 'image.png', percent: 0 };
    this.uploads = [...this.uploads, entry];
    this.host.requestUpdate();
    try {
      const attachment = await client.attachments.upload(taskId, file, {
        filename: entry.name,
        onProgress: (loaded, total) => {
          entry.percent = total ? Math.round((loaded / total) * 100) : 0;
          this.host.requestUpdate();
        },
      });
      // At the caret as it is now (the user may have typed on meanwhile), on a line of its own.
      const before = area.value.slice(0, area.selectionStart);
      const alt = attachment.filename.replace(/[[\]\\]/g, '');
      replace(area, `${before && !before.endsWith('\n') ? '\n' : ''}![${alt}](/api/attachments/${attachment.id}/content)\n`, 'end', true);
    } catch (error) {
      this.errors = [...this.errors, this.host.t('uploadFailed', { name: entry.name, message: uploadError(error) })];
      this.host.failed(error);
    } finally {
      this.uploads = this.uploads.filter((u) => u !== entry);
      this.host.requestUpdate();
    }
  }
}
