import { html, nothing } from 'lit';
import type { Task, WorkflowStatus } from '@taskbase/sdk';
import { DEFAULT_WORKFLOW } from '../shared/workflow.js';
import { messageOf, type DetailContext, type Loadable } from './context.js';

const firstOf = (statuses: readonly WorkflowStatus[], category: WorkflowStatus['category']) => statuses.find((s) => s.category === category)?.key;

/**
 * The task's subtasks, oldest first: progress, a checkbox each to complete or reopen it, and a field to add one.
 * No reordering: a task's `position` orders it within its status's column, and a status change gives it a new one,
 * so an order by position would jump whenever a subtask is completed.
 */
export class SubtasksSection {
  private data: Loadable<Task[]> = { state: 'loading' };
  private error = '';
  private title = '';
  private busy = false;

  constructor(private readonly ctx: DetailContext) {}

  /** The subtasks' ids (none may become the task's parent). */
  get ids(): Set<number> {
    return new Set(this.data.state === 'ready' ? this.data.value.map((t) => t.id) : []);
  }

  /** A subtask's identifier, by id (for the activity's wording). */
  identifierOf(taskId: number): string | undefined {
    return this.data.state === 'ready' ? this.data.value.find((t) => t.id === taskId)?.identifier : undefined;
  }

  async load(signal: AbortSignal): Promise<void> {
    const task = this.ctx.task()!;
    try {
      const page = await this.ctx.client()!.tasks.list({ parent: String(task.id), sort: 'createdAt', limit: 100 }, { signal });
      this.data = { state: 'ready', value: page.data };
    } catch (error) {
      if (!signal.aborted) this.data = { state: 'error', message: messageOf(error) };
    }
  }

  private get statuses(): readonly WorkflowStatus[] {
    return this.ctx.project()?.statuses ?? DEFAULT_WORKFLOW;
  }

  /** Runs a change of a subtask, then reloads the task (its subtask counts) and this list. */
  private async run(action: () => Promise<unknown>): Promise<void> {
    this.error = '';
    this.busy = true;
    this.ctx.requestUpdate();
    try {
      await action();
      this.ctx.reload();
    } catch (error) {
      this.error = messageOf(error);
      this.ctx.failed(error, 'update');
    } finally {
      this.busy = false;
      this.ctx.requestUpdate();
    }
  }

  private async update(sub: Task, changes: { status: string }): Promise<void> {
    this.ctx.changed(await this.ctx.client()!.tasks.update(sub.id, changes), 'update', changes);
  }

  /** Completing moves it to the workflow's first `completed` status; reopening to its first `unstarted` one. */
  private toggle(sub: Task, done: boolean): Promise<void> {
    const status = done ? firstOf(this.statuses, 'completed') : (firstOf(this.statuses, 'unstarted') ?? this.statuses[0]?.key);
    return this.run(() => this.update(sub, { status: status ?? (done ? 'done' : 'todo') }));
  }

  private add = (event: Event): void => {
    event.preventDefault();
    const title = this.title.trim();
    const task = this.ctx.task()!;
    if (!title || this.busy) return;
    void this.run(async () => {
      this.ctx.changed(await this.ctx.client()!.tasks.create({ title, projectId: task.projectId, parentId: task.id }), 'create');
      this.title = '';
      this.ctx.focus('.subtask-add input');
    });
  };

  render() {
    const { t } = this.ctx;
    const task = this.ctx.task()!;
    const editable = this.ctx.canUpdate();
    const { total, completed } = task.subtasks;
    return html`<section class="block" part="subtasks" aria-labelledby="subtasks-heading">
      <div class="section" id="subtasks-heading" role="heading" aria-level=${this.ctx.headingLevel()}>${t('subtasks')}
        ${total ? html`<span class="count">${t('subtasksProgress', { completed, total })}</span>` : nothing}</div>
      ${total ? html`<div class="progress" aria-hidden="true"><span style=${`width:${Math.round((completed / total) * 100)}%`}></span></div>` : nothing}
      ${this.renderList(editable)}
      ${editable ? html`<form class="subtask-add inline-form" @submit=${this.add}>
        <input class="field" part="field" name="subtaskTitle" aria-label=${t('subtaskTitle')} placeholder=${`${t('addSubtask')}…`} maxlength="200"
          .value=${this.title} @input=${(e: Event) => (this.title = (e.target as HTMLInputElement).value)} />
        <button class="btn" part="button" type="submit" ?disabled=${this.busy}>${t('addSubtask')}</button>
      </form>` : nothing}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderList(editable: boolean) {
    const { t } = this.ctx;
    if (this.data.state === 'loading') return html`<p class="muted" role="status">${t('loading')}</p>`;
    if (this.data.state === 'error') return html`<p class="field-error" role="alert">${t('sectionError', { section: t('subtasks').toLowerCase(), message: this.data.message })}</p>`;
    const list = this.data.value;
    if (!list.length) return html`<p class="muted">${t('noSubtasks')}</p>`;
    return html`<ul class="items subtasks">${list.map((sub) => {
      const done = sub.statusCategory === 'completed';
      return html`<li class=${done ? 'done' : ''}>
        <input type="checkbox" id=${`sub-${sub.id}`} .checked=${done} ?disabled=${!editable || this.busy || !sub.can.includes('update')}
          @change=${(e: Event) => void this.toggle(sub, (e.target as HTMLInputElement).checked)} />
        <label class="sr-only" for=${`sub-${sub.id}`}>${sub.title}</label>
        <span class="ident">${sub.identifier}</span>
        <button type="button" class="link title-link" part="task-link" @click=${() => this.ctx.open(sub.id)}>${sub.title}</button>
        <span class="meta"><span class="pill status">${this.ctx.statusName(sub.status)}</span></span>
      </li>`;
    })}</ul>`;
  }
}
