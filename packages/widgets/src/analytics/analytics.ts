import { TbAnalytics } from './analytics.component.js';

export { TbAnalytics };
export default TbAnalytics;

if (!customElements.get('tb-analytics')) customElements.define('tb-analytics', TbAnalytics);

declare global {
  interface HTMLElementTagNameMap {
    'tb-analytics': TbAnalytics;
  }
}
