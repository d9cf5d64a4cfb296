import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { errorMessage } from './error-message';

/** Short confirmations and failures, as Material snack-bars. */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);

  confirm(message: string): void {
    this.snackBar.open(message, 'OK', { duration: 4000 });
  }

  fail(error: unknown, prefix?: string): void {
    const text = errorMessage(error);
    this.snackBar.open(prefix ? `${prefix}: ${text}` : text, 'Dismiss', { duration: 8000, politeness: 'assertive' });
  }
}
