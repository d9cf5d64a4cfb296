import { ChangeDetectionStrategy, Component, computed, CUSTOM_ELEMENTS_SCHEMA, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Router, RouterLink } from '@angular/router';
import type { TbTaskSelectEvent } from '@taskbase/widgets';
import '@taskbase/widgets/analytics';
import '@taskbase/widgets/task-list';
import { taskRef } from '../../core/projects';
import { UserSession } from '../../core/user-session';

/** The workspace at a glance (tb-analytics) and the signed-in person's open tasks. */
@Component({
  selector: 'tb-shell-dashboard-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  private readonly router = inject(Router);
  protected readonly session = inject(UserSession);
  protected readonly firstName = computed(() => this.session.user()?.name.split(/\s+/)[0] ?? '');

  protected openTask(event: Event): void {
    void this.router.navigate(['/tasks', taskRef((event as TbTaskSelectEvent).detail.task)]);
  }
}
