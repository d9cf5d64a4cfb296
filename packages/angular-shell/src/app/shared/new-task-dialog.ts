import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { Task } from '@taskbase/sdk';
import { FormSubmission } from '../core/form-submission';
import { PRIORITY_LABELS, STATUS_LABELS } from '../core/labels';
import { ProjectStore } from '../core/projects';
import { TASKBASE_CLIENT } from '../core/taskbase-client';

/** "New task" from anywhere (the toolbar): title, project (the current one first), its status and priority; closes with the created task. */
@Component({
  selector: 'tb-shell-new-task-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  template: `
    <h2 mat-dialog-title>New task</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <mat-form-field appearance="outline">
          <mat-label>Title</mat-label>
          <input matInput formControlName="title" required maxlength="500" cdkFocusInitial data-testid="new-task-title" />
          @if (form.controls.title.invalid) { <mat-error>Give the task a title.</mat-error> }
        </mat-form-field>
        <div class="pair">
          @if (projects().length > 1) {
            <mat-form-field appearance="outline">
              <mat-label>Project</mat-label>
              <mat-select formControlName="projectId" data-testid="new-task-project">
                @for (project of projects(); track project.id) { <mat-option [value]="project.id">{{ project.name }} ({{ project.key }})</mat-option> }
              </mat-select>
            </mat-form-field>
          }
          <mat-form-field appearance="outline">
            <mat-label>Status</mat-label>
            <mat-select formControlName="status">
              @for (option of statuses(); track option.value) { <mat-option [value]="option.value">{{ option.label }}</mat-option> }
            </mat-select>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Priority</mat-label>
            <mat-select formControlName="priority">
              @for (option of priorities; track option.value) { <mat-option [value]="option.value">{{ option.label }}</mat-option> }
            </mat-select>
          </mat-form-field>
        </div>
        @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Create</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewTaskDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly ref = inject<MatDialogRef<NewTaskDialog, Task>>(MatDialogRef);
  private readonly store = inject(ProjectStore);
  protected readonly projects = this.store.projects;
  protected readonly priorities = labelled(PRIORITY_LABELS);
  protected readonly form = inject(NonNullableFormBuilder).group({
    title: ['', [Validators.required, Validators.maxLength(500), Validators.pattern(/\S/)]],
    projectId: [this.store.current()?.id ?? 0],
    status: [this.firstStatus(this.store.current()?.id ?? 0)],
    priority: ['medium' as Task['priority']],
  });
  private readonly projectId = toSignal(this.form.controls.projectId.valueChanges, { initialValue: this.form.controls.projectId.value });
  /** The chosen project's workflow (the classic four before the projects are known). */
  protected readonly statuses = computed(() => {
    const project = this.projects().find((p) => p.id === this.projectId());
    return project ? project.statuses.map((status) => ({ value: status.key, label: status.name })) : labelled(STATUS_LABELS);
  });

  constructor() {
    this.form.controls.projectId.valueChanges.subscribe((id) => this.form.controls.status.setValue(this.firstStatus(id)));
  }

  /** A new task starts in the project's first "not started" status. */
  private firstStatus(projectId: number): string {
    const workflow = this.store.projects().find((p) => p.id === projectId)?.statuses ?? [];
    return (workflow.find((status) => status.category === 'unstarted') ?? workflow[0])?.key ?? 'todo';
  }
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected async submit(): Promise<void> {
    const { title, status, priority, projectId } = this.form.getRawValue();
    await this.submission.run(async () =>
      this.ref.close(await this.client.tasks.create({ title: title.trim(), status, priority, ...(projectId ? { projectId } : {}) })),
    );
  }
}

function labelled<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}
