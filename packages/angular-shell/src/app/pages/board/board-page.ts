import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, effect, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskOpenEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-board';
import { ProjectStore } from '../../core/projects';

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

  constructor() {
    effect(() => this.store.currentKey.set(this.key()));
    void this.store.load().catch(() => undefined);
  }

  protected openTask(event: Event): void {
    const open = event as TbTaskOpenEvent;
    open.preventDefault(); // the task page replaces the widget's own dialog
    void this.router.navigate(['/tasks', open.detail.task?.identifier ?? open.detail.taskId]);
  }
}
