import { BreakpointObserver } from '@angular/cdk/layout';
import { DecimalPipe } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatStepper, MatStepperModule } from '@angular/material/stepper';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { map } from 'rxjs';
import type { CustomField } from '@taskbase/sdk';
import { CatalogApi } from '../../core/catalog';
import { DataJobs, isFinished, type ImportJob, type ImportSource } from '../../core/data-jobs';
import { errorMessage } from '../../core/error-message';
import { ProjectStore } from '../../core/projects';
import { JobProgress } from '../../shared/job-progress';
import { ColumnMapping } from './column-mapping';
import { ImportErrors } from './import-errors';
import { describeCounts, ImportWizardState, initialMapping, SOURCES } from './import-wizard';

/**
 * The import wizard (`/admin/import`): a file and its source, the CSV's
 * column mapping (the server's suggestion first), a dry run that lists the
 * bad rows by line and field, then the run with its live progress, which can
 * be cancelled, and what it did.
 */
@Component({
  selector: 'tb-shell-import-page',
  imports: [
    MatStepperModule, MatButtonModule, MatIconModule, MatFormFieldModule, MatSelectModule, MatRadioModule, MatProgressBarModule,
    RouterLink, DecimalPipe, ColumnMapping, ImportErrors, JobProgress,
  ],
  templateUrl: './import-page.html',
  styleUrl: './import-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportPage {
  private readonly jobs = inject(DataJobs);
  private readonly catalog = inject(CatalogApi);
  protected readonly projects = inject(ProjectStore);
  protected readonly state = new ImportWizardState();
  protected readonly sources = SOURCES;
  protected readonly describeCounts = describeCounts;
  protected readonly isFinished = isFinished;
  private readonly stepper = viewChild.required(MatStepper);
  private readonly injector = inject(Injector);

  protected readonly fields = signal<CustomField[]>([]);
  /** A request of the current step is on its way (preview, starting a job, cancelling). */
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly dragging = signal(false);
  private readonly project = computed(() => this.projects.projects().find((project) => project.id === this.state.projectId()) ?? null);
  protected readonly projectName = computed(() => this.project()?.name ?? null);
  protected readonly tasksLink = computed(() => {
    const key = this.project()?.key;
    return key ? ['/p', key, 'list'] : ['/projects'];
  });
  /** On a phone the steps stack, each label beside its content. */
  protected readonly orientation = toSignal(inject(BreakpointObserver).observe('(max-width: 700px)').pipe(map((state) => (state.matches ? 'vertical' : 'horizontal'))), {
    initialValue: 'horizontal' as const,
  });
  private stopWatching: (() => void) | undefined;

  constructor() {
    void this.projects.load().then(
      () => this.state.projectId.set(this.projects.current()?.id ?? this.projects.projects()[0]?.id ?? null),
      () => undefined,
    );
    void this.catalog.fields().then((fields) => this.fields.set(fields), () => undefined);
    inject(DestroyRef).onDestroy(() => this.stopWatching?.());
  }

  /** What the dry run found: "Checked 3 rows; 1 has an error. Would create 2 tasks." */
  protected checkedText(job: ImportJob): string {
    const result = job.result;
    const noun = this.state.isCsv() ? ['row', 'rows'] : ['record', 'records'];
    const done = job.progress.done;
    const parts = [`Checked ${done.toLocaleString('en')} ${noun[done === 1 ? 0 : 1]}`];
    if (result?.errorCount) parts[0] += `; ${result.errorCount.toLocaleString('en')} ${result.errorCount === 1 ? 'has an error' : 'have errors'}`;
    const created = describeCounts(result?.created);
    const updated = describeCounts(result?.updated);
    if (created || updated) parts.push(`Would ${[created && `create ${created}`, updated && `update ${updated}`].filter(Boolean).join(' and ')}`);
    return `${parts.join('. ')}.`;
  }

  protected chooseSource(source: ImportSource): void {
    this.state.source.set(source);
    // A CSV's tasks need a project: back to the current one if "as in the file" was chosen.
    if (this.state.sourceInfo().needsProject && this.state.projectId() === null) this.state.projectId.set(this.projects.current()?.id ?? null);
    const file = this.state.file();
    // A file that cannot be of this source is let go.
    if (file && !this.accepts(file)) this.state.file.set(null);
    this.state.resetChecks();
    this.failure.set(null);
  }

  protected picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.files?.[0]) this.takeFile(input.files[0]);
    input.value = '';
  }

  protected dropped(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files[0];
    if (file) this.takeFile(file);
  }

  private takeFile(file: File): void {
    this.failure.set(null);
    if (!this.accepts(file)) {
      this.failure.set(`“${file.name}” is not a ${this.state.sourceInfo().label} (${this.state.sourceInfo().accept.split(',')[0]}).`);
      return;
    }
    this.state.file.set(file);
    this.state.resetChecks();
  }

  private accepts(file: File): boolean {
    const extensions = this.state.sourceInfo().accept.split(',').filter((type) => type.startsWith('.'));
    return extensions.some((extension) => file.name.toLowerCase().endsWith(extension));
  }

  /** From the file step: a CSV's columns are read for the mapping; any other source goes to the check. */
  protected async continueFromFile(): Promise<void> {
    const file = this.state.file();
    if (!file || !this.state.fileReady()) return;
    if (!this.state.isCsv()) return this.check();
    if (this.state.preview()) return this.advance();
    await this.attempt(async () => {
      const preview = await this.jobs.preview(file, 'csv');
      this.state.preview.set(preview);
      this.state.mapping.set(initialMapping(preview));
      this.advance();
    });
  }

  /** A dry run: every row read and checked, nothing written. */
  protected async check(): Promise<void> {
    const file = this.state.file();
    if (!file) return;
    this.state.dryRun.set(null);
    await this.attempt(async () => {
      const job = await this.jobs.startImport(file, { ...this.options(), dryRun: true });
      this.follow(job, (next) => this.state.dryRun.set(next));
      this.advance();
    });
  }

  protected async startRun(): Promise<void> {
    const file = this.state.file();
    if (!file || !this.state.canRun()) return;
    await this.attempt(async () => {
      const job = await this.jobs.startImport(file, { ...this.options(), dryRun: false, onError: this.state.onError() });
      this.follow(job, (next) => this.state.run.set(next));
      this.advance();
    });
  }

  protected async cancel(job: ImportJob): Promise<void> {
    await this.attempt(async () => {
      const cancelled = await this.jobs.cancelImport(job.id);
      // A read of the watcher may have ended it first: the answer does not undo that.
      const target = this.state.run()?.id === job.id ? this.state.run : this.state.dryRun;
      const current = target();
      if (!current || !isFinished(current)) target.set(cancelled);
    });
  }

  /** Back to the first step with nothing chosen but the source. */
  protected startOver(): void {
    this.stopWatching?.();
    this.state.file.set(null);
    this.state.resetChecks();
    this.failure.set(null);
    this.stepper().reset();
  }

  private options() {
    const projectId = this.state.projectId();
    return {
      source: this.state.source(),
      ...(projectId !== null ? { projectId } : {}),
      ...(this.state.isCsv() ? { mapping: this.state.mapping() } : {}),
    };
  }

  private follow(job: ImportJob, set: (job: ImportJob) => void): void {
    this.stopWatching?.();
    set(job);
    this.stopWatching = this.jobs.watch(job, set);
  }

  /** The stepper moves once the step's state (read by `[completed]`) has been rendered. */
  private advance(): void {
    afterNextRender(() => this.stepper().next(), { injector: this.injector });
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.failure.set(null);
    try {
      await action();
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.busy.set(false);
    }
  }
}
