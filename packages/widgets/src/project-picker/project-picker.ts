import { TbProjectPicker } from './project-picker.component.js';

export { TbProjectPicker };
export default TbProjectPicker;

if (!customElements.get('tb-project-picker')) customElements.define('tb-project-picker', TbProjectPicker);

declare global {
  interface HTMLElementTagNameMap {
    'tb-project-picker': TbProjectPicker;
  }
}
