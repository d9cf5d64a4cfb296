import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { isUniqueViolation } from '../domain/databaseErrors.js';
import { DomainError, conflict, fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import type { EventType } from '../schemas/eventCatalog.js';
import { Project, ProjectKeyAlias, ProjectMember, PROJECT_COLUMNS, projectSnapshot, visibleProjectIds, whereProjectVisible, type ProjectRow, type ProjectViewer } from '../models/Project.js';
import { Task } from '../models/Task.js';
import { User } from '../models/User.js';
import type { ProjectCreateInput, ProjectDto, ProjectListInput, ProjectUpdateInput, ProjectUpsertInput } from '../schemas/projects.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';
import { allowedProjectActions, assertMayCreateProjects, assertProjectAction } from './policy.js';
import { DEFAULT_WORKFLOW, checkWorkflow, withColors } from './workflow.js';
import { assertKeyFree, constraintOf, freeKey } from './projectKeys.js';

const PROJECT_STEP = 1024;

/** The stored project, for transports that hold rows (routes, GraphQL) without reaching the database. */
export type { ProjectRow };

/** The project as one caller sees it: with what they may do with it. */
export function toProjectDto(row: ProjectRow, caller: Caller): ProjectDto {
  return { ...projectSnapshot(row), can: allowedProjectActions(caller, row) };
}

/**
 * How a path or query names a project (see `ProjectRef`): an id, a key
 * (current or former), or `ext:<externalId>`.
 */
function byRef(query: Knex.QueryBuilder, ref: string | number): Knex.QueryBuilder {
  const text = String(ref);
  if (/^[0-9]+$/.test(text)) return query.where('projects.id', Number(text));
  if (text.startsWith('ext:')) return query.where('projects.externalId', text.slice(4));
  return query.where((key) =>
    key.where('projects.key', text).orWhereIn('projects.id', function alias(this: Knex.QueryBuilder) {
      this.from('project_key_aliases').where('project_key_aliases.key', text).select('project_key_aliases.project_id');
    }),
  );
}

/** Projects: containers of tasks with their own workflow, members and visibility. */
export class ProjectService {
  constructor(private readonly knex: Knex) {}

  async list(caller: Caller, input: ProjectListInput) {
    const limit = input.limit ?? 50;
    const query = whereProjectVisible(Project.rows(this.knex).where('workspaceId', caller.workspaceId), caller, 'id')
      .select(PROJECT_COLUMNS)
      .orderBy([{ column: 'position' }, { column: 'id' }])
      .limit(limit + 1);
    if (input.archived) query.whereNotNull('archivedAt');
    else query.whereNull('archivedAt');
    if (input.q?.trim()) {
      const words = `%${input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.where((match) => match.whereILike('name', words).orWhereILike('key', words));
    }
    if (input.cursor) {
      const [position, id] = decodeCursor(input.cursor, 2);
      if (typeof position !== 'number' || !Number.isSafeInteger(id)) decodeCursor('', 2);
      query.whereRaw('(position, id) > (?, ?)', [position as number, id as number]);
    }
    const rows = (await query) as ProjectRow[];
    return toPage(rows, limit, (row) => toProjectDto(row, caller), (last) => encodeCursor([last.position, last.id]));
  }

  /** A project the caller may see, by id, key or `ext:<externalId>`; 404 otherwise. */
  async get(caller: ProjectViewer, ref: string | number, db: Knex = this.knex): Promise<ProjectRow> {
    const row = await whereProjectVisible(byRef(Project.rows(db).where('projects.workspaceId', caller.workspaceId), ref), caller, 'projects.id').first(PROJECT_COLUMNS);
    if (!row) throw notFound('Project');
    return row as ProjectRow;
  }

  /** Projects the caller may see by id, in one query; unknown or hidden ids are left out (batch loaders). */
  async getMany(caller: ProjectViewer, ids: readonly number[]): Promise<ProjectRow[]> {
    if (ids.length === 0) return [];
    return (await whereProjectVisible(Project.rows(this.knex).where('workspaceId', caller.workspaceId).whereIn('id', ids), caller, 'id').select(PROJECT_COLUMNS)) as ProjectRow[];
  }

  /** The same, locked for the transaction (workflow and settings edits). */
  private async lock(trx: Knex.Transaction, caller: Caller, ref: string | number): Promise<ProjectRow> {
    const { id } = await this.get(caller, ref, trx);
    return (await Project.lockedRow(trx, caller.workspaceId, id))!;
  }

  /** Whether the viewer may see this project (a realtime `project:<id>` topic needs it). */
  async exists(viewer: ProjectViewer, id: number): Promise<boolean> {
    return (await whereProjectVisible(Project.rows(this.knex).where({ workspaceId: viewer.workspaceId, id }), viewer, 'id').first('id')) !== undefined;
  }

  /** The ids of the projects a viewer sees, in ascending order (a stable cache key). */
  async visibleIdList(viewer: ProjectViewer): Promise<number[]> {
    const rows = (await this.knex.queryBuilder().modify(function visible(this: Knex.QueryBuilder) {
      visibleProjectIds(viewer).call(this);
    })) as Array<{ id: number }>;
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  create(caller: Caller, input: ProjectCreateInput): Promise<ProjectRow> {
    assertMayCreateProjects(caller);
    return this.writing(() => this.knex.transaction((trx) => this.createIn(trx, caller, input)));
  }

  private async createIn(trx: Knex.Transaction, caller: Caller, input: ProjectCreateInput): Promise<ProjectRow> {
    const workflow = input.statuses ? checkWorkflow(withColors(input.statuses), 'statuses') : DEFAULT_WORKFLOW;
    if (input.leadId != null) await assertActiveUser(trx, caller.workspaceId, input.leadId, 'leadId');
    await assertKeyFree(trx, caller.workspaceId, input.key);
    const [row] = (await Project.rows(trx)
      .insert({
        workspaceId: caller.workspaceId,
        key: input.key,
        name: input.name.trim(),
        description: input.description ?? '',
        ...(input.color ? { color: input.color } : {}),
        visibility: input.visibility ?? 'workspace',
        externalId: input.externalId ?? null,
        leadId: input.leadId ?? null,
        workflow: JSON.stringify(workflow),
        position: input.position ?? trx.raw('(select coalesce(max(position), 0) + ? from projects where workspace_id = ?)', [PROJECT_STEP, caller.workspaceId]),
      })
      .returning(PROJECT_COLUMNS)) as ProjectRow[];
    // Whoever makes a private project can see it: they become its first member.
    if (row!.visibility === 'private') await ProjectMember.rows(trx).insert({ workspaceId: caller.workspaceId, projectId: row!.id, userId: caller.userId });
    await this.record(trx, caller, row!, 'project.created');
    return row!;
  }

  update(caller: Caller, ref: string | number, input: ProjectUpdateInput): Promise<ProjectRow> {
    return this.writing(() => this.knex.transaction((trx) => this.updateIn(trx, caller, ref, input)));
  }

  private async updateIn(trx: Knex.Transaction, caller: Caller, ref: string | number, input: ProjectUpdateInput): Promise<ProjectRow> {
    const row = await this.lock(trx, caller, ref);
    const { archived, ...fields } = input;
    if (Object.keys(fields).length > 0) assertProjectAction(caller, row, 'update');
    if (archived !== undefined) {
      if (row.isDefault) throw conflict('The default project cannot be archived', 'default_project');
      assertProjectAction(caller, row, 'archive');
    }
    if (fields.leadId != null) await assertActiveUser(trx, caller.workspaceId, fields.leadId, 'leadId');
    const patch: Record<string, unknown> = { ...fields, updatedAt: new Date() };
    if (fields.name !== undefined) patch.name = fields.name.trim();
    if (archived !== undefined) patch.archivedAt = archived ? (row.archivedAt ?? new Date()) : null;
    if (fields.key !== undefined && fields.key !== row.key) await this.rekey(trx, row, fields.key);
    const [updated] = (await Project.rows(trx).where({ workspaceId: row.workspaceId, id: row.id }).update(patch).returning(PROJECT_COLUMNS)) as ProjectRow[];
    const becameArchived = archived === true && row.archivedAt === null;
    await this.record(trx, caller, updated!, becameArchived ? 'project.archived' : 'project.updated');
    return updated!;
  }

  /**
   * A new key: the old one keeps resolving (an alias), and so does every
   * identifier its tasks had (`OLD-7` finds the task now called `NEW-7`).
   */
  private async rekey(trx: Knex.Transaction, row: ProjectRow, key: string): Promise<void> {
    await assertKeyFree(trx, row.workspaceId, key, row.id);
    await ProjectKeyAlias.rows(trx).where({ workspaceId: row.workspaceId, key }).delete();
    await ProjectKeyAlias.rows(trx).insert({ workspaceId: row.workspaceId, key: row.key, projectId: row.id }).onConflict(['workspaceId', 'key']).merge();
    await trx.raw(`update tasks set identifier = ? || '-' || number where workspace_id = ? and project_id = ?`, [key, row.workspaceId, row.id]);
  }

  /** Deletes an empty project; one that still holds tasks is archived instead. */
  async remove(caller: Caller, ref: string | number): Promise<{ outcome: 'deleted' | 'archived'; project: ProjectRow }> {
    return this.knex.transaction(async (trx) => {
      const row = await this.lock(trx, caller, ref);
      if (row.isDefault) throw conflict('The default project cannot be deleted', 'default_project');
      assertProjectAction(caller, row, 'delete');
      const holdsTasks = (await Task.rows(trx).where({ workspaceId: row.workspaceId, projectId: row.id }).first('id')) !== undefined;
      if (holdsTasks) return { outcome: 'archived', project: await this.updateIn(trx, caller, row.id, { archived: true }) };
      await Project.rows(trx).where({ workspaceId: row.workspaceId, id: row.id }).delete();
      await this.record(trx, caller, { ...row, archivedAt: row.archivedAt ?? new Date() }, 'project.archived', { deleted: true });
      return { outcome: 'deleted', project: row };
    });
  }

  /**
   * Creates or updates the project that mirrors one object of the host app:
   * what a host backend calls on first use of a customer, deal or matter.
   * Safe to repeat and to race: a concurrent create of the same externalId
   * turns into an update.
   */
  async upsertByExternalId(caller: Caller, externalId: string, input: ProjectUpsertInput): Promise<{ created: boolean; project: ProjectRow }> {
    const existing = async () => Project.rows(this.knex).where({ workspaceId: caller.workspaceId, externalId }).first('id');
    const found = await existing();
    if (found) return { created: false, project: await this.updateChanged(caller, found.id as number, input) };
    assertMayCreateProjects(caller);
    // A key made from the name can be taken meanwhile by another first use: make another, a few times.
    for (let attempt = 1; ; attempt += 1) {
      const key = input.key ?? (await freeKey(this.knex, caller.workspaceId, input.name));
      try {
        return { created: true, project: await this.knex.transaction((trx) => this.createIn(trx, caller, { ...input, key, externalId })) };
      } catch (error) {
        const raced = isUniqueViolation(error) || (error instanceof DomainError && error.code === 'project_key_taken') ? await existing() : undefined;
        if (raced) return { created: false, project: await this.updateChanged(caller, raced.id as number, input) };
        const keyTaken = error instanceof DomainError ? error.code === 'project_key_taken' : isUniqueViolation(error) && constraintOf(error) === 'projects_workspace_key';
        if (input.key === undefined && keyTaken && attempt < 5) continue;
        throw this.translate(error);
      }
    }
  }

  /** Applies the fields that differ (an upsert repeated with the same body writes nothing). */
  private async updateChanged(caller: Caller, id: number, input: ProjectUpsertInput): Promise<ProjectRow> {
    const row = await this.get(caller, id);
    const { statuses: _workflowOnCreateOnly, ...fields } = input;
    const changed = Object.fromEntries(Object.entries(fields).filter(([field, value]) => value !== undefined && value !== (row as unknown as Record<string, unknown>)[field]));
    return Object.keys(changed).length === 0 ? row : this.update(caller, id, changed);
  }


  async members(caller: Caller, ref: string | number) {
    const project = await this.get(caller, ref);
    const rows = (await ProjectMember.rows(this.knex)
      .join('users', 'users.id', 'project_members.user_id')
      .where('project_members.project_id', project.id)
      .orderBy('users.name')
      .select('users.id as userId', 'users.name', 'users.role', 'project_members.created_at as addedAt')) as Array<{ userId: number; name: string; role: string; addedAt: Date }>;
    return rows.map((row) => ({ ...row, addedAt: row.addedAt.toISOString() }));
  }

  async addMember(caller: Caller, ref: string | number, userId: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const project = await this.lock(trx, caller, ref);
      assertProjectAction(caller, project, 'manage_members');
      const user = await assertActiveUser(trx, caller.workspaceId, userId, 'userId');
      const added = await ProjectMember.rows(trx).insert({ workspaceId: caller.workspaceId, projectId: project.id, userId }).onConflict(['projectId', 'userId']).ignore().returning('userId');
      if (added.length > 0) await this.record(trx, caller, project, 'project.member_added', { user: { id: userId, name: user.name } });
    });
  }

  async removeMember(caller: Caller, ref: string | number, userId: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const project = await this.lock(trx, caller, ref);
      assertProjectAction(caller, project, 'manage_members');
      const removed = await ProjectMember.rows(trx).where({ projectId: project.id, userId }).delete().returning('userId');
      if (removed.length === 0) throw notFound('Member');
      await this.record(trx, caller, project, 'project.member_removed', { user: { id: userId } });
    });
  }

  /** The workspace's default project (where tasks created without a projectId go). */
  async defaultProject(workspaceId: number, db: Knex = this.knex): Promise<ProjectRow> {
    return (await Project.rows(db).where({ workspaceId, isDefault: true }).first(PROJECT_COLUMNS)) as ProjectRow;
  }

  /** Appends a project event (its project id set, so private projects' events stay with their members). */
  async record(trx: Knex.Transaction, caller: Caller, row: ProjectRow, type: EventType, extra: Record<string, unknown> = {}): Promise<void> {
    await appendEvent(trx, { workspaceId: row.workspaceId, actorId: caller.userId, projectId: row.id, type, payload: { project: projectSnapshot(row), ...extra } });
  }

  private async writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    if (!isUniqueViolation(error)) return error;
    if (constraintOf(error) === 'projects_workspace_external') return new DomainError(409, { code: 'external_id_taken', detail: 'Another project has this externalId', errors: [{ path: 'externalId', in: 'body', message: 'is already used by another project' }] });
    return new DomainError(409, { code: 'project_key_taken', detail: 'Another project has this key', errors: [{ path: 'key', in: 'body', message: 'is already used by another project' }] });
  }
}


/** The default project every new workspace starts with. */
export async function createDefaultProject(trx: Knex.Transaction, workspaceId: number): Promise<void> {
  await Project.rows(trx).insert({ workspaceId, key: 'GEN', name: 'General', isDefault: true, workflow: JSON.stringify(DEFAULT_WORKFLOW) });
}


async function assertActiveUser(db: Knex, workspaceId: number, userId: number, field: string): Promise<{ name: string }> {
  const user = (await User.rows(db).where({ workspaceId, id: userId }).first('active', 'name')) as { active: boolean; name: string } | undefined;
  if (!user) throw fieldError(field, 'is not a user of this workspace');
  if (!user.active) throw fieldError(field, 'is a deactivated user');
  return user;
}
