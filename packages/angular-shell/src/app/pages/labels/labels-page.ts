import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { CatalogApi, projectNames, textOn, type Label } from '../../core/catalog';
import { errorMessage } from '../../core/error-message';
import { Notifier } from '../../core/notifier';
import { ProjectStore } from '../../core/projects';
import { reloadOnSettingEvents } from '../../core/follow-settings';
import { UserSession } from '../../core/user-session';
import { askToConfirm } from '../../shared/confirm-dialog';
import { LabelDialog } from './label-dialog';
import { ReadGuard } from '../../core/read-guard';

/** The workspace's labels (`/settings/labels`): everyone reads them; managers and admins create, edit and delete. */
@Component({
  selector: 'tb-shell-labels-page',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatProgressBarModule, MatTooltipModule],
  templateUrl: './labels-page.html',
  styleUrl: './labels-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LabelsPage {
  private readonly api = inject(CatalogApi);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly session = inject(UserSession);
  protected readonly projects = inject(ProjectStore);

  protected readonly labels = signal<Label[]>([]);
  protected readonly loading = signal(true);
  /** The list's reads, kept in order against the changes made here. */
  private readonly reads = new ReadGuard();
  protected readonly failure = signal<string | null>(null);
  protected readonly query = signal('');
  protected readonly canEdit = computed(() => this.session.role() === 'admin' || this.session.role() === 'manager');
  protected readonly shown = computed(() => {
    const q = this.query().trim().toLocaleLowerCase();
    const labels = [...this.labels()].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
    return q ? labels.filter((label) => `${label.name} ${label.description}`.toLocaleLowerCase().includes(q)) : labels;
  });
  protected readonly textOn = textOn;

  constructor() {
    void this.load();
    // Changes made elsewhere (another manager, the API) show without a reload.
    reloadOnSettingEvents('label.', () => void this.load(true));
    void this.projects.load().catch(() => undefined);
  }

  protected scope(label: Label): string {
    return projectNames(label.projectIds, this.projects.projects());
  }

  protected async load(quiet = false): Promise<void> {
    if (!quiet) this.loading.set(true);
    this.failure.set(null);
    try {
      const labels = await this.reads.read(() => this.api.labels());
      if (labels) this.labels.set(labels);
    } catch (error) {
      this.failure.set(errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected edit(label?: Label): void {
    this.dialog
      .open<LabelDialog, Label | null, Label>(LabelDialog, { data: label ?? null, width: '520px', maxWidth: '94vw' })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.notifier.confirm(label ? `Saved ${saved.name}` : `Created ${saved.name}`);
        this.reads.changed();
        this.labels.update((labels) => (label ? labels.map((other) => (other.id === saved.id ? saved : other)) : [...labels, saved]));
      });
  }

  protected async remove(label: Label): Promise<void> {
    if (!(await askToConfirm(this.dialog, {
      title: `Delete the label “${label.name}”?`,
      message: 'It is removed from every task that carries it. This cannot be undone.',
      action: 'Delete label',
      danger: true,
    }))) return;
    try {
      await this.api.deleteLabel(label.id);
      this.reads.changed();
      this.labels.update((labels) => labels.filter((other) => other.id !== label.id));
      this.notifier.confirm(`Deleted ${label.name}`);
    } catch (error) {
      this.notifier.fail(error, 'Could not delete');
    }
  }
}
