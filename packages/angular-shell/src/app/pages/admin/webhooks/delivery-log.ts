import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginator, MatPaginatorModule } from '@angular/material/paginator';
import { MatSort, MatSortModule } from '@angular/material/sort';
import { MatTableDataSource, MatTableModule } from '@angular/material/table';
import type { WebhookDelivery, WebhookDeliveryDetail } from '@taskbase/sdk';
import { Notifier } from '../../../core/notifier';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { DeliveryDialog } from './delivery-dialog';

const PENDING_REFRESH_MS = 1500;

/** An endpoint's deliveries, newest first, refreshed while some are pending; open one for its attempts, resend it. */
@Component({
  selector: 'tb-shell-delivery-log',
  imports: [MatTableModule, MatSortModule, MatPaginatorModule, MatButtonModule, MatIconModule, DatePipe],
  templateUrl: './delivery-log.html',
  styles: 'h3 { font: var(--mat-sys-title-medium); margin: 0; flex: 1; } .log-head { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveryLog {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  readonly endpointId = input.required<number>();
  /** Changing it reloads the log. */
  readonly version = input(0);

  protected readonly columns = ['eventType', 'status', 'attemptCount', 'lastStatusCode', 'createdAt', 'actions'];
  protected readonly deliveries = new MatTableDataSource<WebhookDelivery>([]);
  private readonly sort = viewChild(MatSort);
  private readonly paginator = viewChild(MatPaginator);
  private timer: ReturnType<typeof setTimeout> | undefined;
  protected readonly loaded = signal(false);

  constructor() {
    effect(() => {
      this.deliveries.sort = this.sort() ?? null;
      this.deliveries.paginator = this.paginator() ?? null;
    });
    effect(() => {
      const id = this.endpointId();
      this.version();
      untracked(() => void this.load(id));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  async load(id = this.endpointId()): Promise<void> {
    clearTimeout(this.timer);
    try {
      const page = await this.client.webhooks.deliveries(id, { limit: 100 });
      if (id !== this.endpointId()) return;
      this.deliveries.data = page.data;
      this.loaded.set(true);
      if (page.data.some((delivery) => delivery.status === 'pending')) {
        this.timer = setTimeout(() => void this.load(id), PENDING_REFRESH_MS);
      }
    } catch (error) {
      this.notifier.fail(error, 'Could not load the deliveries');
    }
  }

  protected async open(delivery: WebhookDelivery): Promise<void> {
    try {
      const detail = await this.client.webhooks.delivery(this.endpointId(), delivery.id);
      this.dialog.open<DeliveryDialog, WebhookDeliveryDetail>(DeliveryDialog, { width: '720px', data: detail });
    } catch (error) {
      this.notifier.fail(error, 'Could not load the delivery');
    }
  }

  protected async resend(delivery: WebhookDelivery): Promise<void> {
    try {
      await this.client.webhooks.resend(this.endpointId(), delivery.id);
      this.notifier.confirm('Delivery queued again');
      await this.load();
    } catch (error) {
      this.notifier.fail(error, 'Could not resend');
    }
  }
}
