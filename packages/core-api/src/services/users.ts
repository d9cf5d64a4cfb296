import type { Knex } from 'knex';
import type { Caller, Role } from '../domain/caller.js';
import { isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, conflict, notFound } from '../domain/errors.js';
import { RefreshToken, User } from '../models/index.js';
import { randomSecret, type Passwords } from './crypto.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';
import { toUserDto } from './dto.js';
import { appendEvent } from '../events/append.js';
import type { UserStatusCache } from './userStatus.js';
import { Workspace } from '../models/Workspace.js';

export interface UserListQuery {
  q?: string;
  role?: Role;
  active?: boolean;
  limit?: number;
  cursor?: string;
}

/** The workspace's people: listing for everyone, management for admins. */
export class UserService {
  constructor(
    private readonly knex: Knex,
    private readonly passwords: Passwords,
    private readonly status: UserStatusCache,
  ) {}

  async list(caller: Caller, query: UserListQuery) {
    const limit = query.limit ?? 100;
    const builder = User.query(this.knex).where('workspaceId', caller.workspaceId).orderBy('id').limit(limit + 1);
    if (query.role) builder.where('role', query.role);
    if (query.active !== undefined) builder.where('active', query.active);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      builder.where((w) => w.whereILike('name', pattern).orWhereILike('email', pattern));
    }
    if (query.cursor) builder.where('id', '>', decodeIdCursor(query.cursor));
    const rows = await builder;
    return toPage(rows, limit, toUserDto, (last) => idCursor(last.id));
  }

  async get(caller: Caller, id: number) {
    return toUserDto(await this.find(this.knex, caller.workspaceId, id));
  }

  /** Users of the caller's workspace by id, in one query; unknown ids are left out (batch loaders). */
  async getMany(caller: Caller, ids: readonly number[]) {
    if (ids.length === 0) return [];
    // Plain rows, no model instances: this runs on every GraphQL page that shows people.
    const rows = (await User.rows(this.knex)
      .where('workspaceId', caller.workspaceId)
      .whereIn('id', ids)
      .select('id', 'workspaceId', 'name', 'email', 'role', 'active', 'externalId', 'timezone', 'createdAt', 'updatedAt')) as User[];
    return rows.map(toUserDto);
  }

  async create(caller: Caller, input: { name: string; email: string; role: Role; password?: string }) {
    const temporaryPassword = input.password === undefined ? randomSecret(12) : undefined;
    const passwordHash = await this.passwords.hash(input.password ?? temporaryPassword!);
    try {
      const user = await this.knex.transaction(async (trx) => {
        const created = await User.query(trx).insertAndFetch({
          workspaceId: caller.workspaceId,
          name: input.name.trim(),
          email: input.email.trim().toLowerCase(),
          passwordHash,
          role: input.role,
        });
        await appendEvent(trx, {
          workspaceId: caller.workspaceId,
          type: 'user.created',
          actorId: caller.userId,
          payload: { user: toUserDto(created) },
        });
        return created;
      });
      return { user: toUserDto(user), ...(temporaryPassword ? { temporaryPassword } : {}) };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(409, {
          code: 'email_taken',
          detail: 'A user with this email already exists',
          errors: [{ path: 'email', in: 'body', message: 'is already in use' }],
        });
      }
      throw error;
    }
  }

  /**
   * Changes a user's name, role or active flag. The workspace row is locked
   * so that two admins demoting each other cannot leave the workspace with none.
   */
  async update(caller: Caller, id: number, input: { name?: string; role?: Role; active?: boolean }) {
    const user = await this.knex.transaction(async (trx) => {
      // NO KEY UPDATE: serializes admin changes without blocking inserts that reference the workspace.
      await Workspace.rows(trx).where('id', caller.workspaceId).forNoKeyUpdate().select('id');
      const target = await this.find(trx, caller.workspaceId, id);
      const losesAdmin =
        target.role === 'admin' && target.active && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
      if (losesAdmin) {
        const others = await User.query(trx)
          .where({ workspaceId: caller.workspaceId, role: 'admin', active: true })
          .whereNot('id', id)
          .resultSize();
        if (others === 0) throw conflict('The last admin of a workspace cannot be demoted or deactivated', 'last_admin');
      }
      const patch: Partial<User> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.role !== undefined) patch.role = input.role;
      if (input.active !== undefined) patch.active = input.active;
      const updated = await User.query(trx)
        .patchAndFetchById(id, patch)
        .where('workspaceId', caller.workspaceId);
      if (input.active === false) {
        await RefreshToken.query(trx)
          .patch({ revokedAt: new Date() })
          .where({ workspaceId: caller.workspaceId, userId: id })
          .whereNull('revokedAt');
      }
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        type: input.active === false ? 'user.deactivated' : 'user.updated',
        actorId: caller.userId,
        payload: { user: toUserDto(updated) },
      });
      return updated;
    });
    this.status.invalidate(id);
    return toUserDto(user);
  }

  private async find(trx: Knex, workspaceId: number, id: number): Promise<User> {
    const user = await User.query(trx).where({ id, workspaceId }).first();
    if (!user) throw notFound('User');
    return user;
  }
}
