export { TaskListPage } from './task-list-page';
