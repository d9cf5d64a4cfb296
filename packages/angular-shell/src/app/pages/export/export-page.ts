import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { DataJobs, isFinished, type ExportJob } from '../../core/data-jobs';
import { errorMessage } from '../../core/error-message';
import { Notifier } from '../../core/notifier';
import { ProjectStore } from '../../core/projects';
import { UserSession } from '../../core/user-session';
import { JobProgress } from '../../shared/job-progress';

/**
 * Exports (`/export`): a CSV of tasks or a JSON archive of everything, of one
 * project or of all you see; the running export's progress, its download link
 * once done, and the recent exports with theirs (while they last).
 */
@Component({
  selector: 'tb-shell-export-page',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatProgressBarModule, MatSelectModule, DatePipe, JobProgress],
  templateUrl: './export-page.html',
  styleUrl: './export-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportPage {
  private readonly jobs = inject(DataJobs);
  private readonly notifier = inject(Notifier);
  protected readonly session = inject(UserSession);
  protected readonly projects = inject(ProjectStore);
  protected readonly isFinished = isFinished;

  protected readonly formats = [
    { value: 'csv', label: 'CSV', icon: 'table_view', hint: 'One row per task, custom fields as columns. Opens in any spreadsheet.' },
    { value: 'json', label: 'JSON archive', icon: 'folder_zip', hint: 'Projects, workflows, labels, fields, tasks, comments, relations and files, as a .zip.' },
  ] as const;
  protected readonly format = signal<'csv' | 'json'>('csv');
  protected readonly projectId = signal<number | null>(null);
  protected readonly recent = signal<ExportJob[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadFailure = signal<string | null>(null);
  protected readonly starting = signal(false);
  /** The export started here, followed until it ends. */
  protected readonly current = signal<ExportJob | null>(null);
  protected readonly scopeText = computed(() => {
    const project = this.projects.projects().find((item) => item.id === this.projectId());
    if (project) return `the tasks of ${project.name}`;
    return this.session.isAdmin() ? 'the whole workspace' : 'every task you can see';
  });
  private stopWatching: (() => void) | undefined;

  constructor() {
    void this.projects.load().catch(() => undefined);
    void this.load();
    inject(DestroyRef).onDestroy(() => this.stopWatching?.());
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadFailure.set(null);
    try {
      this.recent.set(await this.jobs.recentExports(10));
    } catch (error) {
      this.loadFailure.set(errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected async start(): Promise<void> {
    this.starting.set(true);
    try {
      const projectId = this.projectId();
      const job = await this.jobs.startExport({ format: this.format(), ...(projectId !== null ? { projectId } : {}) });
      this.current.set(job);
      this.show(job);
      this.stopWatching?.();
      this.stopWatching = this.jobs.watch(job, (next) => {
        this.current.set(next);
        this.show(next);
      });
    } catch (error) {
      this.notifier.fail(error, 'Could not start the export');
    } finally {
      this.starting.set(false);
    }
  }

  /** A fresh download link for an export whose link has expired (the archive itself is kept until `expiresAt`). */
  protected async refreshLink(job: ExportJob): Promise<void> {
    try {
      this.show(await this.jobs.getExport(job.id));
    } catch (error) {
      this.notifier.fail(error, 'Could not get a download link');
    }
  }

  /** Arrow keys move between the formats (a radio group). */
  protected moveFormat(event: KeyboardEvent): void {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const index = (this.formats.findIndex((option) => option.value === this.format()) + step + this.formats.length) % this.formats.length;
    this.format.set(this.formats[index].value);
    const group = (event.target as HTMLElement).closest('[role="radiogroup"]');
    group?.querySelectorAll<HTMLElement>('[role="radio"]')[index]?.focus();
  }

  protected statusLabel(job: ExportJob): string {
    return { queued: 'Waiting', running: 'Running', succeeded: 'Ready', failed: 'Failed', cancelled: 'Cancelled' }[job.status];
  }

  /** Whether the signed link has run out (15 minutes): a new one is asked for. */
  protected linkExpired(job: ExportJob): boolean {
    return !!job.download && Date.parse(job.download.expiresAt) <= Date.now();
  }

  protected formatLabel(job: ExportJob): string {
    return job.params['format'] === 'json' ? 'JSON archive' : 'CSV';
  }

  protected scopeOf(job: ExportJob): string {
    const projectId = job.params['projectId'];
    if (typeof projectId !== 'number') return 'All projects';
    return this.projects.projects().find((project) => project.id === projectId)?.name ?? `Project ${projectId}`;
  }

  /** Whether the archive is gone (past its retention). */
  protected expired(job: ExportJob): boolean {
    return !!job.expiresAt && Date.parse(job.expiresAt) <= Date.now();
  }

  /** The job's latest state in the recent list (and as the current one, if it is). */
  private show(job: ExportJob): void {
    if (this.current()?.id === job.id) this.current.set(job);
    this.recent.update((list) => [job, ...list.filter((item) => item.id !== job.id)].slice(0, 10));
  }
}
