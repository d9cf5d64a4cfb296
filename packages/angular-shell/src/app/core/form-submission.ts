import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { errorMessage } from './error-message';

/**
 * A form that sends one request: `busy` while it runs (to disable the
 * button), and `failure`, the message to show in the form when it fails. An
 * invalid form sends nothing and shows every field's error instead.
 */
export class FormSubmission {
  readonly busy = signal(false);
  readonly failure = signal<string | null>(null);

  constructor(
    private readonly form: AbstractControl,
    /** How a failure reads to the user. */
    private readonly describe: (error: unknown) => string = errorMessage,
  ) {}

  /** Runs `send` if the form is valid; answers whether it went through. */
  async run(send: () => Promise<unknown>): Promise<boolean> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return false;
    }
    this.busy.set(true);
    this.failure.set(null);
    try {
      await send();
      return true;
    } catch (error) {
      this.failure.set(this.describe(error));
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}
