import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

export interface SecretDialogData {
  title: string;
  /** What the secret is for, and whether it will be shown again. */
  message: string;
  secret: string;
  /** Label of the secret (for screen readers). */
  label: string;
}

/** Shows a secret (API key, webhook signing secret) with a copy button. */
@Component({
  selector: 'tb-shell-secret-dialog',
  imports: [MatDialogModule, MatButtonModule, MatIconModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
      <div class="secret-box">
        <code class="mono" data-testid="secret-value" [attr.aria-label]="data.label">{{ data.secret }}</code>
        <button mat-icon-button type="button" (click)="copy()" [attr.aria-label]="'Copy ' + data.label">
          <mat-icon>{{ copied() ? 'check' : 'content_copy' }}</mat-icon>
        </button>
      </div>
      <p class="copied" role="status">{{ copied() ? 'Copied to the clipboard.' : '' }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close>Done</button>
    </mat-dialog-actions>
  `,
  styles: `
    .secret-box { display: flex; align-items: center; gap: 8px; padding: 8px 8px 8px 14px; border-radius: 12px;
      background: var(--mat-sys-surface-container-highest); }
    code { flex: 1; }
    .copied { min-height: 1.4em; margin: 8px 0 0; color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecretDialog {
  protected readonly data = inject<SecretDialogData>(MAT_DIALOG_DATA);
  private readonly clipboard = inject(Clipboard);
  protected readonly copied = signal(false);

  protected copy(): void {
    this.copied.set(this.clipboard.copy(this.data.secret));
  }
}
