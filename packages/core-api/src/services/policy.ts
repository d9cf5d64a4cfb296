import type { Caller } from '../domain/caller.js';
import { forbidden } from '../domain/errors.js';
import type { ProjectAction } from '../schemas/projects.js';

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

/** The fields of a project that decide who may do what with it. */
export interface ProjectStanding {
  leadId: number | null;
  archivedAt: Date | null;
  isDefault: boolean;
}

/**
 * The project rules. Admins and managers run every project they see; a
 * project's lead edits it, its workflow and its members; everyone who sees
 * an active project may create tasks in it. The default project is never
 * archived or deleted. A caller limited to some projects (an embed token)
 * only works with tasks.
 */
export function allowedProjectActions(caller: Caller, project: ProjectStanding): ProjectAction[] {
  const actions: ProjectAction[] = [];
  const runs = !caller.projectIds && (caller.role !== 'member' || project.leadId === caller.userId);
  if (runs) actions.push('update', 'edit_workflow', 'manage_members');
  if (runs && caller.role !== 'member' && !project.isDefault) actions.push('archive', 'delete');
  if (project.archivedAt === null) actions.push('create_task');
  return actions;
}

export function assertProjectAction(caller: Caller, project: ProjectStanding, action: ProjectAction): void {
  if (!allowedProjectActions(caller, project).includes(action)) {
    throw forbidden(action === 'create_task' ? 'This project is archived: restore it to add tasks' : `You may not ${action.replace('_', ' ')} in this project`);
  }
}

/** Who may create projects: admins and managers not limited to some projects. */
export function assertMayCreateProjects(caller: Caller): void {
  if (caller.role === 'member' || caller.projectIds) throw forbidden('Only admins and managers create projects');
}

/** Who shapes the workspace's tasks (labels, custom fields): admins and managers not limited to some projects. */
export function assertMayConfigureTasks(caller: Caller, what: string): void {
  if (caller.role === 'member' || caller.projectIds) throw forbidden(`Only admins and managers change ${what}`);
}

/** Saved views: their owner edits them; admins and managers also edit shared ones. */
export function allowedViewActions(caller: Caller, view: { ownerId: number; shared: boolean }): Array<'update' | 'delete'> {
  const may = view.ownerId === caller.userId || (view.shared && caller.role !== 'member' && !caller.projectIds);
  return may ? ['update', 'delete'] : [];
}
