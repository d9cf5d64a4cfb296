import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import { ConflictError, type Activity, type Project, type RealtimeMessage, type RealtimeTopic, type Task, type UpdateTaskInput, type User } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { ariaLevel } from '../shared/heading.js';
import { baseStyles } from '../shared/styles.js';
import { PRIORITIES, isOverdue, usersOf } from '../shared/format.js';
import { DEFAULT_WORKFLOW, projectsOf, statusLabel } from '../shared/workflow.js';
import { detailStyles } from './task-detail.styles.js';
import { renderActivity } from './activity.js';
import { renderDeleteButton, renderDeleteConfirm, type DeleteStage } from './delete-task.js';
import { updateTask, type DetailContext } from './context.js';
import { renderConflict, type Field } from './conflict.js';
import { Sections } from './sections.js';
import { structureStyles } from './structure.styles.js';
import { markdown, taskRefClick } from '../shared/markdown.js';
import { MarkdownEditor } from '../shared/markdown-editor.js';
import { markdownStyles } from '../shared/markdown.styles.js';
import type {} from '../events/events.js';

type Draft = Partial<Pick<Task, Field>>;

/** `YYYY-MM-DD` of an ISO instant in local time, for `<input type=date>`. */
const toDateInput = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * @summary One task, edited in place (title, description, status, priority, assignee, due date, labels, parent, custom fields), with its subtasks, linked tasks, watchers and activity.
 * Saves send the version being edited (If-Match); a 412 shows the server's values and lets the user reload theirs or overwrite with mine; nothing is overwritten silently.
 * @tag tb-task-detail
 * @event {CustomEvent<TaskChangeDetail>} tb-task-change - A field was saved, a subtask was added, completed or reordered (`task` is the subtask), or the task was deleted (`action: 'delete'`, after the user confirmed).
 * @event {CustomEvent<TaskOpenDetail>} tb-task-open - The parent, a subtask or a linked task was clicked; cancelable: preventDefault keeps this task shown (otherwise the detail shows that one).
 * @event {CustomEvent<TaskConflictDetail>} tb-task-conflict - A save was refused because someone else changed the task.
 * @slot fields - Replaces the built-in status, priority, assignee and due-date fields, e.g. with a design system's own selects (the host then saves them).
 * @csspart title - The title input.
 * @csspart field - Each field's input.
 * @csspart conflict - The conflict panel.
 * @csspart delete-button - The "Delete" button (shown to callers allowed to delete).
 * @csspart delete-confirm - The delete confirmation.
 * @csspart activity - The activity list.
 * @csspart labels - The labels row.
 * @csspart label - One label chip.
 * @csspart label-remove - A label chip's remove button.
 * @csspart parent - The parent task row.
 * @csspart task-link - A link to another task (parent, subtask, linked task).
 * @csspart subtasks - The subtasks section.
 * @csspart relations - The linked tasks section.
 * @csspart custom-fields - The custom fields section.
 * @csspart watchers - The watchers row.
 * @csspart schedule - The repeat rule and reminders section.
 * @csspart listbox - A search's list of choices (labels, tasks).
 * @csspart connection - The "reconnecting" badge.
 * @cssproperty --tb-color-danger - Conflict and overdue colour.
 */
export class TbTaskDetail extends TbElement {
  static override styles = [baseStyles, detailStyles, structureStyles, markdownStyles];

  /** Level of the element's headings ("Activity" and the edit-conflict notice), so they continue the host page's outline: 2 below the page's `h1`, 3 inside a section with an `h2`. Rendered as `role="heading"` with this `aria-level`. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;

  /** The task to show. */
  @property({ type: Number, attribute: 'task-id' }) taskId?: number;

  @state() private server?: Task;
  @state() private draft: Draft = {};
  @state() private conflict?: { theirs: Task; mine: Draft };
  @state() private saving = false;
  @state() private savedAt = 0;
  @state() private deleteStage: DeleteStage = 'idle';
  private base = 0;
  private users = new Map<number, User>();
  private activity: Activity[] = [];
  /** The projects in view: the task's gives the status choices and labels. */
  private projects: Project[] = [];

  private readonly ctx: DetailContext = {
    client: () => this.client,
    task: () => this.server,
    project: () => this.project,
    users: () => this.users,
    t: (key, vars) => this.t(key, vars),
    statusName: (key) => this.statusName(key),
    day: (iso) => this.formatDate(iso),
    patch: (input, rebuild) => this.patch(input, rebuild),
    reload: () => this.scheduleRefresh(),
    open: (taskId) => {
      if (this.emit('tb-task-open', { taskId }, true)) this.taskId = taskId;
    },
    changed: (task, action, changes) => this.emit('tb-task-change', { task, action, changes }),
    failed: (error, action) => this.emit('tb-error', { error, action }),
    requestUpdate: () => this.requestUpdate(),
    focus: (selector) => void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus()),
    headingLevel: () => ariaLevel(this.headingLevel),
    canUpdate: () => !!this.server?.can.includes('update'),
    locale: () => this.activeLocale,
  };
  private readonly sections = new Sections(this.ctx);
  private readonly editor = new MarkdownEditor({
    client: () => this.client,
    taskId: () => this.server?.id,
    t: (key, vars) => this.t(key, vars),
    requestUpdate: () => this.requestUpdate(),
    failed: (error) => this.emit('tb-error', { error, action: 'upload' }),
  });

  /** A task reference clicked in the description: opened like a linked task (`tb-task-open`, with its identifier). */
  private readonly onMarkdownClick = taskRefClick(async (identifier) => {
    try {
      const task = await this.client!.tasks.get(identifier);
      if (this.emit('tb-task-open', { taskId: task.id, task, identifier }, true)) this.taskId = task.id;
    } catch (error) {
      this.emit('tb-error', { error, action: 'open' });
    }
  });

  private data = new DataTask(this, {
    task: async ([client, id], { signal }) => {
      if (!client || !id) return undefined;
      const [task, activity, users, projects] = await Promise.all([
        client.tasks.get(id, { signal }),
        client.tasks.activity(id, { limit: 100 }, { signal }),
        usersOf(client),
        projectsOf(client).catch(() => [] as Project[]),
      ]);
      this.users = users;
      this.projects = projects;
      // The task's project may be newer than the cached list, or its workflow changed: read it then.
      const known = projects.find((p) => p.id === task.projectId);
      if (!known || !known.statuses.some((s) => s.key === task.status)) {
        const fresh = await client.projects.get(task.projectId, { signal }).catch(() => undefined);
        if (fresh) this.projects = [...projects.filter((p) => p.id !== fresh.id), fresh];
      }
      this.server = task;
      if (!Object.keys(this.draft).length) this.base = task.version;
      await this.sections.load(signal);
      const related = this.sections.related();
      if (related.join() !== this.related.join() || task.projectId !== this.projectId) {
        this.projectId = task.projectId;
        this.related = related;
        this.resubscribe();
      }
      this.activity = activity.data;
      return task;
    },
    args: () => [this.client, this.taskId] as const,
  });

  /** The other tasks listened to: a subtask completed or a blocking task renamed elsewhere shows here too. */
  private related: number[] = [];

  /** The task's project: its topic carries the attachment.* events (they are not on the task's own topic). */
  private projectId?: number;

  protected override topics(): RealtimeTopic[] {
    if (!this.taskId) return [];
    const tasks = [this.taskId, ...this.related].map((id) => `task:${id}` as const);
    return this.projectId ? [...tasks, `project:${this.projectId}`] : tasks;
  }

  /** Of the project's events, only this task's attachments matter here: that list alone is reloaded. */
  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type !== 'event') return;
    if (message.event.startsWith('attachment.')) {
      if (message.taskId === this.taskId) void this.sections.attachments.reload();
    } else if (!message.topic.startsWith('project:')) super.onRealtime(message);
  }

  protected override refresh(): void {
    void this.data.run();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('taskId')) {
      this.draft = {};
      this.deleteStage = 'idle';
      this.conflict = undefined;
      this.sections.reset();
      this.related = [];
      this.projectId = undefined;
      this.resubscribe();
    }
  }

  private value<K extends Field>(field: K): Task[K] {
    return (field in this.draft ? this.draft[field] : this.server![field]) as Task[K];
  }

  private edit(field: Field, value: unknown): void {
    if (!Object.keys(this.draft).length) this.base = this.server!.version;
    this.draft = { ...this.draft, [field]: value };
  }

  private async save(): Promise<void> {
    const patch = { ...this.draft } as UpdateTaskInput;
    if (!Object.keys(patch).length || !this.client || !this.server || this.saving) return;
    this.saving = true;
    try {
      const task = await this.client.tasks.update(this.server.id, patch, { ifMatch: this.base });
      this.server = task;
      this.base = task.version;
      this.draft = {};
      this.conflict = undefined;
      this.savedAt = Date.now();
      this.emit('tb-task-change', { task, action: 'update', changes: patch as Partial<Task> });
      this.scheduleRefresh();
    } catch (error) {
      const current = error instanceof ConflictError ? (error.problem as { current?: Task } | undefined)?.current : undefined;
      if (current) {
        this.conflict = { theirs: current, mine: this.draft };
        this.emit('tb-task-conflict', { taskId: current.id, mine: this.draft, theirs: current });
      } else {
        this.emit('tb-error', { error, action: 'update' });
        this.conflict = undefined;
        this.errorMessage = (error as Error).message;
      }
    } finally {
      this.saving = false;
    }
  }

  @state() private errorMessage = '';

  /** A section's change of the task (labels, parent, custom fields); see {@link DetailContext.patch}. */
  private async patch(input: UpdateTaskInput, rebuild?: (task: Task) => UpdateTaskInput): Promise<Task> {
    const before = this.server!;
    const { saved, sent } = await updateTask(this.client!, before, input, rebuild);
    // An edit in progress started from the version this change replaced: it stays based on ours.
    if (!Object.keys(this.draft).length || this.base === before.version) this.base = saved.version;
    this.server = saved;
    this.emit('tb-task-change', { task: saved, action: 'update', changes: sent as Partial<Task> });
    this.scheduleRefresh();
    return saved;
  }

  private reloadTheirs(): void {
    this.server = this.conflict!.theirs;
    this.base = this.server.version;
    this.draft = {};
    this.conflict = undefined;
    this.scheduleRefresh();
  }

  private overwriteMine(): void {
    this.base = this.conflict!.theirs.version;
    this.draft = { ...this.conflict!.mine };
    void this.save();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Focus starts on the safe choice of the confirmation, so Enter does not delete by reflex.
    if (changed.has('deleteStage' as keyof TbTaskDetail) && this.deleteStage === 'confirming') {
      this.renderRoot.querySelector<HTMLButtonElement>('.confirm-delete .cancel')?.focus();
    }
  }

  private async deleteTask(): Promise<void> {
    const task = this.server;
    if (!this.client || !task) return;
    this.deleteStage = 'deleting';
    try {
      // The version on screen: a task changed meanwhile answers 412 rather than vanishing unseen.
      // Its subtasks go with it: the confirmation said how many.
      await this.client.tasks.remove(task.id, { ifMatch: task.version, cascade: task.subtasks.total > 0 });
      this.deleteStage = 'deleted';
      this.emit('tb-task-change', { task, action: 'delete' });
    } catch (error) {
      this.deleteStage = 'idle';
      this.emit('tb-error', { error, action: 'delete' });
      this.errorMessage = (error as Error).message;
      this.scheduleRefresh();
    }
  }

  /** A title is one line of text that wraps on screen: Enter saves instead of breaking the line. */
  private onTitleKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void this.save();
  };

  /** Leaving the description saves it: a `change` does not follow edits made only by the toolbar (script, not typing). */
  private onDescriptionBlur = (): void => {
    if ('description' in this.draft && !this.conflict) void this.save();
  };

  /** Leaving the title saves it, except while a conflict waits for the user's choice (its buttons take the focus). */
  private onTitleBlur = (): void => {
    if (!this.conflict) void this.save();
  };

  protected override render() {
    if (this.deleteStage === 'deleted') return html`<p class="state" part="state" role="status">${this.t('taskDeleted')}</p>`;
    return this.renderData(this.data, () => this.renderTask());
  }

  private display(field: Field, task: Pick<Task, Field>): string {
    const value = task[field];
    if (field === 'status') return this.statusName(String(value));
    if (field === 'priority') return this.t(`priority.${value as Task['priority']}`);
    if (field === 'assignedTo') return value === null ? this.t('unassigned') : (this.users.get(value as number)?.name ?? `#${value}`);
    if (field === 'dueDate') return value ? this.formatDate(value as string) : this.t('noDueDate');
    return String(value ?? '');
  }

  /** The task's project (its workflow gives the statuses). */
  private get project(): Project | undefined {
    return this.projects.find((p) => p.id === this.server?.projectId);
  }

  private statusName(key: string): string {
    return statusLabel(key, this.t.bind(this), this.project?.statuses);
  }

  private renderTask() {
    const task = this.server!;
    const input = (field: Field, map: (v: string) => unknown = (v) => v) => (e: Event) => this.edit(field, map((e.target as HTMLInputElement).value));
    const commit = () => void this.save();
    const select = (field: Field, map: (v: string) => unknown = (v) => v) => (e: Event) => {
      input(field, map)(e);
      commit();
    };
    const due = this.value('dueDate');
    const deletion = {
      t: this.t.bind(this), title: task.title, subtasks: task.subtasks.total, stage: this.deleteStage,
      ask: () => (this.deleteStage = 'confirming'), confirm: () => void this.deleteTask(), cancel: () => (this.deleteStage = 'idle'),
    };
    const busy = this.saving ? this.t('saving') : this.savedAt && !Object.keys(this.draft).length ? this.t('saved') : '';
    return html`
      ${this.conflict ? renderConflict({ t: this.t.bind(this), ...this.conflict, headingLevel: ariaLevel(this.headingLevel), display: (f, task) => this.display(f, task), reloadTheirs: () => this.reloadTheirs(), overwriteMine: () => this.overwriteMine() }) : nothing}
      ${this.errorMessage && !this.conflict ? html`<p class="state error" role="alert">${this.t('error', { message: this.errorMessage })}</p>` : nothing}
      <div class="head">
        <textarea class="field title" part="title" rows="1" aria-label=${this.t('title')} .value=${this.value('title')} ?disabled=${!task.can.includes('update')}
          @input=${input('title')} @blur=${this.onTitleBlur} @keydown=${this.onTitleKey}></textarea>
        ${this.renderConnection()}
        <span class="status-line" role="status">${busy}</span>
        ${this.sections.watchers.renderToggle()}
        ${task.can.includes('delete') ? renderDeleteButton(deletion) : nothing}
      </div>
      ${task.blockedBy ? html`<p class="blocked" part="blocked">${this.t(task.blockedBy === 1 ? 'blockedByOne' : 'blockedByMany', { count: task.blockedBy })}</p>` : nothing}
      ${renderDeleteConfirm(deletion)}
      <slot name="fields"><div class="grid">
        <label>${this.t('status')}
          <select class="field" part="field" name="status" .value=${this.value('status')} @change=${select('status')} ?disabled=${!task.can.includes('update')}>
            ${(this.project?.statuses ?? DEFAULT_WORKFLOW).map(({ key }) => html`<option value=${key} ?selected=${this.value('status') === key}>${this.statusName(key)}</option>`)}
          </select></label>
        <label>${this.t('priority')}
          <select class="field" part="field" name="priority" .value=${this.value('priority')} @change=${select('priority')} ?disabled=${!task.can.includes('update')}>
            ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${this.value('priority') === p}>${this.t(`priority.${p}`)}</option>`)}
          </select></label>
        <label>${this.t('assignee')}
          <select class="field" part="field" name="assignedTo" @change=${select('assignedTo', (v) => (v ? Number(v) : null))} ?disabled=${!task.can.includes('assign')}>
            <option value="" ?selected=${this.value('assignedTo') === null}>${this.t('unassigned')}</option>
            ${[...this.users.values()].map((u) => html`<option value=${String(u.id)} ?selected=${this.value('assignedTo') === u.id}>${u.name}</option>`)}
          </select></label>
        <label>${this.t('dueDate')} ${due && isOverdue({ dueDate: due, status: this.value('status'), statusCategory: this.project?.statuses.find((s) => s.key === this.value('status'))?.category ?? task.statusCategory }) ? html`<span class="overdue-note">· ${this.t('overdue')}</span>` : nothing}
          <input class="field" part="field" name="dueDate" type="date" .value=${toDateInput(due)} ?disabled=${!task.can.includes('update')}
            @change=${select('dueDate', (v) => (v ? new Date(`${v}T23:59:59`).toISOString() : null))} /></label>
      </div></slot>
      <div class="rows">${this.sections.labels.render()}${this.sections.parent.render()}${this.sections.watchers.render()}</div>
      ${this.sections.fields.render()}
      <div class="md-field">
        <label for="description">${this.t('description')}</label>
        ${task.descriptionHtml ? markdown(task.descriptionHtml, this.sections.attachments.urls, this.onMarkdownClick, () => this.sections.attachments.reload()) : nothing}
        ${task.can.includes('update') ? this.editor.toolbar(() => this.renderRoot.querySelector<HTMLTextAreaElement>('#description')) : nothing}
        <textarea id="description" class="field" part="field" name="description" placeholder=${this.t('descriptionPlaceholder')} .value=${this.value('description')}
          ?disabled=${!task.can.includes('update')} @input=${input('description')} @change=${commit} @blur=${this.onDescriptionBlur}
          @keydown=${this.editor.keydown} @paste=${this.editor.paste} @drop=${this.editor.drop} @dragover=${this.editor.dragover}></textarea>
        ${this.editor.status()}
      </div>
      ${this.sections.attachments.render()}
      ${this.sections.subtasks.render()}
      ${this.sections.relations.render()}${this.sections.schedule?.render()}
      <div class="section" role="heading" aria-level=${ariaLevel(this.headingLevel)}>${this.t('activity')}</div>
      ${renderActivity(this.activity, { t: this.t.bind(this), users: this.users, status: (key) => this.statusName(key), project: (id) => this.projects.find((p) => p.id === id)?.name, date: (iso) => this.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' }), day: (iso) => this.formatDate(iso), ...this.sections.lookups, list: (items) => new Intl.ListFormat(this.activeLocale, { type: 'conjunction' }).format(items) })}
    `;
  }
}
