import { TbTaskDetail } from './task-detail.component.js';

export { TbTaskDetail };
export default TbTaskDetail;

if (!customElements.get('tb-task-detail')) customElements.define('tb-task-detail', TbTaskDetail);

declare global {
  interface HTMLElementTagNameMap {
    'tb-task-detail': TbTaskDetail;
  }
}
