import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { ResponseBody } from '@taskbase/sdk';
import { FormSubmission } from '../../../core/form-submission';
import { ROLE_LABELS } from '../../../core/labels';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import type { Role } from '../../../core/user-session';

export type Invitation = ResponseBody<'createUser'>;

/** Invites a person with a role; closes with the created user (and a temporary password). */
@Component({
  selector: 'tb-shell-invite-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  templateUrl: './invite-dialog.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly ref = inject<MatDialogRef<InviteDialog, Invitation>>(MatDialogRef);
  protected readonly roles: Role[] = ['member', 'manager', 'admin'];
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    email: ['', [Validators.required, Validators.email]],
    role: ['member' as Role, Validators.required],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected async submit(): Promise<void> {
    await this.submission.run(async () => this.ref.close(await this.client.users.create(this.form.getRawValue())));
  }
}
