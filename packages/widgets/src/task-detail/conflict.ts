import { html } from 'lit';
import type { Task } from '@taskbase/sdk';
import type { Translate } from './context.js';

/** The fields the detail edits itself (a conflict compares them). */
export type Field = 'title' | 'description' | 'status' | 'priority' | 'assignedTo' | 'dueDate';

interface ConflictContext {
  t: Translate;
  theirs: Task;
  mine: Partial<Pick<Task, Field>>;
  headingLevel: number;
  /** A field's value as people read it. */
  display: (field: Field, task: Pick<Task, Field>) => string;
  reloadTheirs: () => void;
  overwriteMine: () => void;
}

/** The 412 panel: their values next to mine, and a choice of which to keep. */
export function renderConflict({ t, theirs, mine, headingLevel, display, reloadTheirs, overwriteMine }: ConflictContext) {
  const fields = Object.keys(mine) as Field[];
  return html`<section class="conflict" part="conflict" role="alert">
    <div class="conflict-title" role="heading" aria-level=${headingLevel}>${t('conflictTitle')}</div>
    <p>${t('conflictBody')}</p>
    <table>
      <thead><tr><th scope="col">${t('field')}</th><th scope="col">${t('theirs')}</th><th scope="col">${t('mine')}</th></tr></thead>
      <tbody>${fields.map((f) => html`<tr><th scope="row">${t(f === 'assignedTo' ? 'assignee' : f)}</th>
        <td class="theirs">${display(f, theirs)}</td><td class="mine">${display(f, { ...theirs, ...mine })}</td></tr>`)}</tbody>
    </table>
    <div class="actions">
      <button class="btn" part="button" @click=${reloadTheirs}>${t('reloadTheirs')}</button>
      <button class="btn primary" part="button" @click=${overwriteMine}>${t('overwriteMine')}</button>
    </div>
  </section>`;
}
