import { TbComments } from './comments.component.js';

export { TbComments };
export default TbComments;

if (!customElements.get('tb-comments')) customElements.define('tb-comments', TbComments);

declare global {
  interface HTMLElementTagNameMap {
    'tb-comments': TbComments;
  }
}
