import { html, nothing } from 'lit';
import type { Label, TaskLabel } from '@taskbase/sdk';
import { Combobox } from './combobox.js';
import { messageOf, type DetailContext } from './context.js';

/** A label colour for a style attribute (anything but a hex colour is ignored). */
export const swatch = (color: string) => `--chip:${/^#[0-9a-f]{3,8}$/i.test(color) ? color : 'currentColor'}`;

/** A label's colour dot (the name keeps the text colour, so any label colour reads). */
export const labelChip = (label: Pick<TaskLabel, 'name' | 'color'>, remove?: { text: string; run: () => void }) =>
  html`<li class="chip" part="label" style=${swatch(label.color)}>
    <span class="chip-name">${label.name}</span>
    ${remove ? html`<button class="chip-remove" part="label-remove" type="button" aria-label=${remove.text} title=${remove.text}
      @click=${remove.run} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Backspace' || e.key === 'Delete') { e.preventDefault(); remove.run(); } }}>×</button>` : nothing}
  </li>`;

/** The task's labels as chips, removable, and a picker of the labels its project may carry. */
export class LabelsSection {
  private labels?: Promise<Label[]>;
  private error = '';
  private readonly picker = new Combobox<Label>({
    search: async (query) => {
      const words = query.toLowerCase();
      const have = new Set(this.ctx.task()?.labels.map((l) => l.id));
      return (await this.workspaceLabels()).filter((l) => !have.has(l.id) && l.name.toLowerCase().includes(words));
    },
    key: (label) => label.id,
    choose: (label) => this.change((ids) => [...ids, label.id]),
    update: () => this.ctx.requestUpdate(),
    backspace: () => {
      const last = this.ctx.task()?.labels.at(-1);
      if (last) void this.change((ids) => ids.filter((id) => id !== last.id));
    },
  });

  /** Names of the labels seen (the task's and the workspace's), by id: the activity names removed ones too. */
  readonly names = new Map<number, string>();

  constructor(private readonly ctx: DetailContext) {}

  /** Reads the labels the picker offers (and their names, for the activity). */
  async load(): Promise<void> {
    for (const label of this.ctx.task()?.labels ?? []) this.names.set(label.id, label.name);
    for (const label of await this.workspaceLabels().catch(() => [] as Label[])) this.names.set(label.id, label.name);
  }

  /** Forgets the label list, to read it again (a label may have changed); what is being typed stays. */
  forget(): void {
    this.labels = undefined;
  }

  /** Another task: forgets the list, the search and any refusal. */
  reset(): void {
    this.forget();
    this.error = '';
    this.picker.reset();
  }

  /** The labels a task of this project may carry, read once when the picker is first used. */
  private workspaceLabels(): Promise<Label[]> {
    const client = this.ctx.client();
    const task = this.ctx.task();
    if (!client || !task) return Promise.resolve([]);
    this.labels ??= client.labels.list({ project: String(task.projectId) }).then((page) => page.data);
    this.labels.catch(() => (this.labels = undefined));
    return this.labels;
  }

  /** Saves the label list made from the current one (made again from theirs if the task changed meanwhile). */
  private async change(next: (ids: number[]) => number[]): Promise<void> {
    const ids = (task: { labels: TaskLabel[] }) => next(task.labels.map((l) => l.id));
    this.error = '';
    try {
      await this.ctx.patch({ labelIds: ids(this.ctx.task()!) }, (task) => ({ labelIds: ids(task) }));
    } catch (error) {
      this.error = messageOf(error);
      this.ctx.failed(error, 'update');
    }
    this.ctx.requestUpdate();
  }

  render() {
    const { t } = this.ctx;
    const task = this.ctx.task()!;
    const editable = this.ctx.canUpdate();
    return html`<div class="row" part="labels">
      <span class="row-label" id="labels-label">${t('labels')}</span>
      <div class="row-value">
        <ul class="chips" aria-labelledby="labels-label">
          ${task.labels.map((label) => labelChip(label, editable ? { text: t('removeLabel', { name: label.name }), run: () => void this.change((ids) => ids.filter((id) => id !== label.id)) } : undefined))}
          ${!task.labels.length && !editable ? html`<li class="muted">${t('noLabels')}</li>` : nothing}
        </ul>
        ${editable ? this.picker.render({
          label: t('addLabel'), placeholder: `${t('addLabel')}…`, none: t('labelNone'),
          item: (label) => html`<span class="dot" style=${swatch(label.color)}></span>${label.name}`,
        }) : nothing}
        ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
      </div>
    </div>`;
  }
}
