import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CatalogApi, LABEL_COLORS, projectLimit, textOn as textOnColor, unlistedProjects, type Label } from '../../core/catalog';
import { FormSubmission } from '../../core/form-submission';
import { ProjectStore } from '../../core/projects';
import { ColorPicker } from '../../shared/color-picker';

/** "New label" or "Edit label": name, colour, description and the projects it is limited to; closes with the label. */
@Component({
  selector: 'tb-shell-label-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule, ColorPicker],
  template: `
    <h2 mat-dialog-title>{{ label ? 'Edit label' : 'New label' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <p class="preview" aria-hidden="true">
          <span class="label-chip" [style.background]="form.controls.color.value" [style.color]="textOn(form.controls.color.value)">
            {{ form.controls.name.value.trim() || 'Label' }}
          </span>
        </p>
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required maxlength="50" cdkFocusInitial data-testid="label-name" />
          <mat-hint align="end">{{ form.controls.name.value.length }}/50</mat-hint>
          @if (form.controls.name.invalid) { <mat-error>Give the label a name (up to 50 characters).</mat-error> }
        </mat-form-field>
        <tb-shell-color-picker label="Colour" [colors]="colors" [value]="form.controls.color.value" (valueChange)="form.controls.color.setValue($event)" />
        <mat-form-field appearance="outline">
          <mat-label>Description</mat-label>
          <textarea matInput formControlName="description" rows="2" maxlength="500" data-testid="label-description"></textarea>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Projects</mat-label>
          <mat-select formControlName="projectIds" multiple placeholder="All projects" data-testid="label-projects">
            @for (project of projects.projects(); track project.id) { <mat-option [value]="project.id">{{ project.name }}</mat-option> }
          </mat-select>
          <mat-hint>
            @if (unlisted()) { Also limited to {{ unlisted() === 1 ? '1 project' : unlisted() + ' projects' }} not listed here (archived, or not visible to you). }
            @else { Leave empty to offer it in every project. }
          </mat-hint>
        </mat-form-field>
        @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ label ? 'Save' : 'Create label' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: '.preview { margin: 0 0 4px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabelDialog {
  private readonly api = inject(CatalogApi);
  private readonly ref = inject<MatDialogRef<LabelDialog, Label>>(MatDialogRef);
  protected readonly label = inject<Label | null>(MAT_DIALOG_DATA, { optional: true });
  protected readonly projects = inject(ProjectStore);
  protected readonly colors = LABEL_COLORS;
  protected readonly textOn = textOnColor;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.label?.name ?? '', [Validators.required, Validators.maxLength(50), Validators.pattern(/\S/)]],
    color: [this.label?.color ?? LABEL_COLORS[Math.floor(Math.random() * LABEL_COLORS.length)]],
    description: [this.label?.description ?? '', [Validators.maxLength(500)]],
    projectIds: [this.label?.projectIds ?? ([] as number[])],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  constructor() {
    void this.projects.load().catch(() => undefined);
  }

  /** Projects this label is limited to that the picker cannot list (archived, or not visible to you): kept as they are. */
  protected readonly unlisted = computed(() => unlistedProjects(this.label?.projectIds ?? null, this.projects.projects().map((project) => project.id)));

  private projectIds(chosen: number[]): number[] | null {
    return projectLimit(chosen, this.label?.projectIds ?? null, this.projects.projects().map((project) => project.id));
  }

  protected async submit(): Promise<void> {
    const { name, color, description, projectIds } = this.form.getRawValue();
    const input = { name: name.trim(), color, description: description.trim(), projectIds: this.projectIds(projectIds) };
    await this.submission.run(async () =>
      this.ref.close(this.label ? await this.api.updateLabel(this.label.id, input) : await this.api.createLabel(input)),
    );
  }
}
