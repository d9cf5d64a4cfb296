import { TbNotificationBell } from './notification-bell.component.js';

export { TbNotificationBell };
export default TbNotificationBell;

if (!customElements.get('tb-notification-bell')) customElements.define('tb-notification-bell', TbNotificationBell);

declare global {
  interface HTMLElementTagNameMap {
    'tb-notification-bell': TbNotificationBell;
  }
}
