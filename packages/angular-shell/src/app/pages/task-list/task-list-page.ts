import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, inject } from '@angular/core';
import { Router } from '@angular/router';
import type { TbTaskSelectEvent } from '@taskbase/widgets';
import '@taskbase/widgets/task-list';

/** Every task in a sortable, filterable table (tb-task-list). */
@Component({
  selector: 'tb-shell-task-list-page',
  template: `
    <header class="page-header">
      <div>
        <h1>All tasks</h1>
        <p>Filter, sort and search every task of the workspace.</p>
      </div>
    </header>
    <div class="surface-card">
      <tb-task-list (tb-task-select)="openTask($event)"></tb-task-list>
    </div>
  `,
  styles: ':host { display: block; } tb-task-list { --tb-list-max-height: calc(100dvh - 300px); }',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TaskListPage {
  private readonly router = inject(Router);

  protected openTask(event: Event): void {
    void this.router.navigate(['/tasks', (event as TbTaskSelectEvent).detail.task.id]);
  }
}
