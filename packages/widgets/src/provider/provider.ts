import { TbProvider } from './provider.component.js';

export { TbProvider };
export default TbProvider;

if (!customElements.get('tb-provider')) customElements.define('tb-provider', TbProvider);

declare global {
  interface HTMLElementTagNameMap {
    'tb-provider': TbProvider;
  }
}
