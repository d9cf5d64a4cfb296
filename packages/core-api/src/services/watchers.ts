import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { fieldError, forbidden } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { TaskWatcher } from '../models/TaskRelation.js';
import type { WatcherDto } from '../schemas/watchers.js';
import type { TaskService } from './tasks.js';
import { checkAssignee } from './taskSlots.js';

/**
 * Makes users watchers of a task (those already watching stay as they
 * were). Answers the ones newly added. Used when someone creates, is assigned,
 * comments or is mentioned.
 */
export async function watch(trx: Knex, workspaceId: number, taskId: number, userIds: Iterable<number | null | undefined>): Promise<number[]> {
  const query = watchQuery(trx, workspaceId, taskId, userIds);
  if (!query) return [];
  const rows = (await query.returning('userId')) as Array<{ userId: number }>;
  return rows.map((row) => Number(row.userId));
}

/** The insert `watch` runs, not run: for a write that sends it with others in one statement (appendEvents). */
export function watchQuery(db: Knex, workspaceId: number, taskId: number, userIds: Iterable<number | null | undefined>): Knex.QueryBuilder | undefined {
  const ids = [...new Set(userIds)].filter((id): id is number => typeof id === 'number');
  if (ids.length === 0) return undefined;
  return TaskWatcher.rows(db)
    .insert(ids.map((userId) => ({ workspaceId, taskId, userId })))
    .onConflict(['taskId', 'userId'])
    .ignore();
}

/** Who watches a task: the recipients of its changes' notifications. */
export async function watcherIds(db: Knex, taskId: number): Promise<number[]> {
  // Not pluck: it reads the column by its database name, before the rows are mapped to camelCase.
  const rows = (await TaskWatcher.rows(db).where('taskId', taskId).select('userId')) as Array<{ userId: number }>;
  return rows.map((row) => Number(row.userId));
}

/** GET/POST/DELETE /api/tasks/{id}/watchers. */
export class WatcherService {
  constructor(
    private readonly knex: Knex,
    private readonly tasks: TaskService,
  ) {}

  async list(caller: Caller, taskRef: number | string): Promise<{ data: WatcherDto[]; watching: boolean }> {
    const task = await this.tasks.get(caller, taskRef);
    return this.read(this.knex, caller, task.id);
  }

  /** Adds yourself, or (managers and admins) anyone who may see the task. */
  add(caller: Caller, taskRef: number | string, userId = caller.userId) {
    return this.change(caller, taskRef, userId, 'task.watcher_added');
  }

  /** Removes yourself, or (managers and admins) anyone. */
  remove(caller: Caller, taskRef: number | string, userId: number | 'me') {
    return this.change(caller, taskRef, userId === 'me' ? caller.userId : userId, 'task.watcher_removed');
  }

  private async change(caller: Caller, taskRef: number | string, userId: number, type: 'task.watcher_added' | 'task.watcher_removed') {
    const task = await this.tasks.get(caller, taskRef);
    if (userId !== caller.userId && (caller.role === 'member' || caller.projectIds)) throw forbidden('Only managers and admins add or remove other watchers');
    return this.knex.transaction(async (trx) => {
      let changed: boolean;
      if (type === 'task.watcher_added') {
        if (userId !== caller.userId) await checkAssignee(trx, caller.workspaceId, task.projectId, userId).catch(() => {
          throw fieldError('userId', 'is not an active user who can see this task');
        });
        changed = (await watch(trx, caller.workspaceId, task.id, [userId])).length > 0;
      } else {
        changed = (await TaskWatcher.rows(trx).where({ taskId: task.id, userId }).delete().returning('userId')).length > 0;
      }
      if (changed) {
        const user = (await trx('users').where({ workspaceId: caller.workspaceId, id: userId }).first('id', 'name')) as { id: number; name: string };
        await appendEvent(trx, {
          workspaceId: caller.workspaceId,
          actorId: caller.userId,
          taskId: task.id,
          projectId: task.projectId,
          type,
          payload: { task: { id: task.id, title: task.title }, user: { id: Number(user.id), name: user.name } },
        });
      }
      return this.read(trx, caller, task.id);
    });
  }

  private async read(db: Knex, caller: Caller, taskId: number): Promise<{ data: WatcherDto[]; watching: boolean }> {
    const rows = (await TaskWatcher.rows(db)
      .join('users', 'users.id', 'task_watchers.user_id')
      .where('task_watchers.task_id', taskId)
      .orderBy('task_watchers.created_at')
      .orderBy('task_watchers.user_id')
      .select('task_watchers.user_id as userId', 'users.name', 'task_watchers.created_at as createdAt')) as Array<{ userId: number; name: string; createdAt: Date }>;
    const data = rows.map((row) => ({ userId: Number(row.userId), name: row.name, createdAt: row.createdAt.toISOString() }));
    return { data, watching: data.some((watcher) => watcher.userId === caller.userId) };
  }
}
