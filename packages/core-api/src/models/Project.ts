import type { Knex } from 'knex';
import { ProjectSnapshot as ProjectSnapshotSchema, type ProjectSnapshot, type WorkflowStatusDto } from '../schemas/projects.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/**
 * A project as stored: the fields of `ProjectSnapshot` (schemas/projects.ts)
 * with the workflow in its `workflow` column (answered as `statuses`), and
 * the counter that hands out task numbers.
 */
export type ProjectRow = Omit<StoredRow<ProjectSnapshot>, 'statuses'> & { workflow: WorkflowStatusDto[]; nextNumber: number };

/** Every column a project is read with. */
export const PROJECT_COLUMNS = [
  ...Object.keys(ProjectSnapshotSchema.properties).filter((field) => field !== 'statuses'),
  'workflow',
  'nextNumber',
] as Array<keyof ProjectRow>;

const serialize = rowSerializer<ProjectSnapshot>(ProjectSnapshotSchema);

/** The project as events and the API carry it. */
export function projectSnapshot(row: ProjectRow): ProjectSnapshot {
  return serialize({ ...row, statuses: row.workflow } as unknown as StoredRow<ProjectSnapshot>);
}

export class Project extends BaseModel {
  static override tableName = 'projects';

  /** One project of a workspace, locked for the transaction (its workflow and number counter change under this lock). */
  static lockedRow(trx: Knex.Transaction, workspaceId: number, id: number): Promise<ProjectRow | undefined> {
    return this.rows(trx).where({ workspaceId, id }).forUpdate().first(PROJECT_COLUMNS);
  }
}

/** Who belongs to a private project (and who was added to a workspace-wide one). */
export class ProjectMember extends BaseModel {
  static override tableName = 'project_members';
}

/** Keys a project had before it was renamed: old identifiers keep resolving. */
export class ProjectKeyAlias extends BaseModel {
  static override tableName = 'project_key_aliases';
}

/** Identifiers a task had before it moved to another project. */
export class TaskAlias extends BaseModel {
  static override tableName = 'task_aliases';
}

/** Who is looking at projects: a workspace role, and the projects an API key or embed token is limited to. */
export interface ProjectViewer {
  userId: number;
  workspaceId: number;
  role: string;
  /** Set for a caller limited to some projects (an API key's or embed token's `projects`). */
  projectIds?: readonly number[] | undefined;
}

/** Whether the viewer sees every project of its workspace: an admin with no project limit. */
export const seesEveryProject = (viewer: ProjectViewer): boolean => viewer.role === 'admin' && !viewer.projectIds;

/**
 * The ids of the projects a viewer may see, as a subquery: workspace-wide
 * ones and private ones they lead or are a member of (admins: all), within the
 * caller's project limit. The one SQL statement of project visibility;
 * `canSeeProject` is its JavaScript twin.
 */
export function visibleProjectIds(viewer: ProjectViewer): (this: Knex.QueryBuilder) => void {
  return function subquery(this: Knex.QueryBuilder) {
    this.from('projects').where('projects.workspace_id', viewer.workspaceId).select('projects.id');
    if (viewer.projectIds) this.whereIn('projects.id', [...viewer.projectIds]);
    if (viewer.role === 'admin') return;
    this.where((visible) =>
      visible.where('projects.visibility', 'workspace').orWhere('projects.lead_id', viewer.userId).orWhereExists(function member(this: Knex.QueryBuilder) {
        this.from('project_members').whereRaw('project_members.project_id = projects.id').where('project_members.user_id', viewer.userId).select('project_members.user_id');
      }),
    );
  };
}

/** Narrows a query to rows whose project (in `column`) the viewer may see. */
export function whereProjectVisible<Q extends Knex.QueryBuilder>(query: Q, viewer: ProjectViewer, column = 'projectId'): Q {
  if (!seesEveryProject(viewer)) query.whereIn(column, visibleProjectIds(viewer));
  return query;
}

/** What the JavaScript twin needs to know of a project: its id, and its members when private (else null). */
export interface ProjectAccess {
  projectId: number;
  privateMembers: readonly number[] | null;
}

/** `visibleProjectIds` as JavaScript, for one project. */
export function canSeeProject(viewer: ProjectViewer, project: ProjectAccess): boolean {
  if (viewer.projectIds && !viewer.projectIds.includes(project.projectId)) return false;
  if (project.privateMembers === null || viewer.role === 'admin') return true;
  return project.privateMembers.includes(viewer.userId);
}

/** SQL selecting, next to a row with a `project_id`, its project's private members (`int[]`) or null: what `canSeeProject` reads. */
export const PRIVATE_MEMBERS_SQL = (table: string) =>
  `(select array(select m.user_id::int from project_members m where m.project_id = p.id union select p.lead_id::int where p.lead_id is not null) from projects p where p.id = ${table}.project_id and p.visibility = 'private')`;
