import type { Task, User } from '@taskbase/sdk';

/** The default workflow's status keys (see `DEFAULT_WORKFLOW` for a project's own). */
export const STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** Whether a task is past its due date and not closed (its status's category completed or canceled; `done` when the category is unknown). */
export function isOverdue(task: Pick<Task, 'dueDate' | 'status'> & { statusCategory?: Task['statusCategory'] }, now = Date.now()): boolean {
  const closed = task.statusCategory ? task.statusCategory === 'completed' || task.statusCategory === 'canceled' : task.status === 'done';
  return !!task.dueDate && !closed && new Date(task.dueDate).getTime() < now;
}

export { initials } from './initials.js';

/** A stable, readable avatar colour per user id (white text passes contrast on each). */
export function avatarColor(id: number): string {
  const colors = ['#3451d1', '#8a3ffc', '#b42318', '#1f7a3f', '#9a4a00', '#0e7490', '#a21caf', '#4d5b7c'];
  return colors[id % colors.length]!;
}

/** Users of a client, loaded once per client and shared by every element. */
const userCache = new WeakMap<object, Promise<Map<number, User>>>();
export function usersOf(client: { users: { list(q: { limit: number }): Promise<{ data: User[] }> } }): Promise<Map<number, User>> {
  let users = userCache.get(client);
  if (!users) {
    users = client.users.list({ limit: 100 }).then((page) => new Map(page.data.map((user) => [user.id, user])));
    users.catch(() => userCache.delete(client));
    userCache.set(client, users);
  }
  return users;
}

/** Forgets the cached users (after a user.* event). */
export function forgetUsers(client: object): void {
  userCache.delete(client);
}
