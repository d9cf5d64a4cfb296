import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, effect, ElementRef, inject, input, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskOpenEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-board';
import { elementFilters, viewQuery } from '../../core/catalog';
import { ProjectStore } from '../../core/projects';
import { ViewActions } from '../../shared/view-actions';

/** One project's board (`/p/:key/board`); opening a card goes to the task page (by identifier) through the router. */
@Component({
  selector: 'tb-shell-board-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './board-page.html',
  styleUrl: './board-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BoardPage {
  private readonly router = inject(Router);
  protected readonly store = inject(ProjectStore);
  /** The `:key` route parameter. */
  readonly key = input.required<string>();
  protected readonly project = computed(() => this.store.projects().find((project) => project.key === this.key()) ?? null);
  private readonly board = viewChild<ElementRef<HTMLElement>>('board');
  private readonly views = inject(ViewActions);

  constructor() {
    effect(() => this.store.currentKey.set(this.key()));
    void this.store.load().catch(() => undefined);
  }

  /** "Save view": this project's board with the filters its filter bar shows now. */
  protected saveView(): void {
    const project = this.project();
    if (!project) return;
    const query = viewQuery(elementFilters(this.board()?.nativeElement));
    void this.views.save({ layout: 'board', projectId: project.id, projectName: project.name, query });
  }

  protected openTask(event: Event): void {
    const open = event as TbTaskOpenEvent;
    open.preventDefault(); // the task page replaces the widget's own dialog
    void this.router.navigate(['/tasks', open.detail.task?.identifier ?? open.detail.taskId]);
  }
}
