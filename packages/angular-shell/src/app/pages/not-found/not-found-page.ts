import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'tb-shell-not-found-page',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <section class="empty-state surface-card" aria-labelledby="not-found-title">
      <mat-icon class="big" aria-hidden="true">travel_explore</mat-icon>
      <h1 id="not-found-title">Page not found</h1>
      <p class="muted">Nothing lives at this address.</p>
      <a mat-flat-button routerLink="/dashboard">Back to the dashboard</a>
    </section>
  `,
  styleUrl: './empty-state.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
