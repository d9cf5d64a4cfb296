import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, inject } from '@angular/core';
import { Router } from '@angular/router';
import type { TbTaskOpenEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-board';

/** The board widget; opening a card goes to the task page through the router. */
@Component({
  selector: 'tb-shell-board-page',
  templateUrl: './board-page.html',
  styleUrl: './board-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BoardPage {
  private readonly router = inject(Router);

  protected openTask(event: Event): void {
    const open = event as TbTaskOpenEvent;
    open.preventDefault(); // the task page replaces the widget's own dialog
    void this.router.navigate(['/tasks', open.detail.taskId]);
  }
}
