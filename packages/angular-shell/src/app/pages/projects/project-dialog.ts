import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { Project } from '@taskbase/sdk';
import { FormSubmission } from '../../core/form-submission';
import { PROJECT_COLORS, suggestKey } from '../../core/projects';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { ColorPicker } from '../../shared/color-picker';

/** "New project": name, key (suggested from the name until edited), description, colour and visibility; closes with the project. */
@Component({
  selector: 'tb-shell-project-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule, ColorPicker],
  template: `
    <h2 mat-dialog-title>New project</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required maxlength="200" cdkFocusInitial (input)="nameChanged()" data-testid="project-name" />
          @if (form.controls.name.invalid) { <mat-error>Give the project a name.</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Key</mat-label>
          <input matInput formControlName="key" required maxlength="10" (input)="keyEdited()" class="key-input" data-testid="project-key" />
          <mat-hint>Starts task identifiers, as in {{ form.controls.key.value || 'KEY' }}-1. 2–10 letters A–Z and digits, starting with a letter.</mat-hint>
          @if (form.controls.key.invalid) { <mat-error>2–10 capital letters and digits, starting with a letter.</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Description</mat-label>
          <textarea matInput formControlName="description" rows="2" maxlength="5000"></textarea>
        </mat-form-field>
        <tb-shell-color-picker label="Colour" [colors]="colors" [value]="form.controls.color.value" (valueChange)="form.controls.color.setValue($event)" />
        <mat-form-field appearance="outline">
          <mat-label>Visibility</mat-label>
          <mat-select formControlName="visibility">
            <mat-option value="workspace">Everyone in the workspace</mat-option>
            <mat-option value="private">Private: its members and admins</mat-option>
          </mat-select>
        </mat-form-field>
        @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Create project</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.key-input { text-transform: uppercase; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProjectDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly ref = inject<MatDialogRef<ProjectDialog, Project>>(MatDialogRef);
  protected readonly colors = PROJECT_COLORS;
  /** Whether the person typed a key of their own (then the name no longer changes it). */
  private readonly keyTouched = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    key: ['', [Validators.required, Validators.pattern(/^[A-Z][A-Z0-9]{1,9}$/)]],
    description: [''],
    color: [PROJECT_COLORS[Math.floor(Math.random() * PROJECT_COLORS.length)]],
    visibility: ['workspace' as Project['visibility']],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected nameChanged(): void {
    if (!this.keyTouched()) this.form.controls.key.setValue(suggestKey(this.form.controls.name.value));
  }

  protected keyEdited(): void {
    const control = this.form.controls.key;
    this.keyTouched.set(control.value !== '');
    control.setValue(control.value.toUpperCase().replace(/[^A-Z0-9]/g, ''), { emitEvent: false });
  }

  protected async submit(): Promise<void> {
    const { name, key, description, color, visibility } = this.form.getRawValue();
    await this.submission.run(async () =>
      this.ref.close(await this.client.projects.create({ name: name.trim(), key, description: description.trim(), color, visibility })),
    );
  }
}
