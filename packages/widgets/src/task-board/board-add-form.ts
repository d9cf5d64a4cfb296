import { html } from 'lit';
import type { Task, TaskStatus } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';

interface AddFormContext {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  /** Creates the task; a rejection re-enables the input. */
  create: (title: string, status: TaskStatus) => Promise<Task | undefined>;
  close: () => void;
}

/** A column's inline "new task" form: a title field, Create and Cancel; Escape closes it. */
export function renderAddForm(status: TaskStatus, ctx: AddFormContext) {
  const submit = async (event: Event) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('title') as HTMLInputElement;
    const title = input.value.trim();
    if (!title) return;
    input.disabled = true;
    const task = await ctx.create(title, status);
    if (!task) input.disabled = false;
  };
  return html`<form class="add-form" @submit=${submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && ctx.close()}>
    <input class="field" name="title" autofocus aria-label=${ctx.t('newTaskTitle')} placeholder=${ctx.t('newTaskTitle')} />
    <div class="row">
      <button class="btn primary" part="button">${ctx.t('create')}</button>
      <button class="btn ghost" type="button" @click=${ctx.close}>${ctx.t('cancel')}</button>
    </div>
  </form>`;
}
