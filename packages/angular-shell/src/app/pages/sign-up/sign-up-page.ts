import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { FormSubmission } from '../../core/form-submission';
import { UserSession } from '../../core/user-session';

/** Sign-up creates a workspace and its first admin. */
@Component({
  selector: 'tb-shell-sign-up-page',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink],
  templateUrl: './sign-up-page.html',
  styleUrl: './auth-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignUpPage {
  private readonly session = inject(UserSession);
  private readonly router = inject(Router);

  protected readonly form = inject(NonNullableFormBuilder).group({
    workspaceName: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected async submit(): Promise<void> {
    await this.submission.run(async () => {
      await this.session.signUp(this.form.getRawValue());
      await this.router.navigateByUrl('/dashboard');
    });
  }
}
