import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

/** Where the role guard sends people who asked for a page their role does not open. */
@Component({
  selector: 'tb-shell-forbidden-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <section class="empty-state surface-card" aria-labelledby="forbidden-title">
      <mat-icon class="big" aria-hidden="true">lock</mat-icon>
      <h1 id="forbidden-title">Admins only</h1>
      <p class="muted">This page is for workspace admins. Ask an admin if you need access.</p>
      <a mat-flat-button routerLink="/dashboard">Back to the dashboard</a>
    </section>
  `,
  styleUrl: '../not-found/empty-state.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForbiddenPage {}
