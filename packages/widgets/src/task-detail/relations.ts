import { html, nothing } from 'lit';
import type { RelationType, Task, TaskRelation } from '@taskbase/sdk';
import { Combobox } from './combobox.js';
import { messageOf, type DetailContext, type Loadable } from './context.js';
import { searchTasks, taskOption } from './task-search.js';

/** The groups, in the order shown. */
export const RELATION_ORDER: readonly RelationType[] = ['blocks', 'blocked_by', 'relates_to', 'duplicates', 'duplicated_by'];
/** A link read from the other end: `blocked_by` is made as the other task's `blocks`. */
const REVERSE: Partial<Record<RelationType, 'blocks' | 'duplicates'>> = { blocked_by: 'blocks', duplicated_by: 'duplicates' };

/** The task's links to other tasks, grouped by type; add one by choosing a type and searching a task; remove one. */
export class RelationsSection {
  private data: Loadable<TaskRelation[]> = { state: 'loading' };
  private type: RelationType = 'blocks';
  private error = '';
  private readonly picker = new Combobox<Task>({
    search: (query) => {
      const task = this.ctx.task()!;
      const linked = this.data.state === 'ready' ? this.data.value.map((r) => r.task.id) : [];
      return searchTasks(this.ctx.client()!, query, { exclude: new Set([task.id, ...linked]) });
    },
    key: (task) => task.id,
    choose: (task) => this.add(task),
    update: () => this.ctx.requestUpdate(),
  });

  constructor(private readonly ctx: DetailContext) {}

  /** The linked tasks' ids. */
  get taskIds(): number[] {
    return this.data.state === 'ready' ? this.data.value.map((r) => r.task.id) : [];
  }

  /** Identifiers of the tasks linked while this element was open (a removed link's activity names its task too). */
  private readonly seen = new Map<number, string>();

  /** The identifier of a linked task, by id (for the activity's wording). */
  identifierOf(taskId: number): string | undefined {
    return this.seen.get(taskId);
  }

  async load(signal: AbortSignal): Promise<void> {
    try {
      const page = await this.ctx.client()!.tasks.relations.list(this.ctx.task()!.id, { signal });
      this.data = { state: 'ready', value: page.data };
      for (const relation of page.data) this.seen.set(relation.task.id, relation.task.identifier);
    } catch (error) {
      if (!signal.aborted) this.data = { state: 'error', message: messageOf(error) };
    }
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.error = '';
    try {
      await action();
      this.ctx.reload();
    } catch (error) {
      this.error = (error as { fieldErrors?: Array<{ message: string }> }).fieldErrors?.[0]?.message ?? messageOf(error);
      this.ctx.failed(error, 'update');
    }
    this.ctx.requestUpdate();
  }

  /** Links the task: a `blocked_by` or `duplicated_by` link is made from the other task. */
  private add(other: Task): Promise<void> {
    const client = this.ctx.client()!;
    const task = this.ctx.task()!;
    const reverse = REVERSE[this.type];
    return this.run(() =>
      reverse
        ? client.tasks.relations.add(other.id, { type: reverse, taskId: task.id })
        : client.tasks.relations.add(task.id, { type: this.type as 'blocks' | 'relates_to' | 'duplicates', taskId: other.id }),
    );
  }

  render() {
    const { t } = this.ctx;
    const editable = this.ctx.canUpdate();
    return html`<section class="block" part="relations" aria-labelledby="relations-heading">
      <div class="section" id="relations-heading" role="heading" aria-level=${this.ctx.headingLevel()}>${t('relations')}</div>
      ${this.renderGroups(editable)}
      ${editable ? html`<div class="inline-form relation-add">
        <label class="sr-only" for="relation-type">${t('relationType')}</label>
        <select id="relation-type" class="field compact" part="field" name="relationType" @change=${(e: Event) => (this.type = (e.target as HTMLSelectElement).value as RelationType)}>
          ${RELATION_ORDER.map((type) => html`<option value=${type} ?selected=${type === this.type}>${t(`relation.${type}`)}</option>`)}
        </select>
        ${this.picker.render({ label: t('linkTask'), placeholder: `${t('linkTask')}…`, none: t('taskNone'), item: taskOption })}
      </div>` : nothing}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderGroups(editable: boolean) {
    const { t } = this.ctx;
    if (this.data.state === 'loading') return html`<p class="muted" role="status">${t('loading')}</p>`;
    if (this.data.state === 'error') return html`<p class="field-error" role="alert">${t('sectionError', { section: t('relations').toLowerCase(), message: this.data.message })}</p>`;
    const relations = this.data.value;
    if (!relations.length) return html`<p class="muted">${t('noRelations')}</p>`;
    const client = this.ctx.client()!;
    return RELATION_ORDER.filter((type) => relations.some((r) => r.type === type)).map((type) => html`
      <div class="group" data-type=${type}>
        <div class="group-title" id=${`rel-${type}`}>${t(`relation.${type}`)}</div>
        <ul class="items" aria-labelledby=${`rel-${type}`}>${relations.filter((r) => r.type === type).map((relation) => html`<li class=${relation.task.statusCategory === 'completed' ? 'done' : ''}>
          <span class="ident">${relation.task.identifier}</span>
          <button type="button" class="link title-link" part="task-link" @click=${() => this.ctx.open(relation.task.id)}>${relation.task.title}</button>
          <span class="meta"><span class="pill status">${this.ctx.statusName(relation.task.status)}</span>
          ${editable ? html`<button type="button" class="btn ghost icon" aria-label=${t('removeRelation', { task: relation.task.identifier })} title=${t('removeRelation', { task: relation.task.identifier })}
            @click=${() => void this.run(() => client.tasks.relations.remove(this.ctx.task()!.id, relation.id))}>×</button>` : nothing}</span>
        </li>`)}</ul>
      </div>`);
  }
}
