import type { Knex } from 'knex';
import type { Role } from '../domain/caller.js';
import { User } from '../models/User.js';

export interface UserStatus {
  role: Role;
  active: boolean;
  name: string;
  /** Access tokens issued before this are refused. */
  sessionsValidAfter: Date | null;
}

const TTL_MS = 5_000;

/**
 * What authentication needs to know about a user on every request, cached
 * for a few seconds. Changes made through this process invalidate at once;
 * changes made elsewhere arrive as `user.*` events on the bus (see
 * server.ts), so "deactivated" means stopped within the bus's latency, and
 * within the TTL at the very worst.
 */
export class UserStatusCache {
  private readonly entries = new Map<number, { workspaceId: number; status: UserStatus | undefined; expires: number }>();

  constructor(private readonly knex: Knex) {}

  async get(userId: number, workspaceId: number): Promise<UserStatus | undefined> {
    const cached = this.entries.get(userId);
    if (cached && cached.workspaceId === workspaceId && cached.expires > Date.now()) return cached.status;
    const status = (await User.rows(this.knex).where({ id: userId, workspaceId }).first('role', 'active', 'name', 'sessionsValidAfter')) as UserStatus | undefined;
    if (this.entries.size > 50_000) this.entries.clear();
    this.entries.set(userId, { workspaceId, status, expires: Date.now() + TTL_MS });
    return status;
  }

  invalidate(userId: number): void {
    this.entries.delete(userId);
  }
}
