import { html, nothing } from 'lit';
import type { StringKey } from '../shared/locale.js';

/** Where a deletion stands: nothing asked yet, asking, sending, or done. */
export type DeleteStage = 'idle' | 'confirming' | 'deleting' | 'deleted';

interface DeleteContext {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  title: string;
  /** How many subtasks go with it (they are deleted too). */
  subtasks?: number;
  stage: DeleteStage;
  ask: () => void;
  confirm: () => void;
  cancel: () => void;
}

/** The "Delete" button of the detail's header (only for callers allowed to delete). */
export function renderDeleteButton(ctx: DeleteContext) {
  return html`<button class="btn ghost delete" part="button delete-button" ?disabled=${ctx.stage !== 'idle'} @click=${ctx.ask}>${ctx.t('deleteTask')}</button>`;
}

/**
 * The confirmation: a deletion cannot be undone (the API has no restore), so
 * it is asked once, with the title named and focus on the safe choice.
 */
export function renderDeleteConfirm(ctx: DeleteContext) {
  if (ctx.stage !== 'confirming' && ctx.stage !== 'deleting') return nothing;
  return html`<section class="confirm-delete" part="delete-confirm" role="alertdialog" aria-labelledby="delete-question" aria-describedby="delete-consequence"
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && ctx.cancel()}>
    <p id="delete-question"><strong>${ctx.t('deleteQuestion', { title: ctx.title })}</strong></p>
    <p id="delete-consequence">${ctx.subtasks ? ctx.t('deleteConsequenceSubtasks', { count: ctx.subtasks }) : ctx.t('deleteConsequence')}</p>
    <div class="actions">
      <button class="btn danger" part="button" ?disabled=${ctx.stage === 'deleting'} @click=${ctx.confirm}>${ctx.t(ctx.stage === 'deleting' ? 'deleting' : 'deleteTask')}</button>
      <button class="btn cancel" part="button" @click=${ctx.cancel}>${ctx.t('cancel')}</button>
    </div>
  </section>`;
}
