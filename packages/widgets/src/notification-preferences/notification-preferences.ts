import { TbNotificationPreferences } from './notification-preferences.component.js';

export { TbNotificationPreferences };
export default TbNotificationPreferences;

if (!customElements.get('tb-notification-preferences')) customElements.define('tb-notification-preferences', TbNotificationPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'tb-notification-preferences': TbNotificationPreferences;
  }
}
