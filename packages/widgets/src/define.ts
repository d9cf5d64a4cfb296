// Registers every tb-* element (what the CDN file does).
import './provider/provider.js';
import './task-board/task-board.js';
import './task-list/task-list.js';
import './task-detail/task-detail.js';
import './comments/comments.js';
import './notification-bell/notification-bell.js';
import './notification-preferences/notification-preferences.js';
import './analytics/analytics.js';
import './project-picker/project-picker.js';

export * from './index.js';
