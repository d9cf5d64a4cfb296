import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { conflict, fieldError } from '../domain/errors.js';
import { Project, visibleProjectIds, type ProjectRow } from '../models/Project.js';
import type { WorkflowStatusDto } from '../schemas/projects.js';

/**
 * A place for a new task (or one moving in): its project, the number it
 * takes there, and whether the assignee may work in that project.
 */
export interface Slot {
  project: Pick<ProjectRow, 'id' | 'key' | 'workflow' | 'archivedAt' | 'visibility'>;
  number: number;
  /** The assignee asked for: undefined when none; null when not a user of the workspace. */
  assignee?: { active: boolean; seesProject: boolean } | null;
}

/**
 * Takes the next number of the task's project, in one statement that also
 * checks the caller sees the project and looks up the assignee.
 *
 * Run on the app's knex (not a transaction) it commits at once, so creates
 * in one project never queue behind each other's transactions; a create
 * that then fails leaves a gap in the numbers, as Jira and Linear do. A
 * move between projects runs it inside its transaction.
 */
export async function takeSlot(db: Knex, caller: Caller, projectId: number | undefined, assigneeId: number | null | undefined): Promise<Slot> {
  const target = projectId ?? soleProject(caller);
  const update = Project.rows(db)
    .where('projects.workspaceId', caller.workspaceId)
    .whereIn('projects.id', visibleProjectIds(caller))
    .update({ nextNumber: db.raw('next_number + 1') })
    .returning(['id', 'key', 'workflow', 'archivedAt', 'visibility', 'leadId', db.raw('next_number - 1 as number')]);
  if (target === undefined) update.where('projects.isDefault', true);
  else update.where('projects.id', target);
  const rows = (await db
    .with('p', update)
    .from('p')
    .leftJoin('users as u', (join) => join.on('u.workspace_id', '=', db.raw('?', [caller.workspaceId])).andOn('u.id', '=', db.raw('?', [assigneeId ?? 0])))
    .select(
      'p.*',
      'u.active as assigneeActive',
      db.raw(`(u.role = 'admin' or p.visibility = 'workspace' or p.lead_id = u.id or exists (select 1 from project_members m where m.project_id = p.id and m.user_id = u.id)) as assignee_sees`),
    )) as Array<{ id: number; key: string; workflow: WorkflowStatusDto[]; archivedAt: Date | null; visibility: 'workspace' | 'private'; leadId: number | null; number: number; assigneeActive: boolean | null; assigneeSees: boolean | null }>;
  const row = rows[0];
  if (!row) throw fieldError('projectId', target === undefined ? 'is required: the default project is not open to you' : 'is not a project you can see');
  if (row.archivedAt !== null) throw conflict(`Project ${row.key} is archived: restore it to add tasks`, 'project_archived');
  const { number, assigneeActive, assigneeSees, leadId: _lead, ...project } = row;
  return {
    project,
    number,
    ...(assigneeId == null ? {} : { assignee: assigneeActive === null ? null : { active: assigneeActive, seesProject: assigneeSees === true } }),
  };
}

/** A caller limited to one project creates there by default. */
function soleProject(caller: Caller): number | undefined {
  return caller.projectIds?.length === 1 ? caller.projectIds[0] : undefined;
}

/** The assignee rules on a slot: a user of the workspace, active, who sees the project. */
export function assertAssignee(slot: Slot): void {
  if (slot.assignee === undefined) return;
  if (slot.assignee === null) throw fieldError('assignedTo', 'is not a user of this workspace');
  if (!slot.assignee.active) throw fieldError('assignedTo', 'is a deactivated user');
  if (!slot.assignee.seesProject) throw fieldError('assignedTo', `is not a member of the private project ${slot.project.key}`);
}

/** The assignee rules for a task already in `projectId` (an update that assigns). */
export async function checkAssignee(db: Knex, workspaceId: number, projectId: number, userId: number, projectKey = 'this project'): Promise<void> {
  const result = await db.raw(
    `select u.active, (u.role = 'admin' or p.visibility = 'workspace' or p.lead_id = u.id or exists (select 1 from project_members m where m.project_id = p.id and m.user_id = u.id)) as sees
     from users u join projects p on p.id = ? and p.workspace_id = u.workspace_id where u.workspace_id = ? and u.id = ?`,
    [projectId, workspaceId, userId],
  );
  const row = (result.rows as Array<{ active: boolean; sees: boolean }>)[0];
  assertAssignee({ project: { key: projectKey } as Slot['project'], number: 0, assignee: row ? { active: row.active, seesProject: row.sees } : null });
}
