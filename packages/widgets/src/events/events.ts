import type { Notification, Project, Task, TaskStatus } from '@taskbase/sdk';
import type { NotificationPreferences } from '../shared/notification-api.js';

/** `tb-task-select`: a task was chosen in a list or on a board. */
export interface TaskSelectDetail { task: Task }
/** `tb-task-open`: the user asked to open a task (a board card; in a detail, its parent, a subtask or a linked task; a task reference in a description or comment); cancelable (preventDefault stops the built-in dialog, or keeps the detail on its task). */
export interface TaskOpenDetail { taskId: number; task?: Task; /** The identifier of a task reference clicked in Markdown (`CRM-42`). */ identifier?: string }
/** `tb-task-change`: this widget changed a task on the server (created, edited, moved, deleted: `task` is then its last state). */
export interface TaskChangeDetail { task: Task; action: 'create' | 'update' | 'move' | 'delete'; changes?: Partial<Task> }
/** `tb-task-move`: a card is about to move (cancelable: preventDefault keeps it where it was). */
export interface TaskMoveDetail { taskId: number; status: TaskStatus; afterId: number | null; beforeId: number | null }
/** `tb-task-conflict`: a save was refused because someone else changed the task (412). */
export interface TaskConflictDetail { taskId: number; mine: Partial<Task>; theirs: Task }
/** `tb-notification-click`: a notification (a group: its newest) was clicked. */
export interface NotificationClickDetail { notification: Notification; taskId: number | null }
/** `tb-preferences-change`: `<tb-notification-preferences>` saved the user's notification preferences. */
export interface PreferencesChangeDetail { preferences: NotificationPreferences }
/** `tb-comment-change`: a comment was posted, edited or deleted by this widget. */
export interface CommentChangeDetail { taskId: number; commentId: number; action: 'create' | 'update' | 'delete' }
/** `tb-project-change`: the user chose a project in `<tb-project-picker>`. */
export interface ProjectChangeDetail { project: Project }
/** `tb-error`: a call failed; the widget shows it too. */
export interface WidgetErrorDetail { error: unknown; action: string }

export type TbTaskSelectEvent = CustomEvent<TaskSelectDetail>;
export type TbTaskOpenEvent = CustomEvent<TaskOpenDetail>;
export type TbTaskChangeEvent = CustomEvent<TaskChangeDetail>;
export type TbTaskMoveEvent = CustomEvent<TaskMoveDetail>;
export type TbTaskConflictEvent = CustomEvent<TaskConflictDetail>;
export type TbNotificationClickEvent = CustomEvent<NotificationClickDetail>;
export type TbCommentChangeEvent = CustomEvent<CommentChangeDetail>;
export type TbPreferencesChangeEvent = CustomEvent<PreferencesChangeDetail>;
export type TbErrorEvent = CustomEvent<WidgetErrorDetail>;
export type TbProjectChangeEvent = CustomEvent<ProjectChangeDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'tb-task-select': TbTaskSelectEvent;
    'tb-task-open': TbTaskOpenEvent;
    'tb-task-change': TbTaskChangeEvent;
    'tb-task-move': TbTaskMoveEvent;
    'tb-task-conflict': TbTaskConflictEvent;
    'tb-notification-click': TbNotificationClickEvent;
    'tb-comment-change': TbCommentChangeEvent;
    'tb-preferences-change': TbPreferencesChangeEvent;
    'tb-error': TbErrorEvent;
    'tb-project-change': TbProjectChangeEvent;
  }
}
