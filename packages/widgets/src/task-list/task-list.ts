import { TbTaskList } from './task-list.component.js';

export { TbTaskList };
export default TbTaskList;

if (!customElements.get('tb-task-list')) customElements.define('tb-task-list', TbTaskList);

declare global {
  interface HTMLElementTagNameMap {
    'tb-task-list': TbTaskList;
  }
}
