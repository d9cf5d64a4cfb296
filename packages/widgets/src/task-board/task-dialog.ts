import { html, nothing } from 'lit';
import type { TbElement } from '../shared/base.js';

/**
 * The built-in "open a task" behaviour of the board and the list: a modal
 * dialog with <tb-task-detail> and <tb-comments> (when those tags are defined).
 * The host calls `showModal()` after rendering (see {@link showTaskDialog}).
 * `headingLevel` is the level of the detail's and the comments' headings.
 */
export function renderTaskDialog(host: TbElement, taskId: number | undefined, close: () => void, headingLevel = 3) {
  if (taskId === undefined) return nothing;
  const t = (host as unknown as { t: (key: 'close') => string }).t.bind(host);
  // A task deleted from inside the dialog leaves nothing to show: close it.
  const closeOnDelete = (e: CustomEvent<{ action: string }>) => e.detail.action === 'delete' && (e.currentTarget as HTMLDialogElement).close();
  return html`<dialog part="dialog" @close=${close} @tb-task-change=${closeOnDelete} aria-label=${t('close')}>
    <div class="dialog-head">
      <button class="btn ghost" part="button" @click=${(e: Event) => (e.target as HTMLElement).closest('dialog')!.close()}>${t('close')} ✕</button>
    </div>
    <div class="dialog-body">
      <tb-task-detail task-id=${taskId} heading-level=${headingLevel} locale=${host.locale ?? nothing} .strings=${host.strings}></tb-task-detail>
      <tb-comments task-id=${taskId} heading-level=${headingLevel} locale=${host.locale ?? nothing} .strings=${host.strings}></tb-comments>
    </div>
  </dialog>`;
}

/** Opens the dialog rendered by {@link renderTaskDialog}, once it is in the document. */
export function showTaskDialog(root: ParentNode): void {
  const dialog = root.querySelector('dialog');
  if (dialog && !dialog.open && dialog.isConnected) dialog.showModal();
}
