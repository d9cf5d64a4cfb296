import { TbTaskBoard } from './task-board.component.js';
import '../task-detail/task-detail.js';
import '../comments/comments.js';

export { TbTaskBoard };
export default TbTaskBoard;

if (!customElements.get('tb-task-board')) customElements.define('tb-task-board', TbTaskBoard);

declare global {
  interface HTMLElementTagNameMap {
    'tb-task-board': TbTaskBoard;
  }
}
