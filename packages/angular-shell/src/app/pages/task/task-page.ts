import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskChangeEvent } from '@taskbase/widgets';
import { Notifier } from '../../core/notifier';
import { TaskFields } from './task-fields';
import '@taskbase/widgets/task-detail';
import '@taskbase/widgets/comments';

/**
 * One task (tb-task-detail) and its thread (tb-comments); `/tasks/:taskId` works as a deep link.
 * Deleting happens in the widget (it asks for confirmation); the page then returns to the board.
 */
@Component({
  selector: 'tb-shell-task-page',
  imports: [MatButtonModule, MatIconModule, RouterLink, TaskFields],
  templateUrl: './task-page.html',
  styleUrl: './task-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskPage {
  private readonly location = inject(Location);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  /** The `:taskId` route parameter. */
  readonly taskId = input.required<string>();
  protected readonly id = computed(() => {
    const id = Number(this.taskId());
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  });

  protected onTaskChange(event: Event): void {
    const { action, task } = (event as TbTaskChangeEvent).detail;
    if (action !== 'delete') return;
    this.notifier.confirm(`Deleted “${task.title}”`);
    void this.router.navigate(['/board']);
  }

  protected back(): void {
    this.location.back();
  }
}
