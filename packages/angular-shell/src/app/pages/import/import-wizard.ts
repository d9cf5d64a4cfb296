import { computed, signal } from '@angular/core';
import type { EntityCounts, ImportJob, ImportPreview, ImportSource } from '../../core/data-jobs';

export interface SourceInfo {
  value: ImportSource;
  label: string;
  hint: string;
  accept: string;
  /** Whether the file's tasks need a project chosen here (a CSV names none). */
  needsProject: boolean;
}

export const SOURCES: SourceInfo[] = [
  { value: 'csv', label: 'CSV file', hint: 'One task per row; you map its columns next.', accept: '.csv,text/csv', needsProject: true },
  { value: 'taskbase', label: 'Taskbase export', hint: 'A .zip made by Export (JSON) here or on another server.', accept: '.zip,application/zip', needsProject: false },
  { value: 'trello', label: 'Trello board', hint: 'The JSON of Menu → Print, export and share → Export as JSON.', accept: '.json,application/json', needsProject: false },
  { value: 'asana', label: 'Asana CSV', hint: 'The CSV of a project’s “Export/Print → CSV”.', accept: '.csv,text/csv', needsProject: false },
];

const NOUNS: Record<keyof EntityCounts, [string, string]> = {
  tasks: ['task', 'tasks'],
  comments: ['comment', 'comments'],
  projects: ['project', 'projects'],
  labels: ['label', 'labels'],
  fields: ['custom field', 'custom fields'],
  users: ['person', 'people'],
  relations: ['relation', 'relations'],
  attachments: ['attachment', 'attachments'],
};

/** "12 tasks, 3 labels and 1 person" (the non-zero counts), or null when all are zero. */
export function describeCounts(counts: Partial<EntityCounts> | undefined): string | null {
  const parts = (Object.keys(NOUNS) as (keyof EntityCounts)[])
    .filter((key) => (counts?.[key] ?? 0) > 0)
    .map((key) => `${counts![key]!.toLocaleString('en')} ${NOUNS[key][counts![key] === 1 ? 0 : 1]}`);
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The server's suggested mapping over every column (a column it did not place is left out of the import). */
export function initialMapping(preview: ImportPreview): Record<string, string> {
  return Object.fromEntries(preview.columns.map((column) => [column, preview.suggested[column] ?? 'ignore']));
}

/** The wizard's state: what was chosen, and the dry run and the run as they go. */
export class ImportWizardState {
  readonly source = signal<ImportSource>('csv');
  readonly file = signal<File | null>(null);
  readonly projectId = signal<number | null>(null);
  readonly preview = signal<ImportPreview | null>(null);
  readonly mapping = signal<Record<string, string>>({});
  readonly dryRun = signal<ImportJob | null>(null);
  readonly run = signal<ImportJob | null>(null);
  readonly onError = signal<'stop' | 'skip'>('stop');

  readonly sourceInfo = computed(() => SOURCES.find((source) => source.value === this.source())!);
  readonly isCsv = computed(() => this.source() === 'csv');
  readonly mapped = computed(() => Object.values(this.mapping()).includes('title'));
  readonly fileReady = computed(() => !!this.file() && (!this.sourceInfo().needsProject || this.projectId() !== null));
  readonly checked = computed(() => this.dryRun()?.status === 'succeeded');
  readonly errorCount = computed(() => this.dryRun()?.result?.errorCount ?? 0);
  /** A run with bad rows either skips them (asked for) or writes nothing: it is offered only when it can import. */
  readonly canRun = computed(() => this.checked() && (this.errorCount() === 0 || this.onError() === 'skip'));

  /** A new file or source: what was learnt from the last one no longer holds. */
  resetChecks(): void {
    this.preview.set(null);
    this.mapping.set({});
    this.dryRun.set(null);
    this.run.set(null);
    this.onError.set('stop');
  }
}
