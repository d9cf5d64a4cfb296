import { LiveAnnouncer } from '@angular/cdk/a11y';
import { CdkDrag, CdkDragDrop, CdkDragHandle, CdkDropList, moveItemInArray } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, computed, effect, ElementRef, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { ConflictError, NotFoundError, type Project, type StatusCategory, type WorkflowStatus } from '@taskbase/sdk';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../../core/error-message';
import { FormSubmission } from '../../core/form-submission';
import { Notifier } from '../../core/notifier';
import { CATEGORY_LABELS, PROJECT_COLORS, ProjectStore, suggestStatusKey } from '../../core/projects';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { ColorPicker } from '../../shared/color-picker';
import { MoveTasksDialog, type MoveTasksData } from './move-tasks-dialog';

const STATUS_COLORS = ['#64748b', '#2563eb', '#7c3aed', '#ca8a04', '#16a34a', '#dc2626'];

/**
 * `/p/:key/settings`: the project's name, key, description, colour and
 * visibility, and its workflow: add, rename, recolour, re-categorise, reorder
 * (drag, or Alt+↑/↓ and the move buttons) and remove statuses.
 */
@Component({
  selector: 'tb-shell-project-settings-page',
  imports: [
    CdkDropList, CdkDrag, CdkDragHandle, ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatIconModule,
    MatInputModule, MatProgressBarModule, MatSelectModule, MatTooltipModule, ColorPicker,
  ],
  templateUrl: './project-settings-page.html',
  styleUrl: './project-settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProjectSettingsPage {
  private readonly client = inject(TASKBASE_CLIENT);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly store = inject(ProjectStore);
  private readonly fb = inject(NonNullableFormBuilder);

  /** The `:key` route parameter. */
  readonly key = input.required<string>();
  protected readonly project = signal<Project | null>(null);
  protected readonly statuses = signal<WorkflowStatus[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadFailure = signal<string | null>(null);
  /** The last failure of a workflow change, shown above the list. */
  protected readonly workflowFailure = signal<string | null>(null);
  /** The status being saved (its row is disabled meanwhile). */
  protected readonly saving = signal<string | null>(null);
  protected readonly canEditWorkflow = computed(() => this.project()?.can.includes('edit_workflow') ?? false);
  protected readonly canUpdate = computed(() => this.project()?.can.includes('update') ?? false);
  protected readonly categories = Object.entries(CATEGORY_LABELS) as [StatusCategory, string][];
  protected readonly projectColors = PROJECT_COLORS;
  protected readonly statusColors = STATUS_COLORS;

  protected readonly general = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    key: ['', [Validators.required, Validators.pattern(/^[A-Z][A-Z0-9]{1,9}$/)]],
    description: [''],
    color: ['#2563eb'],
    visibility: ['workspace' as Project['visibility']],
  });
  private readonly generalSubmission = new FormSubmission(this.general);
  protected readonly generalBusy = this.generalSubmission.busy;
  protected readonly generalFailure = this.generalSubmission.failure;

  protected readonly addForm = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100), Validators.pattern(/\S/)]],
    key: ['', [Validators.required, Validators.pattern(/^[a-z][a-z0-9_]*$/), Validators.maxLength(40)]],
    category: ['unstarted' as StatusCategory],
    color: [STATUS_COLORS[1]],
  });
  private addKeyTouched = false;
  private readonly addSubmission = new FormSubmission(this.addForm);
  protected readonly addBusy = this.addSubmission.busy;
  protected readonly addFailure = this.addSubmission.failure;

  constructor() {
    effect(() => {
      const key = this.key();
      this.store.currentKey.set(key);
      void this.load(key);
    });
  }

  private async load(key: string): Promise<void> {
    this.loading.set(true);
    this.loadFailure.set(null);
    try {
      this.adopt(await this.client.projects.get(key), true);
    } catch (error) {
      this.project.set(null);
      this.loadFailure.set(error instanceof NotFoundError ? `There is no project ${key}, or you cannot see it.` : errorMessage(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** Shows the project as the API answered it. */
  private adopt(project: Project, resetGeneral = false): void {
    this.project.set(project);
    this.statuses.set(project.statuses);
    if (!resetGeneral) return;
    this.general.reset({ name: project.name, key: project.key, description: project.description, color: project.color, visibility: project.visibility });
    if (!project.can.includes('update')) this.general.disable();
    else this.general.enable();
  }

  // General settings

  protected generalKeyEdited(): void {
    const control = this.general.controls.key;
    control.setValue(control.value.toUpperCase().replace(/[^A-Z0-9]/g, ''), { emitEvent: false });
  }

  protected async saveGeneral(): Promise<void> {
    const project = this.project();
    if (!project) return;
    const { name, key, description, color, visibility } = this.general.getRawValue();
    const saved = await this.generalSubmission.run(async () => {
      const updated = await this.client.projects.update(project.id, { name: name.trim(), key, description: description.trim(), color, visibility });
      this.adopt(updated, true);
      await this.store.refresh();
      if (updated.key !== this.key()) await this.router.navigate(['/p', updated.key, 'settings'], { replaceUrl: true });
    });
    if (saved) this.notifier.confirm(`Saved ${name.trim()}`);
  }

  // Workflow

  protected addNameChanged(): void {
    if (!this.addKeyTouched) this.addForm.controls.key.setValue(suggestStatusKey(this.addForm.controls.name.value));
  }

  protected addKeyEdited(): void {
    this.addKeyTouched = this.addForm.controls.key.value !== '';
  }

  protected async addStatus(): Promise<void> {
    const project = this.project();
    if (!project) return;
    const { name, key, category, color } = this.addForm.getRawValue();
    const added = await this.addSubmission.run(async () => this.adopt(await this.client.projects.addStatus(project.id, { key, name: name.trim(), category, color })));
    if (added) {
      this.announce(`Added ${name.trim()}`);
      this.addKeyTouched = false;
      this.addForm.reset({ name: '', key: '', category, color });
    }
  }

  protected rename(status: WorkflowStatus, input: HTMLInputElement): void {
    const name = input.value.trim();
    if (!name) {
      input.value = status.name;
      this.workflowFailure.set('A status needs a name.');
      return;
    }
    if (name !== status.name) void this.change(status, { name }, `Renamed ${status.name} to ${name}`);
  }

  protected recolour(status: WorkflowStatus, color: string): void {
    if (color.toLowerCase() !== status.color.toLowerCase()) void this.change(status, { color }, `Changed the colour of ${status.name}`);
  }

  protected recategorise(status: WorkflowStatus, category: StatusCategory): void {
    void this.change(status, { category }, `${status.name} now counts as ${CATEGORY_LABELS[category]}`);
  }

  private async change(status: WorkflowStatus, input: Partial<Pick<WorkflowStatus, 'name' | 'color' | 'category'>>, done: string): Promise<void> {
    const project = this.project();
    if (!project) return;
    await this.workflowCall(status.key, async () => {
      this.adopt(await this.client.projects.updateStatus(project.id, status.key, input));
      this.announce(done);
    });
  }

  protected dropped(event: CdkDragDrop<WorkflowStatus[]>): void {
    if (event.previousIndex === event.currentIndex) return;
    void this.reorder(event.previousIndex, event.currentIndex);
  }

  /** Alt+↑ / Alt+↓ on a row's handle moves the status. */
  protected keyMove(event: KeyboardEvent, index: number): void {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    void this.move(index, event.key === 'ArrowUp' ? -1 : 1, 'handle');
  }

  protected async move(index: number, by: -1 | 1, focus: 'handle' | 'up' | 'down'): Promise<void> {
    const to = index + by;
    if (to < 0 || to >= this.statuses().length) return;
    const key = this.statuses()[index].key;
    await this.reorder(index, to);
    // Keep the focus on the moved row's control (the row moved in the DOM), or on the other arrow at an end.
    const last = this.statuses().length - 1;
    const target = focus === 'up' && to === 0 ? 'down' : focus === 'down' && to === last ? 'up' : focus;
    setTimeout(() => this.host.nativeElement.querySelector<HTMLElement>(`[data-status="${key}"] [data-focus="${target}"]`)?.focus());
  }

  private async reorder(from: number, to: number): Promise<void> {
    const project = this.project();
    if (!project) return;
    const before = this.statuses();
    const next = [...before];
    moveItemInArray(next, from, to);
    this.statuses.set(next); // at once; the API's answer confirms it
    const moved = next[to];
    await this.workflowCall(moved.key, async () => {
      try {
        this.adopt(await this.client.projects.reorderStatuses(project.id, next.map((status) => status.key)));
        this.announce(`Moved ${moved.name} to position ${to + 1} of ${next.length}`);
      } catch (error) {
        this.statuses.set(before);
        throw error;
      }
    });
  }

  protected async remove(status: WorkflowStatus): Promise<void> {
    const project = this.project();
    if (!project) return;
    await this.workflowCall(status.key, async () => {
      try {
        this.adopt(await this.client.projects.removeStatus(project.id, status.key));
        this.announce(`Removed ${status.name}`);
        this.notifier.confirm(`Removed ${status.name}`);
      } catch (error) {
        if (!(error instanceof ConflictError && error.code === 'status_in_use')) throw error;
        const targets = this.statuses().filter((s) => s.key !== status.key);
        const moveTo = await firstValueFrom(
          this.dialog
          .open<MoveTasksDialog, MoveTasksData, string>(MoveTasksDialog, { data: { removing: status, targets }, width: '480px', maxWidth: '94vw' })
          .afterClosed(),
        );
        if (!moveTo) return;
        this.adopt(await this.client.projects.removeStatus(project.id, status.key, moveTo));
        const target = targets.find((s) => s.key === moveTo)?.name ?? moveTo;
        this.announce(`Removed ${status.name}; its tasks are in ${target}`);
        this.notifier.confirm(`Removed ${status.name}; its tasks moved to ${target}`);
      }
    });
  }

  private async workflowCall(key: string, work: () => Promise<void>): Promise<void> {
    this.saving.set(key);
    this.workflowFailure.set(null);
    try {
      await work();
      void this.store.refresh().catch(() => undefined);
    } catch (error) {
      this.workflowFailure.set(errorMessage(error));
      // Show the workflow as it is on the server.
      const project = this.project();
      if (project) await this.client.projects.get(project.id).then((p) => this.adopt(p), () => undefined);
    } finally {
      this.saving.set(null);
    }
  }

  private announce(message: string): void {
    void this.announcer.announce(message, 'polite');
  }
}
