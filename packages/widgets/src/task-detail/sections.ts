import { AttachmentsSection } from './attachments.js';
import type { DetailContext } from './context.js';
import { CustomFieldsSection } from './custom-fields.js';
import { LabelsSection } from './labels.js';
import { ParentSection } from './parent.js';
import { RelationsSection } from './relations.js';
import type { ScheduleSection } from './schedule.js';
import { SubtasksSection } from './subtasks.js';
import { WatchersSection } from './watchers.js';

/** The detail's sections about the task's structure, loaded together with the task. */
export class Sections {
  readonly labels: LabelsSection;
  readonly parent: ParentSection;
  readonly subtasks: SubtasksSection;
  readonly relations: RelationsSection;
  readonly fields: CustomFieldsSection;
  readonly watchers: WatchersSection;
  readonly attachments: AttachmentsSection;
  /** Repeat rule and reminders (issue 19): its module loads with the first task, off the element's first load. */
  schedule?: ScheduleSection;

  constructor(private readonly ctx: DetailContext) {
    this.labels = new LabelsSection(ctx);
    this.parent = new ParentSection(ctx);
    this.subtasks = new SubtasksSection(ctx);
    this.relations = new RelationsSection(ctx);
    this.fields = new CustomFieldsSection(ctx);
    this.watchers = new WatchersSection(ctx);
    this.attachments = new AttachmentsSection(ctx);
  }

  /** Reads every section's data for the task on screen; one that fails says so in its place. */
  async load(signal: AbortSignal): Promise<void> {
    this.labels.forget();
    await Promise.all([this.labels.load(), this.parent.load(signal), this.subtasks.load(signal), this.relations.load(signal), this.fields.load(signal), this.watchers.load(signal), this.attachments.load(signal), this.loadSchedule(signal)]);
    this.parent.children = this.subtasks.ids;
  }

  private async loadSchedule(signal: AbortSignal): Promise<void> {
    this.schedule ??= new (await import('./schedule.js')).ScheduleSection(this.ctx);
    await this.schedule.load(signal);
  }

  /** The other tasks on screen (parent, subtasks, linked tasks), whose changes this one shows. */
  related(): number[] {
    const task = this.parent.parentId;
    return [...new Set([...(task ? [task] : []), ...this.subtasks.ids, ...this.relations.taskIds])].sort((a, b) => a - b);
  }

  /** Another task: forget what was typed or refused. */
  reset(): void {
    this.labels.reset();
    this.fields.reset();
  }

  /** Names for the activity's wording: labels, custom fields, and the identifiers of the parent and linked tasks. */
  readonly lookups = {
    label: (id: number) => this.labels.names.get(id),
    field: (key: string) => this.fields.field(key),
    task: (id: number) => this.relations.identifierOf(id) ?? this.parent.identifierOf(id) ?? this.subtasks.identifierOf(id),
  };
}
