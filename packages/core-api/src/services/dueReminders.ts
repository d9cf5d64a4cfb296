import type { Knex } from 'knex';
import { notify } from './notify.js';
import { every } from './periodic.js';
import { Task } from '../models/Task.js';

interface DueTask {
  id: number;
  workspaceId: number;
  title: string;
  dueDate: Date;
  recipient: number;
}

/**
 * The periodic job behind "due soon" and "overdue" notifications. Each
 * (task, deadline, kind) notifies at most once: the notification's dedupe
 * key is unique, so runs that overlap, in one process or many, cannot
 * notify twice, and moving the deadline makes a new one due.
 */
export class DueReminders {
  constructor(
    private readonly knex: Knex,
    private readonly dueSoonHours = 24,
  ) {}

  /** Returns how many notifications this run created. */
  async run(now = new Date()): Promise<number> {
    const soon = new Date(now.getTime() + this.dueSoonHours * 3_600_000);
    const tasks = (await Task.rows(this.knex)
      .whereNotIn('statusCategory', ['completed', 'canceled'])
      .whereNotNull('dueDate')
      .where('dueDate', '<', soon)
      // Deadlines long gone were reminded of already or are no longer news.
      .where('dueDate', '>', new Date(now.getTime() - 7 * 86_400_000))
      .select('id', 'workspaceId', 'title', 'dueDate', this.knex.raw('coalesce(assigned_to, created_by) as recipient'))) as DueTask[];
    let created = 0;
    for (const task of tasks) {
      const overdue = task.dueDate.getTime() < now.getTime();
      const type = overdue ? 'task.overdue' : 'task.due_soon';
      const ids = await this.knex.transaction((trx) =>
        notify(trx, {
          workspaceId: task.workspaceId,
          recipients: [task.recipient],
          actorId: null,
          taskId: task.id,
          type,
          message: overdue ? `"${task.title}" is overdue` : `"${task.title}" is due soon`,
          dedupeKey: `${type}:${task.id}:${task.dueDate.getTime()}`,
        }),
      );
      created += ids.length;
    }
    return created;
  }

  /** Runs every `intervalMs` until the returned function is called. */
  schedule(intervalMs: number, onError: (error: unknown) => void, onRun: () => void = () => {}): () => void {
    return every(intervalMs, () => this.run(), onError, onRun);
  }
}
