import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskOpenEvent, TbTaskSelectEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-board';
import '@taskbase/widgets/task-list';
import { describeViewQuery } from '../../core/catalog';
import { errorMessage } from '../../core/error-message';
import { ProjectStore } from '../../core/projects';
import { ViewStore } from '../../core/views';
import { ViewActions } from '../../shared/view-actions';

/**
 * A saved view (`/views/:id`) in its layout: tb-task-board or tb-task-list
 * with `view` set (the element applies the view's filters and sort, under
 * what its own filter bar adds) and the view's project.
 */
@Component({
  selector: 'tb-shell-view-page',
  imports: [MatButtonModule, MatIconModule, MatMenuModule, MatProgressBarModule, RouterLink],
  templateUrl: './view-page.html',
  styleUrl: './view-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ViewPage {
  private readonly router = inject(Router);
  protected readonly views = inject(ViewStore);
  protected readonly projects = inject(ProjectStore);
  protected readonly actions = inject(ViewActions);
  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly failure = signal<string | null>(null);
  /** Looking the view up again before saying it does not exist. */
  protected readonly checking = signal(false);
  protected readonly view = computed(() => this.views.views().find((view) => String(view.id) === this.id()) ?? null);
  /** The view's project, once the projects are known (null: a view of every project, or one you cannot see). */
  protected readonly project = computed(() => {
    const id = this.view()?.projectId;
    return id == null ? null : (this.projects.projects().find((project) => project.id === id) ?? null);
  });
  /** A view of a project that is not among the visible, active ones. */
  protected readonly projectMissing = computed(() => this.view()?.projectId != null && this.projects.loaded() && !this.project());
  /** The view once everything its element needs is known (rendered once per view: the element's own filter bar starts afresh). */
  protected readonly shown = computed(() => {
    const view = this.view();
    if (!view || (view.projectId != null && !this.projects.loaded()) || this.projectMissing()) return [];
    return [{ view, project: this.project()?.key ?? null }];
  });
  protected readonly summary = computed(() => {
    const view = this.view();
    if (!view) return '';
    const statuses = this.project()?.statuses ?? this.projects.projects().flatMap((project) => project.statuses);
    return describeViewQuery(view.query, { ...this.views.names(), statuses });
  });

  constructor() {
    void this.projects.load().catch(() => undefined);
    void this.views.loadNames();
    this.views.load().catch((error: unknown) => this.failure.set(errorMessage(error)));
    // A view saved elsewhere since the list was loaded (shared by someone else, say) is looked up once more.
    const lookedUp = new Set<string>();
    effect(() => {
      const id = this.id();
      if (!this.views.loaded() || this.view() || lookedUp.has(id)) return;
      lookedUp.add(id);
      this.checking.set(true);
      void this.views
        .refresh()
        .catch(() => undefined)
        .finally(() => this.checking.set(false));
    });
    effect(() => {
      const key = this.project()?.key;
      if (key) this.projects.currentKey.set(key);
    });
  }

  protected retry(): void {
    this.failure.set(null);
    this.views.refresh().catch((error: unknown) => this.failure.set(errorMessage(error)));
  }

  protected openCard(event: Event): void {
    const open = event as TbTaskOpenEvent;
    open.preventDefault(); // the task page replaces the widget's own dialog
    void this.router.navigate(['/tasks', open.detail.task?.identifier ?? open.detail.taskId]);
  }

  protected openRow(event: Event): void {
    const { task } = (event as TbTaskSelectEvent).detail;
    void this.router.navigate(['/tasks', task.identifier ?? task.id]);
  }
}
