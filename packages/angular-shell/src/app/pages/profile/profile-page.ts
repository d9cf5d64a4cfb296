import { ChangeDetectionStrategy, Component, computed, effect, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { ValidationError } from '@taskbase/sdk';
import { errorMessage } from '../../core/error-message';
import { FormSubmission } from '../../core/form-submission';
import { ROLE_LABELS } from '../../core/labels';
import { Notifier } from '../../core/notifier';
import { ThemeSwitcher, type ThemeChoice } from '../../core/theme-switcher';
import { UserSession } from '../../core/user-session';

/** The API's minimum password length (core-api's auth schema). */
const MIN_PASSWORD = 8;

/** Whether the "repeat" field matches the new password. */
function repeatMatches(group: AbstractControl): ValidationErrors | null {
  const repeat = group.get('repeat')!;
  const differs = repeat.value !== group.get('newPassword')!.value;
  repeat.setErrors(differs ? { differs: true } : null);
  return null;
}

/**
 * The signed-in person's own settings: name, password (PATCH /api/auth/me)
 * and theme. No timezone yet: the API does not store one.
 */
@Component({
  selector: 'tb-shell-profile-page',
  imports: [MatFormFieldModule, MatInputModule, MatButtonModule, MatButtonToggleModule, MatIconModule, ReactiveFormsModule],
  templateUrl: './profile-page.html',
  styles: `
    .profile { display: grid; gap: 16px; max-width: 640px; }
    h2 { font: var(--mat-sys-title-medium); margin: 0 0 12px; }
    form { display: grid; gap: 4px; }
    .actions { display: flex; justify-content: flex-end; }
    .failure { margin: 0; color: var(--mat-sys-error); }
    .fact { margin: 8px 0; color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
    mat-button-toggle-group { flex-wrap: wrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage {
  protected readonly session = inject(UserSession);
  protected readonly theme = inject(ThemeSwitcher);
  private readonly notifier = inject(Notifier);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly minPassword = MIN_PASSWORD;
  protected readonly roleLabel = computed(() => {
    const role = this.session.role();
    return role ? ROLE_LABELS[role] : '';
  });
  protected readonly themeChoices: { value: ThemeChoice; label: string; icon: string }[] = [
    { value: 'light', label: 'Light', icon: 'light_mode' },
    { value: 'dark', label: 'Dark', icon: 'dark_mode' },
    { value: 'system', label: 'System', icon: 'brightness_auto' },
  ];

  protected readonly nameForm = this.fb.group({ name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]] });
  private readonly nameSubmission = new FormSubmission(this.nameForm);
  protected readonly nameBusy = this.nameSubmission.busy;
  protected readonly nameFailure = this.nameSubmission.failure;
  private readonly typedName = toSignal(this.nameForm.controls.name.valueChanges, { initialValue: '' });
  protected readonly nameChanged = computed(() => this.typedName().trim() !== (this.session.user()?.name ?? ''));

  protected readonly passwordForm = this.fb.group(
    {
      currentPassword: ['', Validators.required],
      newPassword: ['', [Validators.required, Validators.minLength(MIN_PASSWORD)]],
      repeat: ['', Validators.required],
    },
    { validators: repeatMatches },
  );
  // A 422 here means the current password was wrong: say that rather than the API's generic wording.
  private readonly passwordSubmission = new FormSubmission(this.passwordForm, (error) =>
    error instanceof ValidationError && error.status === 422 ? 'Your current password is not right.' : errorMessage(error),
  );
  // Its `submitted` flag, not only the controls, must be reset, or Material shows every empty field as an error.
  private readonly passwordFormDirective = viewChild.required('passwordFormRef', { read: FormGroupDirective });
  protected readonly passwordBusy = this.passwordSubmission.busy;
  protected readonly passwordFailure = this.passwordSubmission.failure;

  constructor() {
    // The field follows the saved name until it is edited.
    effect(() => {
      const saved = this.session.user()?.name ?? '';
      if (!this.nameForm.dirty) this.nameForm.setValue({ name: saved });
    });
  }

  protected async saveName(): Promise<void> {
    const saved = await this.nameSubmission.run(() => this.session.updateProfile({ name: this.nameForm.controls.name.value.trim() }));
    if (!saved) return;
    this.nameForm.reset({ name: this.session.user()?.name ?? '' });
    this.notifier.confirm('Name saved');
  }

  protected async changePassword(): Promise<void> {
    const { currentPassword, newPassword } = this.passwordForm.getRawValue();
    const changed = await this.passwordSubmission.run(() => this.session.updateProfile({ currentPassword, newPassword }));
    if (!changed) return;
    this.passwordFormDirective().resetForm();
    this.notifier.confirm('Password changed');
  }
}
