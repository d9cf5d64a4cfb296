import { html, nothing } from 'lit';
import type { TbElement } from '../shared/base.js';

/**
 * How the dialog's elements (<tb-task-detail>, <tb-comments>) are loaded: set
 * by `task-board.ts` (the module that defines tb-task-board) to dynamic
 * imports, so a page loads them after the board, not with it. Unset (the class
 * imported from the package's index, which registers no tag) → nothing loaded.
 */
let loader: (() => Promise<unknown>) | undefined;
let loading: Promise<unknown> | undefined;
let scheduled = false;

export function setTaskDialogLoader(load: () => Promise<unknown>): void {
  loader = load;
}

/** Loads the dialog's elements once; a failed load is tried again next time. */
function loadDialogElements(): Promise<unknown> {
  if (!loader) return Promise.resolve();
  loading ??= loader().catch((error: unknown) => {
    loading = undefined;
    console.warn('[taskbase] could not load the task dialog\'s elements', error);
  });
  return loading;
}

/** Starts loading the dialog's elements when the page is idle (once). */
function preloadDialogElements(): void {
  if (scheduled || !loader) return;
  scheduled = true;
  const later = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
  later(() => void loadDialogElements());
}

/**
 * The board's built-in "open a task" behaviour (tb-task-list has none: it
 * only emits tb-task-select): a modal dialog with <tb-task-detail> and <tb-comments> (when those tags are defined).
 * The host calls `showModal()` after rendering (see {@link showTaskDialog}).
 * `headingLevel` is the level of the detail's and the comments' headings.
 * `open` shows another task in it: a linked task or a task reference clicked
 * inside, unless the host page cancelled that tb-task-open (known once the
 * event has gone all the way up, hence the microtask).
 */
export function renderTaskDialog(host: TbElement, taskId: number | undefined, close: () => void, headingLevel = 3, open?: (taskId: number) => void) {
  preloadDialogElements();
  if (taskId === undefined) return nothing;
  const t = (host as unknown as { t: (key: 'close') => string }).t.bind(host);
  // A task deleted from inside the dialog leaves nothing to show: close it.
  const closeOnDelete = (e: CustomEvent<{ action: string }>) => e.detail.action === 'delete' && (e.currentTarget as HTMLDialogElement).close();
  return html`<dialog part="dialog" @close=${close} @tb-task-change=${closeOnDelete} aria-label=${t('close')}>
    <div class="dialog-head">
      <button class="btn ghost" part="button" @click=${(e: Event) => (e.target as HTMLElement).closest('dialog')!.close()}>${t('close')} ✕</button>
    </div>
    <div class="dialog-body" @tb-task-open=${(e: CustomEvent<{ taskId: number }>) => queueMicrotask(() => !e.defaultPrevented && open?.(e.detail.taskId))}>
      <tb-task-detail task-id=${taskId} heading-level=${headingLevel} locale=${host.locale ?? nothing} .strings=${host.strings}></tb-task-detail>
      <tb-comments task-id=${taskId} heading-level=${headingLevel} locale=${host.locale ?? nothing} .strings=${host.strings}></tb-comments>
    </div>
  </dialog>`;
}

/**
 * Opens the dialog rendered by {@link renderTaskDialog}, once it is in the
 * document and its elements are defined (the tags upgrade when they are; the
 * dialog is not shown empty meanwhile).
 */
export function showTaskDialog(root: ParentNode): void {
  const dialog = root.querySelector('dialog');
  if (!dialog || dialog.open || !dialog.isConnected) return;
  void loadDialogElements().then(() => {
    if (!dialog.open && dialog.isConnected) dialog.showModal();
  });
}
