import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginator, MatPaginatorModule } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSort, MatSortModule } from '@angular/material/sort';
import { MatTableDataSource, MatTableModule } from '@angular/material/table';
import type { ApiKey, CreatedApiKey } from '@taskbase/sdk';
import { RoleLabelPipe } from '../../../core/labels';
import { Notifier } from '../../../core/notifier';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { askToConfirm } from '../../../shared/confirm-dialog';
import { SecretDialog, type SecretDialogData } from '../../../shared/secret-dialog';
import { CreateKeyDialog } from './create-key-dialog';

/** Server-to-server keys that mint embed tokens: create (shown once), list, revoke. */
@Component({
  selector: 'tb-shell-api-keys-page',
  imports: [MatTableModule, MatSortModule, MatPaginatorModule, MatButtonModule, MatIconModule, MatProgressBarModule, DatePipe, RoleLabelPipe],
  templateUrl: './api-keys-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);

  protected readonly columns = ['name', 'prefix', 'allowedOrigins', 'maxRole', 'createdAt', 'lastUsedAt', 'actions'];
  protected readonly keys = new MatTableDataSource<ApiKey>([]);
  protected readonly loading = signal(true);
  private readonly sort = viewChild(MatSort);
  private readonly paginator = viewChild(MatPaginator);

  constructor() {
    effect(() => {
      this.keys.sort = this.sort() ?? null;
      this.keys.paginator = this.paginator() ?? null;
    });
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      this.keys.data = (await this.client.apiKeys.list()).data;
    } catch (error) {
      this.notifier.fail(error, 'Could not load the API keys');
    } finally {
      this.loading.set(false);
    }
  }

  protected create(): void {
    const ref = this.dialog.open<CreateKeyDialog, void, CreatedApiKey>(CreateKeyDialog, { width: '520px' });
    ref.afterClosed().subscribe((created) => {
      if (!created) return;
      this.keys.data = [created.apiKey, ...this.keys.data];
      this.dialog.open<SecretDialog, SecretDialogData>(SecretDialog, {
        width: '560px',
        data: {
          title: `API key "${created.apiKey.name}"`,
          message: 'Copy the key now and keep it on your server: it is shown only once and never in a browser.',
          secret: created.key,
          label: 'API key',
        },
      });
    });
  }

  protected async revoke(key: ApiKey): Promise<void> {
    const sure = await askToConfirm(this.dialog, {
      title: `Revoke "${key.name}"?`,
      message: 'It stops minting tokens at once. Tokens it already minted work until they expire.',
      action: 'Revoke',
      danger: true,
    });
    if (!sure) return;
    try {
      await this.client.apiKeys.revoke(key.id);
      this.notifier.confirm(`"${key.name}" is revoked`);
      await this.load();
    } catch (error) {
      this.notifier.fail(error, 'Could not revoke the key');
    }
  }
}
