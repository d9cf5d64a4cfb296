// The public API of @taskbase/widgets. Importing it registers no tag: import
// '@taskbase/widgets/define' (all) or '@taskbase/widgets/<element>' (one) for that.
export { TbProvider } from './provider/provider.component.js';
export { TbTaskBoard } from './task-board/task-board.component.js';
export { TbTaskList } from './task-list/task-list.component.js';
export { TbTaskDetail } from './task-detail/task-detail.component.js';
export { TbComments } from './comments/comments.component.js';
export { TbNotificationBell, type BellGrouping } from './notification-bell/notification-bell.component.js';
export { TbNotificationPreferences } from './notification-preferences/notification-preferences.component.js';
export { TbAnalytics } from './analytics/analytics.component.js';
export { TbProjectPicker } from './project-picker/project-picker.component.js';
export { TbElement, type Theme } from './shared/base.js';
export { configure, type WidgetsConfig } from './shared/client.js';
export { registerLocale, setLocale, getLocale, type Strings, type StringKey } from './shared/locale.js';
export { en } from './shared/strings-en.js';
export { fr } from './shared/strings-fr.js';
export type * from './events/events.js';
// Re-exported so a page using only the CDN file can make its own client.
export { createClient } from '@taskbase/sdk';
