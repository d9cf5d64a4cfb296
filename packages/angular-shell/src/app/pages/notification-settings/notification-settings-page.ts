import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import '@taskbase/widgets/notification-preferences';

/**
 * The signed-in person's notification settings: what arrives in the app and by
 * email, the email digest and their timezone — the embeddable preference
 * center (tb-notification-preferences), which saves each change itself.
 */
@Component({
  selector: 'tb-shell-notification-settings-page',
  template: `
    <header class="page-header">
      <div>
        <h1>Notifications</h1>
        <p>Choose what reaches you in Taskbase and by email, and when.</p>
      </div>
    </header>
    <tb-notification-preferences class="surface-card" heading-level="2" hide-heading data-testid="notification-preferences"></tb-notification-preferences>
  `,
  styles: `
    tb-notification-preferences { max-width: 760px; padding: 12px 20px 20px; }
  `,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationSettingsPage {}
