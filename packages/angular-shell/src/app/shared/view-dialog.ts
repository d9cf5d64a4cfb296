import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { CatalogApi, describeViewQuery, type SavedView, type ViewLayout } from '../core/catalog';
import { FormSubmission } from '../core/form-submission';
import { ProjectStore } from '../core/projects';
import { UserSession } from '../core/user-session';
import { ViewStore } from '../core/views';

/** What a board or list page saves: its layout, project and filters. */
export interface ViewDraft {
  layout: ViewLayout;
  projectId: number | null;
  /** The project's name, to say what is saved. */
  projectName: string | null;
  query: string;
}

/** "Save view" (a draft from a page) or "Edit view" (an existing one): name and whether the workspace sees it; closes with the view. */
export type ViewDialogData = { draft: ViewDraft; view?: undefined } | { view: SavedView; draft?: undefined };

@Component({
  selector: 'tb-shell-view-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatSlideToggleModule, ReactiveFormsModule],
  template: `
    <h2 mat-dialog-title>{{ data.view ? 'Edit view' : 'Save view' }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        @if (data.draft; as draft) {
          <p class="what" data-testid="view-summary">
            <mat-icon aria-hidden="true">{{ draft.layout === 'board' ? 'view_kanban' : 'list_alt' }}</mat-icon>
            <span>
              {{ draft.layout === 'board' ? 'Board' : 'List' }} of {{ draft.projectName ?? 'every project' }}
              @if (filters()) { <br /><span class="muted">{{ filters() }}</span> } @else { <br /><span class="muted">No filters</span> }
            </span>
          </p>
        }
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required maxlength="200" cdkFocusInitial data-testid="view-name" />
          @if (form.controls.name.invalid) { <mat-error>Give the view a name.</mat-error> }
        </mat-form-field>
        <mat-slide-toggle formControlName="shared" data-testid="view-shared">Share with the workspace</mat-slide-toggle>
        <p class="muted hint">
          {{ form.controls.shared.value ? 'Everyone in the workspace sees it in their navigation.' : 'Only you see it.' }}
          @if (form.controls.shared.value && !mayManageShared) { Only you, managers and admins can change or delete it. }
        </p>
        @if (failure(); as message) { <p class="form-error" role="alert">{{ message }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ data.view ? 'Save' : 'Save view' }}</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .what { display: flex; align-items: flex-start; gap: 10px; margin: 0 0 4px; mat-icon { flex: none; color: var(--mat-sys-on-surface-variant); } }
    .what .muted { font: var(--mat-sys-body-small); overflow-wrap: anywhere; }
    .hint { margin: -4px 0 0; font: var(--mat-sys-body-small); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ViewDialog {
  private readonly api = inject(CatalogApi);
  private readonly ref = inject<MatDialogRef<ViewDialog, SavedView>>(MatDialogRef);
  protected readonly data = inject<ViewDialogData>(MAT_DIALOG_DATA);
  protected readonly mayManageShared = inject(UserSession).role() !== 'member';
  private readonly views = inject(ViewStore);
  private readonly projects = inject(ProjectStore);
  protected readonly filters = computed(() => {
    const draft = this.data.draft;
    if (!draft) return '';
    const statuses = this.projects.projects().find((project) => project.id === draft.projectId)?.statuses;
    return describeViewQuery(draft.query, { ...this.views.names(), statuses });
  });
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.data.view?.name ?? '', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    shared: [this.data.view?.shared ?? false],
  });
  private readonly submission = new FormSubmission(this.form);
  protected readonly busy = this.submission.busy;
  protected readonly failure = this.submission.failure;

  constructor() {
    // Labels or fields made since the names were loaded are named too.
    if (this.data.draft) void this.views.loadNames(true);
  }

  protected async submit(): Promise<void> {
    const name = this.form.controls.name.value.trim();
    const shared = this.form.controls.shared.value;
    const { view, draft } = this.data;
    await this.submission.run(async () =>
      this.ref.close(
        view
          ? await this.api.updateView(view.id, { name, shared })
          : await this.api.createView({ name, shared, layout: draft.layout, projectId: draft.projectId, query: draft.query }),
      ),
    );
  }
}
