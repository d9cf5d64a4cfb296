import { TbTaskBoard } from './task-board.component.js';
import { setTaskDialogLoader } from './task-dialog.js';
import { loadDialogElements } from './dialog-elements.js';

export { TbTaskBoard };
export default TbTaskBoard;

// tb-task-detail and tb-comments, for the "open a task" dialog, load lazily.
setTaskDialogLoader(loadDialogElements);

if (!customElements.get('tb-task-board')) customElements.define('tb-task-board', TbTaskBoard);

declare global {
  interface HTMLElementTagNameMap {
    'tb-task-board': TbTaskBoard;
  }
}
