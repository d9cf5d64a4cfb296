export { ApiKey } from './ApiKey.js';
export { Event } from './Event.js';
export { Notification } from './Notification.js';
export { RefreshToken } from './RefreshToken.js';
export { Task } from './Task.js';
export { TASK_PRIORITIES, TASK_STATUSES, type TaskPriority, type TaskStatus } from '../schemas/tasks.js';
export { TaskComment } from './TaskComment.js';
export { User } from './User.js';
export { Workspace } from './Workspace.js';
