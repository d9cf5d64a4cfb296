import { Location } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import '@taskbase/widgets/task-detail';
import '@taskbase/widgets/comments';

/** One task (tb-task-detail) and its thread (tb-comments); `/tasks/:taskId` works as a deep link. */
@Component({
  selector: 'tb-shell-task-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './task-page.html',
  styleUrl: './task-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskPage {
  private readonly location = inject(Location);
  /** The `:taskId` route parameter. */
  readonly taskId = input.required<string>();
  protected readonly id = computed(() => {
    const id = Number(this.taskId());
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  });

  protected back(): void {
    this.location.back();
  }
}
