import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { CreatedWebhookEndpoint, CreateWebhookInput } from '@taskbase/sdk';
import { FormSubmission } from '../../../core/form-submission';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';

export interface EventTypeInfo {
  type: string;
  description: string;
}
type EventType = NonNullable<CreateWebhookInput['eventTypes']>[number];

/** Adds an endpoint: URL, description, event types (none ticked = all). */
@Component({
  selector: 'tb-shell-create-webhook-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatCheckboxModule, ReactiveFormsModule],
  templateUrl: './create-webhook-dialog.html',
  styles: `
    fieldset { border: 0; padding: 0; margin: 8px 0 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); }
    legend { font: var(--mat-sys-title-small); margin-bottom: 4px; }
    .hint { grid-column: 1 / -1; margin: 0 0 4px; color: var(--mat-sys-on-surface-variant); font: var(--mat-sys-body-small); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateWebhookDialog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly ref = inject<MatDialogRef<CreateWebhookDialog, CreatedWebhookEndpoint>>(MatDialogRef);
  protected readonly eventTypes = inject<EventTypeInfo[]>(MAT_DIALOG_DATA);
  protected readonly form = inject(NonNullableFormBuilder).group({
    url: ['', [Validators.required, Validators.maxLength(2000), Validators.pattern(/^https?:\/\/\S+$/)]],
    description: ['', Validators.maxLength(500)],
  });
  protected readonly chosen = signal<ReadonlySet<string>>(new Set());
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  protected toggle(type: string, on: boolean): void {
    const next = new Set(this.chosen());
    if (on) next.add(type);
    else next.delete(type);
    this.chosen.set(next);
  }

  protected async submit(): Promise<void> {
    await this.submission.run(async () => {
      const { url, description } = this.form.getRawValue();
      const input: CreateWebhookInput = { url, eventTypes: [...this.chosen()] as EventType[] };
      if (description.trim()) input.description = description.trim();
      this.ref.close(await this.client.webhooks.create(input));
    });
  }
}
