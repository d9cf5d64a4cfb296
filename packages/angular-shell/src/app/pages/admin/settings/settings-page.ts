import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { UserSession } from '../../../core/user-session';

/** The workspace's settings. The API has no rename route yet, so the name is read-only. */
@Component({
  selector: 'tb-shell-settings-page',
  imports: [MatFormFieldModule, MatInputModule, MatIconModule, DatePipe],
  template: `
    <header class="page-header">
      <div>
        <h1>Workspace settings</h1>
        <p>The basics of {{ session.workspace()?.name }}.</p>
      </div>
    </header>
    <section class="surface-card settings" aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <mat-form-field appearance="outline">
        <mat-label>Workspace name</mat-label>
        <input matInput [value]="session.workspace()?.name ?? ''" readonly data-testid="workspace-name-field" />
        <mat-hint>Read-only: the API has no route to rename a workspace yet.</mat-hint>
      </mat-form-field>
      <dl>
        <dt>Workspace id</dt><dd class="mono">{{ session.workspace()?.id }}</dd>
        <dt>Created</dt><dd>{{ session.workspace()?.createdAt | date: 'longDate' }}</dd>
        <dt>Your role</dt><dd>{{ session.role() }}</dd>
      </dl>
      <p class="note"><mat-icon aria-hidden="true">info</mat-icon>
        Renaming will appear here once core-api offers it.</p>
    </section>
  `,
  styles: `
    .settings { display: grid; gap: 12px; max-width: 640px; }
    h2 { font: var(--mat-sys-title-medium); margin: 0 0 8px; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 8px 24px; margin: 8px 0 0; }
    dt { color: var(--mat-sys-on-surface-variant); }
    dd { margin: 0; text-transform: none; }
    .note { display: flex; gap: 8px; align-items: center; margin: 8px 0 0; color: var(--mat-sys-on-surface-variant); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  protected readonly session = inject(UserSession);
}
