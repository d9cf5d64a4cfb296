import { html, nothing } from 'lit';
import type { Task } from '@taskbase/sdk';
import { Combobox } from './combobox.js';
import { messageOf, type DetailContext } from './context.js';
import { searchTasks, taskOption } from './task-search.js';

/** The task's parent: shown as a link, set by searching the project's tasks, cleared. */
export class ParentSection {
  /** The parent task (undefined while unknown, null when it cannot be read). */
  private parent?: Task | null;
  private choosing = false;
  private error = '';
  /** The task's subtasks' ids (none may become its parent), from the subtasks section. */
  children: ReadonlySet<number> = new Set();
  private readonly picker = new Combobox<Task>({
    search: (query) => {
      const task = this.ctx.task()!;
      return searchTasks(this.ctx.client()!, query, { project: task.projectId, exclude: new Set([task.id, task.parentId ?? 0, ...this.children]) });
    },
    key: (task) => task.id,
    choose: (task) => this.set(task),
    update: () => this.ctx.requestUpdate(),
  });

  constructor(private readonly ctx: DetailContext) {}

  /** The parent task's id, once read. */
  get parentId(): number | undefined {
    return this.parent?.id;
  }

  /** The parent's identifier, by id (for the activity's wording). */
  identifierOf(taskId: number): string | undefined {
    return this.parent?.id === taskId ? this.parent.identifier : undefined;
  }

  async load(signal: AbortSignal): Promise<void> {
    const task = this.ctx.task()!;
    if (task.parentId === null) this.parent = undefined;
    else this.parent = await this.ctx.client()!.tasks.get(task.parentId, { signal }).catch(() => null);
  }

  private async set(parent: Task | null): Promise<void> {
    this.error = '';
    try {
      await this.ctx.patch({ parentId: parent?.id ?? null });
      this.parent = parent ?? undefined;
      this.choosing = false;
    } catch (error) {
      this.error = (error as { fieldErrors?: Array<{ message: string }> }).fieldErrors?.[0]?.message ?? messageOf(error);
      this.ctx.failed(error, 'update');
    }
    this.ctx.requestUpdate();
  }

  private startChoosing = (): void => {
    this.choosing = true;
    this.ctx.requestUpdate();
    this.ctx.focus('.parent input');
  };

  render() {
    const { t } = this.ctx;
    const task = this.ctx.task()!;
    const editable = this.ctx.canUpdate();
    const parent = task.parentId === null ? undefined : this.parent;
    return html`<div class="row parent" part="parent">
      <span class="row-label">${t('parentTask')}</span>
      <div class="row-value">
        ${task.parentId === null
          ? html`<span class="muted">${t('noParent')}</span>`
          : html`<button type="button" class="link" part="task-link" @click=${() => this.ctx.open(task.parentId!)}>
              <span class="ident">${parent?.identifier ?? `#${task.parentId}`}</span> ${parent?.title ?? ''}</button>`}
        ${editable && !this.choosing ? html`<button type="button" class="btn ghost small" @click=${this.startChoosing}>${t(task.parentId === null ? 'setParent' : 'changeParent')}</button>` : nothing}
        ${editable && task.parentId !== null && !this.choosing ? html`<button type="button" class="btn ghost small" @click=${() => void this.set(null)}>${t('clearParent')}</button>` : nothing}
        ${this.choosing ? html`${this.picker.render({ label: t('setParent'), placeholder: `${t('taskSearch')}…`, none: t('taskNone'), item: taskOption })}
          <button type="button" class="btn ghost small" @click=${() => { this.choosing = false; this.picker.reset(); this.ctx.focus('.parent button'); }}>${t('cancel')}</button>` : nothing}
        ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      </div>
    </div>`;
  }
}
