export { TaskPage } from './task-page';
