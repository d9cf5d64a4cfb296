import type { Caller } from '../domain/caller.js';
import { forbidden } from '../domain/errors.js';

/** The fields of a task that decide who may do what with it. */
export interface TaskOwnership {
  createdBy: number;
  assignedTo: number | null;
}

export type TaskAction = 'update' | 'move' | 'assign' | 'delete' | 'comment';

/**
 * The task rules, in one place. Managers and admins may do anything; members
 * change tasks they created or are assigned to, delete only what they
 * created, and comment on every task of their workspace.
 */
export function allowedTaskActions(caller: Caller, task: TaskOwnership): TaskAction[] {
  if (caller.role !== 'member') return ['update', 'move', 'assign', 'delete', 'comment'];
  const involved = task.createdBy === caller.userId || task.assignedTo === caller.userId;
  const actions: TaskAction[] = [];
  if (involved) actions.push('update', 'move', 'assign');
  if (task.createdBy === caller.userId) actions.push('delete');
  actions.push('comment');
  return actions;
}

export function assertTaskAction(caller: Caller, task: TaskOwnership, action: TaskAction): void {
  if (!allowedTaskActions(caller, task).includes(action)) {
    throw forbidden(`You may not ${action} this task`);
  }
}

/** Comments: authors edit their own; authors, managers and admins delete. */
export function canEditComment(caller: Caller, comment: { userId: number }): boolean {
  return comment.userId === caller.userId;
}

export function canDeleteComment(caller: Caller, comment: { userId: number }): boolean {
  return comment.userId === caller.userId || caller.role !== 'member';
}
