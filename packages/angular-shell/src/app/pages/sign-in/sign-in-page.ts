import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { AuthenticationError } from '@taskbase/sdk';
import { loadDemoSignIns, type DemoSignIns } from '../../core/demo-sign-ins';
import { errorMessage } from '../../core/error-message';
import { FormSubmission } from '../../core/form-submission';
import { UserSession } from '../../core/user-session';

@Component({
  selector: 'tb-shell-sign-in-page',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, MatProgressBarModule, RouterLink],
  templateUrl: './sign-in-page.html',
  styleUrl: '../sign-up/auth-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage implements OnInit {
  private readonly session = inject(UserSession);
  private readonly router = inject(Router);
  /** Where to go after signing in (set by the sign-in guard). */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required]],
  });
  private readonly submission = new FormSubmission(this.form, (error) =>
    error instanceof AuthenticationError ? 'Wrong email or password.' : errorMessage(error),
  );
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;
  protected readonly showPassword = signal(false);
  /** The demo workspace's sign-ins, offered in development when it exists (the API answers 404 otherwise). */
  protected readonly demo = signal<DemoSignIns | undefined>(undefined);
  /** One person per role: the documented admin, manager and member sign-ins. */
  protected readonly demoPeople = () => {
    const seen = new Set<string>();
    return (this.demo()?.users ?? []).filter((user) => !seen.has(user.role) && seen.add(user.role));
  };

  async ngOnInit(): Promise<void> {
    this.demo.set(await loadDemoSignIns());
  }

  /** Fills the form with a demo sign-in and signs in. */
  protected async useDemo(email: string): Promise<void> {
    this.form.setValue({ email, password: this.demo()!.password });
    await this.submit();
  }

  protected async submit(): Promise<void> {
    await this.submission.run(async () => {
      await this.session.signIn(this.form.getRawValue());
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    });
  }
}

/** Only same-app paths: never an absolute URL from the query string. */
export function safeReturnUrl(url: string | undefined): string {
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/dashboard';
}
