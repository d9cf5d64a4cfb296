import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import type { WebhookDeliveryDetail } from '@taskbase/sdk';

/** One delivery: every attempt with status, duration, error and the start of the answer. */
@Component({
  selector: 'tb-shell-delivery-dialog',
  imports: [MatDialogModule, MatButtonModule, DatePipe],
  template: `
    <h2 mat-dialog-title>{{ delivery.eventType }} · delivery #{{ delivery.id }}</h2>
    <mat-dialog-content>
      <p class="muted">Message id <span class="mono">{{ delivery.messageId }}</span> · {{ delivery.status }} · created {{ delivery.createdAt | date: 'medium' }}</p>
      <h3>Attempts</h3>
      <ol class="attempts" data-testid="attempts">
        @for (attempt of delivery.attempts; track attempt.attempt) {
          <li>
            <strong>#{{ attempt.attempt }}</strong>
            <span class="status-chip" [class.ok]="isOk(attempt.statusCode)" [class.bad]="!isOk(attempt.statusCode)">
              {{ attempt.statusCode ?? 'no answer' }}
            </span>
            <span class="muted">{{ attempt.durationMs }} ms · {{ attempt.createdAt | date: 'medium' }}</span>
            @if (attempt.error) { <div class="error">{{ attempt.error }}</div> }
            @if (attempt.responseBody) { <pre class="mono">{{ attempt.responseBody }}</pre> }
          </li>
        } @empty {
          <li class="muted">No attempt yet.</li>
        }
      </ol>
      <h3>Payload</h3>
      <pre class="mono">{{ payload }}</pre>
    </mat-dialog-content>
    <mat-dialog-actions align="end"><button mat-flat-button type="button" mat-dialog-close>Close</button></mat-dialog-actions>
  `,
  styles: `
    h3 { font: var(--mat-sys-title-small); margin: 16px 0 8px; }
    .attempts { margin: 0; padding-left: 0; list-style: none; display: grid; gap: 8px; }
    li { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 12px; border-radius: 12px; background: var(--mat-sys-surface-container-high); }
    .error { color: var(--mat-sys-error); flex-basis: 100%; }
    pre { white-space: pre-wrap; margin: 0; max-height: 240px; overflow: auto; flex-basis: 100%; padding: 8px; border-radius: 8px; background: var(--mat-sys-surface-container-highest); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveryDialog {
  protected readonly delivery = inject<WebhookDeliveryDetail>(MAT_DIALOG_DATA);
  protected readonly payload = JSON.stringify(this.delivery.payload, null, 2);

  protected isOk(status: number | null): boolean {
    return status !== null && status >= 200 && status < 300;
  }
}
