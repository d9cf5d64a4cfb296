import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { notFound } from '../domain/errors.js';
import { whereProjectVisible } from '../models/Project.js';
import { Task } from '../models/Task.js';

/** What the rules about a task's comments, files and reactions need of it. */
export interface VisibleTask {
  id: number;
  title: string;
  projectId: number;
  createdBy: number;
  assignedTo: number | null;
}

/** A task of the caller's workspace in a project they may see, or 404 (another workspace's ids answer the same). */
export async function findVisibleTask(db: Knex, caller: Caller, taskId: number): Promise<VisibleTask> {
  const task = await whereProjectVisible(Task.rows(db).where({ workspaceId: caller.workspaceId, id: taskId }), caller).first('id', 'title', 'projectId', 'createdBy', 'assignedTo');
  if (!task) throw notFound('Task');
  return task as VisibleTask;
}
