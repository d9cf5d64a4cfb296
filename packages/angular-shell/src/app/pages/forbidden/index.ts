export { ForbiddenPage } from './forbidden-page';
