import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '@taskbase/sdk';
import { Notifier } from '../../../core/notifier';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { askToConfirm } from '../../../shared/confirm-dialog';
import { SecretDialog, type SecretDialogData } from '../../../shared/secret-dialog';
import { CreateWebhookDialog, type EventTypeInfo } from './create-webhook-dialog';
import { DeliveryLog } from './delivery-log';

/** Webhook endpoints: add, enable/disable, secret reveal and rotation, test event, delivery log. */
@Component({
  selector: 'tb-shell-webhooks-page',
  imports: [MatTableModule, MatButtonModule, MatIconModule, MatProgressBarModule, MatSlideToggleModule, MatTooltipModule, DatePipe, DeliveryLog],
  templateUrl: './webhooks-page.html',
  styleUrl: './webhooks-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  protected readonly columns = ['url', 'eventTypes', 'enabled'];
  protected readonly endpoints = signal<WebhookEndpoint[]>([]);
  protected readonly loading = signal(true);
  protected readonly selectedId = signal<number | null>(null);
  protected readonly selected = computed(() => this.endpoints().find((endpoint) => endpoint.id === this.selectedId()) ?? null);
  /** Bumped to make the delivery log reload (after a test event). */
  protected readonly logVersion = signal(0);
  private eventTypes: EventTypeInfo[] = [];

  constructor() {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const [page, types] = await Promise.all([this.client.webhooks.list(), this.client.webhooks.eventTypes()]);
      this.endpoints.set(page.data);
      this.eventTypes = types.data;
      if (this.selectedId() === null && page.data.length) this.selectedId.set(page.data[0].id);
    } catch (error) {
      this.notifier.fail(error, 'Could not load the webhooks');
    } finally {
      this.loading.set(false);
    }
  }

  protected create(): void {
    const ref = this.dialog.open<CreateWebhookDialog, EventTypeInfo[], CreatedWebhookEndpoint>(CreateWebhookDialog, {
      width: '640px',
      data: this.eventTypes,
    });
    ref.afterClosed().subscribe((created) => {
      if (!created) return;
      this.endpoints.update((list) => [created.endpoint, ...list]);
      this.selectedId.set(created.endpoint.id);
      this.showSecret('Endpoint added', 'Verify each request with this signing secret. You can reveal it again later.', created.secret);
    });
  }

  protected async revealSecret(endpoint: WebhookEndpoint): Promise<void> {
    try {
      const { secret, previousSecret } = await this.client.webhooks.secret(endpoint.id);
      const note = previousSecret ? ' The previous secret also signs until the rotation overlap ends.' : '';
      this.showSecret('Signing secret', `Requests to ${endpoint.url} are signed with this secret.${note}`, secret);
    } catch (error) {
      this.notifier.fail(error, 'Could not read the secret');
    }
  }

  protected async rotateSecret(endpoint: WebhookEndpoint): Promise<void> {
    const sure = await askToConfirm(this.dialog, {
      title: 'Rotate the signing secret?',
      message: 'A new secret signs from now on; the old one keeps signing too for 24 hours so your receiver can switch.',
      action: 'Rotate',
    });
    if (!sure) return;
    try {
      const { secret } = await this.client.webhooks.rotateSecret(endpoint.id, { overlapSeconds: 86400 });
      await this.load();
      this.showSecret('New signing secret', 'Update your receiver within 24 hours.', secret);
    } catch (error) {
      this.notifier.fail(error, 'Could not rotate the secret');
    }
  }

  protected async sendTest(endpoint: WebhookEndpoint): Promise<void> {
    try {
      await this.client.webhooks.test(endpoint.id);
      this.notifier.confirm('Test event queued');
      this.logVersion.update((version) => version + 1);
    } catch (error) {
      this.notifier.fail(error, 'Could not send the test event');
    }
  }

  protected async setEnabled(endpoint: WebhookEndpoint, enabled: boolean): Promise<void> {
    try {
      const updated = await this.client.webhooks.update(endpoint.id, { enabled });
      this.endpoints.update((list) => list.map((item) => (item.id === updated.id ? updated : item)));
      this.notifier.confirm(enabled ? 'Endpoint enabled' : 'Endpoint disabled');
    } catch (error) {
      this.notifier.fail(error, 'Could not change the endpoint');
    }
  }

  protected async remove(endpoint: WebhookEndpoint): Promise<void> {
    const sure = await askToConfirm(this.dialog, {
      title: 'Delete this endpoint?',
      message: `${endpoint.url} stops receiving events and its delivery log is deleted.`,
      action: 'Delete',
      danger: true,
    });
    if (!sure) return;
    try {
      await this.client.webhooks.remove(endpoint.id);
      this.endpoints.update((list) => list.filter((item) => item.id !== endpoint.id));
      this.selectedId.set(this.endpoints()[0]?.id ?? null);
      this.notifier.confirm('Endpoint deleted');
    } catch (error) {
      this.notifier.fail(error, 'Could not delete the endpoint');
    }
  }

  private showSecret(title: string, message: string, secret: string): void {
    this.dialog.open<SecretDialog, SecretDialogData>(SecretDialog, { width: '560px', data: { title, message, secret, label: 'signing secret' } });
  }
}
