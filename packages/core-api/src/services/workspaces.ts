import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { Workspace } from '../models/Workspace.js';
import { toWorkspaceDto } from './dto.js';
import { appendEvent } from '../events/append.js';

/** The caller's own workspace: every query is by the caller's workspace id, never one from the request. */
export class WorkspaceService {
  constructor(private readonly knex: Knex) {}

  async get(caller: Caller): Promise<ReturnType<typeof toWorkspaceDto>> {
    return toWorkspaceDto(await Workspace.query(this.knex).findById(caller.workspaceId).throwIfNotFound());
  }

  /** Renames the workspace (admins, enforced by the route), recording `workspace.updated`; the same name changes nothing. */
  rename(caller: Caller, name: string): Promise<ReturnType<typeof toWorkspaceDto>> {
    return this.knex.transaction(async (trx) => {
      const before = await Workspace.query(trx).findById(caller.workspaceId).forUpdate().throwIfNotFound();
      const next = name.trim();
      if (next === before.name) return toWorkspaceDto(before);
      const after = await Workspace.query(trx).patchAndFetchById(caller.workspaceId, { name: next, updatedAt: new Date() });
      const workspace = toWorkspaceDto(after);
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        type: 'workspace.updated',
        actorId: caller.userId,
        payload: { workspace, changes: { name: { from: before.name, to: next } } },
      });
      return workspace;
    });
  }
}
