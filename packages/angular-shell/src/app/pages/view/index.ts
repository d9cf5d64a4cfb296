export { ViewPage } from './view-page';
