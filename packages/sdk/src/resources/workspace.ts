import type { RequestOptions } from '../core/http.js';
import type { NotificationDefaults, NotificationDefaultsInput, UpdateWorkspaceInput, Workspace } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/workspace`: the caller's own workspace (renaming needs the admin role). */
export class WorkspaceResource extends APIResource {
  /** The workspace, as every user of it sees it. */
  get(options?: RequestOptions): Promise<Workspace> {
    return this.http.request({ method: 'GET', path: '/api/workspace', options });
  }

  /** Renames the workspace (admins). */
  update(input: UpdateWorkspaceInput, options?: RequestOptions): Promise<Workspace> {
    return this.http.request({ method: 'PATCH', path: '/api/workspace', body: input, options });
  }

  /** What members who chose nothing get. */
  getNotificationDefaults(options?: RequestOptions): Promise<NotificationDefaults> {
    return this.http.request({ method: 'GET', path: '/api/workspace/notification-defaults', options });
  }

  /** Admins: merged like a member's preferences; `taskUrlTemplate` (`{identifier}`, `{id}`) is where emails to embedded users link a task. */
  updateNotificationDefaults(input: NotificationDefaultsInput, options?: RequestOptions): Promise<NotificationDefaults> {
    return this.http.request({ method: 'PUT', path: '/api/workspace/notification-defaults', body: input, options });
  }
}
