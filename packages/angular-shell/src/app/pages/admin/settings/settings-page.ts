import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormSubmission } from '../../../core/form-submission';
import { RoleLabelPipe } from '../../../core/labels';
import { Notifier } from '../../../core/notifier';
import { UserSession } from '../../../core/user-session';

/** The workspace's settings: its name (admins rename it here) and the facts about it. */
@Component({
  selector: 'tb-shell-settings-page',
  imports: [MatFormFieldModule, MatInputModule, MatButtonModule, ReactiveFormsModule, DatePipe, RoleLabelPipe],
  template: `
    <header class="page-header">
      <div>
        <h1>Workspace settings</h1>
        <p>The basics of {{ session.workspace()?.name }}.</p>
      </div>
    </header>
    <section class="surface-card settings" aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <form [formGroup]="form" (ngSubmit)="save()">
        <mat-form-field appearance="outline">
          <mat-label>Workspace name</mat-label>
          <input matInput formControlName="name" maxlength="200" data-testid="workspace-name-field" />
          <mat-hint>Shown in the toolbar to everyone in the workspace.</mat-hint>
          @if (form.controls.name.hasError('required') || form.controls.name.hasError('pattern')) {
            <mat-error>Enter a name.</mat-error>
          }
        </mat-form-field>
        @if (failure(); as message) {
          <p class="failure" role="alert">{{ message }}</p>
        }
        <div class="actions">
          <button mat-flat-button type="submit" [disabled]="busy() || !changed()">Save</button>
        </div>
      </form>
      <dl>
        <dt>Workspace id</dt><dd class="mono">{{ session.workspace()?.id }}</dd>
        <dt>Created</dt><dd>{{ session.workspace()?.createdAt | date: 'longDate' }}</dd>
        <dt>Your role</dt><dd>{{ session.role() | roleLabel }}</dd>
      </dl>
    </section>
  `,
  styles: `
    .settings { display: grid; gap: 12px; max-width: 640px; }
    h2 { font: var(--mat-sys-title-medium); margin: 0 0 8px; }
    form { display: grid; gap: 4px; }
    .actions { display: flex; justify-content: flex-end; }
    .failure { margin: 0; color: var(--mat-sys-error); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; margin: 8px 0 0; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; text-transform: none; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  protected readonly session = inject(UserSession);
  private readonly notifier = inject(Notifier);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;
  private readonly typed = toSignal(this.form.controls.name.valueChanges, { initialValue: '' });
  /** Whether the field differs from the saved name (so Save has something to do). */
  protected readonly changed = computed(() => this.typed().trim() !== (this.session.workspace()?.name ?? ''));

  constructor() {
    // The field follows the saved name until the admin edits it.
    effect(() => {
      const saved = this.session.workspace()?.name ?? '';
      if (!this.form.dirty) this.form.setValue({ name: saved });
    });
  }

  protected async save(): Promise<void> {
    const renamed = await this.submission.run(() => this.session.renameWorkspace(this.form.controls.name.value.trim()));
    if (!renamed) return;
    this.form.reset({ name: this.session.workspace()?.name ?? '' });
    this.notifier.confirm('Workspace renamed');
  }
}
