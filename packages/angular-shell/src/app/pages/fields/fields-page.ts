import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { CatalogApi, FIELD_TYPE_INFO, hasOptions, positionBetween, projectNames, textOn, type CustomField } from '../../core/catalog';
import { errorMessage } from '../../core/error-message';
import { Notifier } from '../../core/notifier';
import { ProjectStore } from '../../core/projects';
import { reloadOnSettingEvents } from '../../core/follow-settings';
import { UserSession } from '../../core/user-session';
import { askToConfirm } from '../../shared/confirm-dialog';
import { FieldDialog, type FieldDialogData } from './field-dialog';
import { ReadGuard } from '../../core/read-guard';

/** The workspace's custom fields (`/settings/fields`), in task-detail order: everyone reads them; managers and admins change them. */
@Component({
  selector: 'tb-shell-fields-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTooltipModule],
  templateUrl: './fields-page.html',
  styleUrl: './fields-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FieldsPage {
  private readonly api = inject(CatalogApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(UserSession);
  protected readonly projects = inject(ProjectStore);

  protected readonly fields = signal<CustomField[]>([]);
  protected readonly loading = signal(true);
  /** The list's reads, kept in order against the changes made here. */
  private readonly reads = new ReadGuard();
  protected readonly failure = signal<string | null>(null);
  /** The key of the field being moved. */
  protected readonly moving = signal<string | null>(null);
  protected readonly canEdit = computed(() => this.session.role() === 'admin' || this.session.role() === 'manager');
  protected readonly sorted = computed(() => [...this.fields()].sort((a, b) => a.position - b.position || a.id - b.id));
  protected readonly typeInfo = FIELD_TYPE_INFO;
  protected readonly hasOptions = hasOptions;
  protected readonly textOn = textOn;

  constructor() {
    void this.load();
    // Changes made elsewhere (another manager, the API) show without a reload.
    reloadOnSettingEvents('field.', () => void this.load(true));
    void this.projects.load().catch(() => undefined);
  }

  protected scope(field: CustomField): string {
    return projectNames(field.projectIds, this.projects.projects());
  }

  protected async load(quiet = false): Promise<void> {
    if (!quiet) this.loading.set(true);
    this.failure.set(null);
    try {
      const fields = await this.reads.read(() => this.api.fields());
      if (fields) this.fields.set(fields);
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected edit(field?: CustomField): void {
    const data: FieldDialogData = { field: field ?? null, takenKeys: this.fields().map((other) => other.key) };
    this.dialog
      .open<FieldDialog, FieldDialogData, CustomField>(FieldDialog, { data, width: '620px', maxWidth: '94vw' })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.notifier.confirm(field ? `Saved ${saved.name}` : `Created ${saved.name}`);
        this.replace(saved);
      });
  }

  /** Moves a field one place up or down (PATCH position between its new neighbours). */
  protected async move(index: number, by: -1 | 1): Promise<void> {
    const list = this.sorted();
    const field = list[index];
    const to = index + by;
    if (!field || to < 0 || to >= list.length) return;
    const others = list.filter((other) => other.key !== field.key);
    const position = positionBetween(others[to - 1]?.position, others[to]?.position);
    this.moving.set(field.key);
    try {
      this.replace(await this.api.updateField(field.key, { position }));
      setTimeout(() => document.querySelector<HTMLElement>(`[data-field="${field.key}"] [data-move="${by < 0 ? 'up' : 'down'}"]:not([disabled])`)?.focus());
    } catch (error) {
      this.notifier.fail(error, 'Could not move');
    } finally {
      this.moving.set(null);
    }
  }

  protected async remove(field: CustomField): Promise<void> {
    if (!(await askToConfirm(this.dialog, {
      title: `Delete the field “${field.name}”?`,
      message: `Its values are removed from every task, and filters on cf.${field.key} stop matching. This cannot be undone.`,
      action: 'Delete field',
      danger: true,
    }))) return;
    try {
      await this.api.deleteField(field.key);
      this.reads.changed();
      this.fields.update((fields) => fields.filter((other) => other.key !== field.key));
      this.notifier.confirm(`Deleted ${field.name}`);
    } catch (error) {
      this.notifier.fail(error, 'Could not delete');
    }
  }

  private replace(saved: CustomField): void {
    this.reads.changed();
    this.fields.update((fields) => (fields.some((other) => other.key === saved.key) ? fields.map((other) => (other.key === saved.key ? saved : other)) : [...fields, saved]));
  }
}
