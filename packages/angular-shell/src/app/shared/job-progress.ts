import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { percent, type DataJob } from '../core/data-jobs';

/** How a job's phase reads ("tasks" → "Tasks"; a queued job is waiting). */
export function phaseLabel(job: Pick<DataJob, 'status' | 'progress'>): string {
  if (job.status === 'queued') return 'Waiting to start…';
  const phase = job.progress.phase.replace(/[_-]+/g, ' ').trim();
  return phase ? phase[0].toUpperCase() + phase.slice(1) : 'Working…';
}

/** A running job's bar: determinate once the job knows its total, with the phase and the records done. */
@Component({
  selector: 'tb-shell-job-progress',
  imports: [MatProgressBarModule, DecimalPipe],
  template: `
    <div class="line">
      <span class="phase">{{ phase() }}</span>
      <span class="count" aria-hidden="true">
        @if (value() !== null) { {{ value() }} % · }
        {{ job().progress.done | number }}@if (job().progress.total !== null) { / {{ job().progress.total | number }} }
      </span>
    </div>
    <mat-progress-bar [mode]="value() === null ? 'indeterminate' : 'determinate'" [value]="value() ?? 0"
                      [attr.aria-label]="label()" [attr.aria-valuetext]="valueText()" data-testid="job-progress" />
  `,
  styles: `
    :host { display: grid; gap: 6px; }
    .line { display: flex; justify-content: space-between; gap: 12px; font: var(--mat-sys-body-medium); }
    .count { color: var(--mat-sys-on-surface-variant); font-variant-numeric: tabular-nums; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobProgress {
  readonly job = input.required<Pick<DataJob, 'status' | 'progress'>>();
  readonly label = input('Progress');
  protected readonly value = computed(() => percent(this.job()));
  protected readonly phase = computed(() => phaseLabel(this.job()));
  protected readonly valueText = computed(() => {
    const { done, total } = this.job().progress;
    return total === null ? `${done} done` : `${done} of ${total}`;
  });
}
