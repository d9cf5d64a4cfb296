import type { RequestOptions } from '../core/http.js';
import { path } from '../internal/path.js';
import type { CreateReminderInput, Reminder, ReminderList } from '../types.js';
import { APIResource } from './resource.js';

/**
 * `/api/tasks/:id/reminders` (`client.tasks.reminders`): reminders for one
 * user each, sent once through their notification channels. A `beforeDue`
 * one moves with the due date and is carried to every occurrence of a
 * recurring task.
 */
export class TaskReminders extends APIResource {
  /** Your reminders on the task (managers and admins: everyone's). */
  list(taskId: number | string, options?: RequestOptions): Promise<ReminderList> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/reminders`, options });
  }

  /**
   * Sets a reminder: `{ at: '2027-03-01T08:00:00Z' }` or `{ beforeDue: 'PT1H' }`; `userId` for someone else
   * (managers and admins; a 403 otherwise). More than 10 per user and task reject with a 409 `too_many_reminders`.
   */
  create(taskId: number | string, input: CreateReminderInput, options?: RequestOptions): Promise<Reminder> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${taskId}/reminders`, body: input, options });
  }

  /** Removes a reminder (yours; managers and admins: anyone's). */
  delete(taskId: number | string, reminderId: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${taskId}/reminders/${reminderId}`, options });
  }
}
