import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { DomainError, fieldError } from '../domain/errors.js';
import { Project, PROJECT_COLUMNS, type ProjectRow } from '../models/Project.js';
import type { StatusCategory, StatusCreateInput, StatusUpdateInput, WorkflowStatusDto } from '../schemas/projects.js';
import { assertProjectAction } from './policy.js';
import type { ProjectService } from './projects.js';

/** What every new project starts with: today's four statuses, so existing clients keep working. */
export const DEFAULT_WORKFLOW: WorkflowStatusDto[] = [
  { key: 'todo', name: 'To do', color: '#64748b', category: 'unstarted' },
  { key: 'in_progress', name: 'In progress', color: '#2563eb', category: 'started' },
  { key: 'in_review', name: 'In review', color: '#9333ea', category: 'started' },
  { key: 'done', name: 'Done', color: '#16a34a', category: 'completed' },
];

const CATEGORY_COLORS: Record<StatusCategory, string> = {
  backlog: '#94a3b8',
  unstarted: '#64748b',
  started: '#2563eb',
  completed: '#16a34a',
  canceled: '#dc2626',
};

const MAX_STATUSES = 50;

export function withColors(statuses: ReadonlyArray<Omit<WorkflowStatusDto, 'color'> & { color?: string | undefined }>): WorkflowStatusDto[] {
  return statuses.map(({ key, name, color, category }) => ({ key, name: name.trim(), color: color ?? CATEGORY_COLORS[category], category }));
}

/** A workflow's own rules: unique keys, at most 50 statuses, at least one. */
export function checkWorkflow(workflow: WorkflowStatusDto[], path = 'statuses'): WorkflowStatusDto[] {
  const seen = new Set<string>();
  for (const [index, status] of workflow.entries()) {
    if (seen.has(status.key)) throw fieldError(`${path}/${index}/key`, `repeats the key ${status.key}`);
    seen.add(status.key);
  }
  if (workflow.length > MAX_STATUSES) throw fieldError(path, `may hold at most ${MAX_STATUSES} statuses`);
  return workflow;
}

/** The status a task takes in `workflow` when it arrives from a status of `category`: the first of the same category, else the first `unstarted` one, else the first. */
export function mapByCategory(workflow: readonly WorkflowStatusDto[], category: StatusCategory): WorkflowStatusDto {
  return workflow.find((status) => status.category === category) ?? workflow.find((status) => status.category === 'unstarted') ?? workflow[0]!;
}

/** Where a task created without a status starts: the first `unstarted` status (`todo` by default), else the first. */
export function firstOpenStatus(workflow: readonly WorkflowStatusDto[]): WorkflowStatusDto {
  return workflow.find((status) => status.category === 'unstarted') ?? workflow[0]!;
}

/** The status of `key` in a project's workflow, or a 422 naming `field`. */
export function statusIn(project: Pick<ProjectRow, 'key' | 'workflow'>, key: string, field = 'status'): WorkflowStatusDto {
  const status = project.workflow.find((candidate) => candidate.key === key);
  if (!status) throw fieldError(field, `is not a status of project ${project.key} (${project.workflow.map((s) => s.key).join(', ')})`);
  return status;
}

/**
 * Workflow edits: each locks the project, checks the caller may edit it,
 * rewrites the ordered list, moves the tasks a change concerns in the same
 * transaction, and appends one `project.workflow_changed` event that says
 * what changed (and which tasks moved), so boards follow live.
 */
export class WorkflowService {
  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
  ) {}

  async add(caller: Caller, ref: string | number, input: StatusCreateInput): Promise<ProjectRow> {
    return this.edit(caller, ref, async (_trx, workflow) => {
      if (workflow.some((status) => status.key === input.key)) throw conflictKey(input.key);
      const [status] = withColors([input]);
      const at = Math.min(input.position ?? workflow.length, workflow.length);
      return { workflow: [...workflow.slice(0, at), status!, ...workflow.slice(at)], change: { added: status } };
    });
  }

  async update(caller: Caller, ref: string | number, key: string, input: StatusUpdateInput): Promise<ProjectRow> {
    return this.edit(caller, ref, async (trx, workflow, project) => {
      const current = statusIn(project, key, 'key');
      if (input.key !== undefined && input.key !== key && workflow.some((status) => status.key === input.key)) throw conflictKey(input.key);
      const next: WorkflowStatusDto = { ...current, ...input, ...(input.name ? { name: input.name.trim() } : {}) };
      const moved = await moveTasks(trx, project, key, next);
      return { workflow: workflow.map((status) => (status.key === key ? next : status)), change: { updated: { from: current, to: next }, taskIds: moved } };
    });
  }

  async remove(caller: Caller, ref: string | number, key: string, moveTo: string | undefined): Promise<ProjectRow> {
    return this.edit(caller, ref, async (trx, workflow, project) => {
      const removed = statusIn(project, key, 'key');
      if (workflow.length === 1) throw new DomainError(409, { code: 'last_status', detail: 'A workflow keeps at least one status' });
      const used = await trx('tasks').where({ workspace_id: project.workspaceId, project_id: project.id, status: key }).first('id');
      if (used && moveTo === undefined) {
        throw new DomainError(409, {
          code: 'status_in_use',
          detail: `Tasks are in ${key}: say where they go with ?moveTo=<status key>`,
          errors: [{ path: 'moveTo', in: 'query', message: 'is required while tasks are in this status' }],
        });
      }
      let moved: number[] = [];
      if (moveTo !== undefined) {
        if (moveTo === key) throw fieldError('moveTo', 'is the status being removed', 'query');
        const target = statusIn(project, moveTo, 'moveTo');
        moved = await moveTasks(trx, project, key, target);
      }
      return { workflow: workflow.filter((status) => status.key !== key), change: { removed, movedTo: moveTo ?? null, taskIds: moved } };
    });
  }

  async reorder(caller: Caller, ref: string | number, keys: string[]): Promise<ProjectRow> {
    return this.edit(caller, ref, async (_trx, workflow) => {
      const known = new Set(workflow.map((status) => status.key));
      if (keys.length !== known.size || new Set(keys).size !== keys.length || !keys.every((key) => known.has(key))) {
        throw fieldError('keys', `must list every status of the workflow once: ${[...known].join(', ')}`);
      }
      return { workflow: keys.map((key) => workflow.find((status) => status.key === key)!), change: { reordered: keys } };
    });
  }

  private edit(
    caller: Caller,
    ref: string | number,
    apply: (trx: Knex.Transaction, workflow: WorkflowStatusDto[], project: ProjectRow) => Promise<{ workflow: WorkflowStatusDto[]; change: Record<string, unknown> }>,
  ): Promise<ProjectRow> {
    return this.knex.transaction(async (trx) => {
      const { id } = await this.projects.get(caller, ref, trx);
      const project = (await Project.lockedRow(trx, caller.workspaceId, id))!;
      assertProjectAction(caller, project, 'edit_workflow');
      const { workflow, change } = await apply(trx, project.workflow, project);
      checkWorkflow(workflow);
      const [updated] = (await Project.rows(trx)
        .where({ workspaceId: project.workspaceId, id: project.id })
        .update({ workflow: JSON.stringify(workflow), updatedAt: new Date() })
        .returning(PROJECT_COLUMNS)) as ProjectRow[];
      await this.projects.record(trx, caller, updated!, 'project.workflow_changed', { change });
      return updated!;
    });
  }
}

const conflictKey = (key: string) =>
  new DomainError(409, { code: 'status_key_taken', detail: `The workflow already has a status ${key}`, errors: [{ path: 'key', in: 'body', message: 'is already a status of this project' }] });

/**
 * Moves the tasks of one status to another (a rename, a category change or
 * a removal), keeping `statusCategory` and `completedAt` true; bumps their
 * version so a stale edit of one answers 412. Answers the moved task ids.
 */
async function moveTasks(trx: Knex.Transaction, project: ProjectRow, fromKey: string, to: WorkflowStatusDto): Promise<number[]> {
  const result = await trx.raw(
    `update tasks set status = ?, status_category = ?::status_category, version = version + 1, updated_at = now(),
       completed_at = case when ? = 'completed' then coalesce(completed_at, now()) else null end
     where workspace_id = ? and project_id = ? and status = ? returning id`,
    [to.key, to.category, to.category, project.workspaceId, project.id, fromKey],
  );
  return (result.rows as Array<{ id: number }>).map((row) => Number(row.id));
}
