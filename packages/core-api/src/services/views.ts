import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { DomainError, conflict, fieldError, forbidden, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { SavedView, VIEW_COLUMNS, viewSnapshot, type SavedViewRow } from '../models/SavedView.js';
import { TaskListQuery } from '../schemas/tasks.js';
import { compileValidator } from '../schemas/validate.js';
import { MAX_VIEWS_PER_USER, type SavedViewDto, type ViewCreateInput, type ViewUpdateInput } from '../schemas/views.js';
import { allowedViewActions } from './policy.js';
import type { ProjectService } from './projects.js';

const validateListQuery = compileValidator(TaskListQuery, 'query');
/** Parameters a view does not keep: they page through a list or name another view. */
const NOT_SAVED = ['cursor', 'limit', 'view'];

export function toViewDto(row: SavedViewRow, caller: Caller): SavedViewDto {
  return { ...viewSnapshot(row), can: allowedViewActions(caller, row) };
}

/**
 * A view's query, checked as GET /api/tasks would check it, and kept in a
 * stable form. A bad filter answers 422 naming `query`.
 */
function normalizeQuery(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  for (const name of NOT_SAVED) {
    if (params.has(name)) throw fieldError('query', `keeps filters and sort only, not ${name}`);
  }
  try {
    validateListQuery(Object.fromEntries(params));
  } catch (error) {
    const detail = error instanceof DomainError ? (error.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ') : 'is not a list query';
    throw fieldError('query', `has an invalid filter: ${detail}`);
  }
  return params.toString();
}

/** Saved views: named filters and sort of the task list, private or shared with the workspace. */
export class ViewService {
  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
  ) {}

  /** Your views and the shared ones (of projects you see), in their order. */
  async list(caller: Caller, input: { project?: string }): Promise<{ data: SavedViewDto[]; nextCursor: null }> {
    const query = this.seen(caller).select(VIEW_COLUMNS).orderBy([{ column: 'position' }, { column: 'id' }]).limit(MAX_VIEWS_PER_USER * 2);
    if (input.project !== undefined) {
      const project = await this.projects.get(caller, input.project);
      query.where((scope) => scope.whereNull('projectId').orWhere('projectId', project.id));
    }
    const rows = (await query) as SavedViewRow[];
    const visible = await this.withVisibleProjects(caller, rows);
    return { data: visible.map((row) => toViewDto(row, caller)), nextCursor: null };
  }

  async get(caller: Caller, id: number): Promise<SavedViewRow> {
    const row = (await this.seen(caller).where('id', id).first(VIEW_COLUMNS)) as SavedViewRow | undefined;
    if (!row || (await this.withVisibleProjects(caller, [row])).length === 0) throw notFound('Saved view');
    return row;
  }

  async create(caller: Caller, input: ViewCreateInput): Promise<SavedViewRow> {
    const query = normalizeQuery(input.query ?? '');
    // Before the transaction: on the embedded database a query outside it would wait for its one connection.
    if (input.projectId != null) await this.assertProject(caller, input.projectId);
    return this.knex.transaction(async (trx) => {
      await trx('users').where({ id: caller.userId }).forUpdate().first('id');
      const stats = (await SavedView.rows(trx).where({ workspaceId: caller.workspaceId, ownerId: caller.userId }).count({ n: '*' }).max({ last: 'position' }).first()) as { n: string | number; last: number | null };
      if (Number(stats.n) >= MAX_VIEWS_PER_USER) throw conflict(`You own at most ${MAX_VIEWS_PER_USER} saved views`, 'too_many_views');
      const [row] = (await SavedView.rows(trx)
        .insert({
          workspaceId: caller.workspaceId,
          ownerId: caller.userId,
          projectId: input.projectId ?? null,
          name: input.name.trim(),
          query,
          layout: input.layout ?? 'list',
          shared: input.shared ?? false,
          position: input.position ?? (stats.last ?? 0) + 1024,
        })
        .returning(VIEW_COLUMNS)) as SavedViewRow[];
      if (row!.shared) await this.announce(trx, caller, 'view.created', row!);
      return row!;
    });
  }

  async update(caller: Caller, id: number, input: ViewUpdateInput): Promise<SavedViewRow> {
    if (input.projectId != null) await this.assertProject(caller, input.projectId);
    return this.knex.transaction(async (trx) => {
      const view = await this.locked(trx, caller, id);
      const patch: Record<string, unknown> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.projectId !== undefined) patch.projectId = input.projectId;
      if (input.query !== undefined) patch.query = normalizeQuery(input.query);
      if (input.layout !== undefined) patch.layout = input.layout;
      if (input.shared !== undefined) patch.shared = input.shared;
      if (input.position !== undefined) patch.position = input.position;
      const [row] = (await SavedView.rows(trx).where({ id }).update(patch).returning(VIEW_COLUMNS)) as SavedViewRow[];
      // The workspace hears of a view while it is shared: becoming shared is a creation for it, unsharing a deletion.
      if (row!.shared) await this.announce(trx, caller, view.shared ? 'view.updated' : 'view.created', row!);
      else if (view.shared) await this.announce(trx, caller, 'view.deleted', row!);
      return row!;
    });
  }

  remove(caller: Caller, id: number): Promise<void> {
    return this.knex.transaction(async (trx) => {
      const view = await this.locked(trx, caller, id);
      await SavedView.rows(trx).where({ id }).delete();
      if (view.shared) await this.announce(trx, caller, 'view.deleted', view);
    });
  }

  private seen(caller: Caller): Knex.QueryBuilder {
    return SavedView.rows(this.knex)
      .where('workspaceId', caller.workspaceId)
      .where((seen) => seen.where('shared', true).orWhere('ownerId', caller.userId));
  }

  /** Views of projects the caller cannot see are left out. */
  private async withVisibleProjects(caller: Caller, rows: SavedViewRow[]): Promise<SavedViewRow[]> {
    const projectIds = [...new Set(rows.map((row) => row.projectId).filter((id): id is number => id !== null))];
    if (projectIds.length === 0) return rows;
    const visible = new Set((await this.projects.getMany(caller, projectIds)).map((project) => project.id));
    return rows.filter((row) => row.projectId === null || visible.has(row.projectId));
  }

  private async assertProject(caller: Caller, projectId: number): Promise<void> {
    if (!(await this.projects.exists(caller, projectId))) throw fieldError('projectId', 'is not a project you can see');
  }

  private async locked(trx: Knex.Transaction, caller: Caller, id: number): Promise<SavedViewRow> {
    const row = (await SavedView.rows(trx)
      .where({ workspaceId: caller.workspaceId, id })
      .where((seen) => seen.where('shared', true).orWhere('ownerId', caller.userId))
      .forUpdate()
      .first(VIEW_COLUMNS)) as SavedViewRow | undefined;
    if (!row) throw notFound('Saved view');
    if (!allowedViewActions(caller, row).includes('update')) throw forbidden('Only its owner, or a manager or admin for a shared view, changes a saved view');
    return row;
  }

  private announce(trx: Knex.Transaction, caller: Caller, type: 'view.created' | 'view.updated' | 'view.deleted', row: SavedViewRow) {
    return appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, projectId: row.projectId, type, payload: { view: viewSnapshot(row) } });
  }
}
