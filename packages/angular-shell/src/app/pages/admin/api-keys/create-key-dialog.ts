import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, Validators, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { CreatedApiKey } from '@taskbase/sdk';
import { FormSubmission } from '../../../core/form-submission';
import { ROLE_LABELS } from '../../../core/labels';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import type { Role } from '../../../core/user-session';

/** Splits "https://a.com, https://b.com" into origins. */
export function parseOrigins(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((origin) => origin.trim()).filter(Boolean))];
}

/** Every origin must be scheme + host (+ port), nothing else. */
export function originsValidator(control: AbstractControl<string>): ValidationErrors | null {
  const bad = parseOrigins(control.value ?? '').filter((origin) => !/^https?:\/\/[^/\s]+$/.test(origin));
  return bad.length ? { origins: bad } : null;
}

/** Creates an API key; closes with the created key (whose secret is shown once). */
@Component({
  selector: 'tb-shell-create-key-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  template: `
    <h2 mat-dialog-title>Create an API key</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required />
          <mat-hint>Where the key is used, e.g. "Intranet backend"</mat-hint>
          @if (form.controls.name.invalid) { <mat-error>Name the key.</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Allowed origins</mat-label>
          <input matInput formControlName="origins" placeholder="https://app.example.com" />
          <mat-hint>Optional. Browser origins, comma-separated; tokens minted with the key then work only there.</mat-hint>
          @if (form.controls.origins.hasError('origins')) {
            <mat-error>Use scheme and host only, like https://app.example.com</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Highest role it may mint</mat-label>
          <mat-select formControlName="maxRole">
            @for (role of roles; track role) { <mat-option [value]="role">{{ roleLabels[role] }}</mat-option> }
          </mat-select>
          <mat-hint>A token asked for a higher role is refused (403), not lowered.</mat-hint>
        </mat-form-field>
        @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Create key</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateKeyDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly ref = inject<MatDialogRef<CreateKeyDialog, CreatedApiKey>>(MatDialogRef);
  protected readonly roles: Role[] = ['member', 'manager', 'admin'];
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    origins: ['', originsValidator],
    maxRole: ['member' as Role],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected async submit(): Promise<void> {
    await this.submission.run(async () => {
      const { name, origins, maxRole } = this.form.getRawValue();
      this.ref.close(await this.client.apiKeys.create({ name, maxRole, allowedOrigins: parseOrigins(origins) }));
    });
  }
}
