import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { DomainError, conflict, fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { Label, LABEL_COLUMNS, labelSnapshot, type LabelRow } from '../models/Label.js';
import { Task, TASK_COLUMNS, taskSnapshot, type TaskRow } from '../models/Task.js';
import { MAX_LABELS, type LabelCreateInput, type LabelDto, type LabelUpdateInput } from '../schemas/labels.js';
import { assertMayConfigureTasks } from './policy.js';
import type { ProjectService } from './projects.js';
import { assertWorkspaceProjects, writeNaming } from './workspaceScope.js';

const nameTaken = () =>
  new DomainError(409, { code: 'label_name_taken', detail: 'Another label has this name', errors: [{ path: 'name', in: 'body', message: 'is already used by another label (names ignore case)' }] });

/** Workspace labels, optionally limited to some projects. */
export class LabelService {
  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
  ) {}

  /** Every label (at most MAX_LABELS), by name; with a project, those its tasks may carry. */
  async list(caller: Caller, input: { project?: string; q?: string }): Promise<{ data: LabelDto[]; nextCursor: null }> {
    const query = Label.rows(this.knex).where('workspaceId', caller.workspaceId).select(LABEL_COLUMNS).orderByRaw('lower(name), id').limit(MAX_LABELS);
    if (input.project !== undefined) {
      const project = await this.projects.get(caller, input.project);
      query.where((scope) => scope.whereNull('projectIds').orWhereRaw('? = any(project_ids)', [project.id]));
    }
    if (input.q?.trim()) query.whereILike('name', `%${input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return { data: ((await query) as LabelRow[]).map(labelSnapshot), nextCursor: null };
  }

  async get(caller: Caller, id: number): Promise<LabelRow> {
    const row = await Label.rows(this.knex).where({ workspaceId: caller.workspaceId, id }).first(LABEL_COLUMNS);
    if (!row) throw notFound('Label');
    return row as LabelRow;
  }

  create(caller: Caller, input: LabelCreateInput): Promise<LabelRow> {
    assertMayConfigureTasks(caller, 'labels');
    return this.write(async (trx) => {
      // The workspace's row lock counts labels without a race.
      await trx('workspaces').where('id', caller.workspaceId).forUpdate().first('id');
      const count = Number(((await Label.rows(trx).where('workspaceId', caller.workspaceId).count({ n: '*' }).first()) as { n: string }).n);
      if (count >= MAX_LABELS) throw conflict(`A workspace holds at most ${MAX_LABELS} labels`, 'too_many_labels');
      await assertWorkspaceProjects(trx, caller.workspaceId, input.projectIds);
      const [row] = (await Label.rows(trx)
        .insert({
          workspaceId: caller.workspaceId,
          name: input.name.trim(),
          color: input.color ?? '#64748b',
          description: input.description ?? '',
          projectIds: input.projectIds ?? null,
        })
        .returning(LABEL_COLUMNS)) as LabelRow[];
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'label.created', payload: { label: labelSnapshot(row!) } });
      return row!;
    });
  }

  update(caller: Caller, id: number, input: LabelUpdateInput): Promise<LabelRow> {
    assertMayConfigureTasks(caller, 'labels');
    return this.write(async (trx) => {
      await this.locked(trx, caller, id);
      await assertWorkspaceProjects(trx, caller.workspaceId, input.projectIds);
      const patch: Record<string, unknown> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.color !== undefined) patch.color = input.color;
      if (input.description !== undefined) patch.description = input.description;
      if (input.projectIds !== undefined) patch.projectIds = input.projectIds;
      const [row] = (await Label.rows(trx).where({ workspaceId: caller.workspaceId, id }).update(patch).returning(LABEL_COLUMNS)) as LabelRow[];
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'label.updated', payload: { label: labelSnapshot(row!) } });
      return row!;
    });
  }

  /** Deletes a label and takes it off every task, each with a `task.updated` event. */
  remove(caller: Caller, id: number): Promise<void> {
    assertMayConfigureTasks(caller, 'labels');
    return this.write(async (trx) => {
      const label = await this.locked(trx, caller, id);
      const before = (await Task.rows(trx).where('workspaceId', caller.workspaceId).whereRaw('label_ids @> array[?]::bigint[]', [id]).forNoKeyUpdate().select(TASK_COLUMNS)) as TaskRow[];
      const after = (await Task.rows(trx)
        .whereIn('id', before.map((task) => task.id))
        .update({ labelIds: trx.raw('array_remove(label_ids, ?::bigint)', [id]), version: trx.raw('version + 1'), updatedAt: new Date() })
        .returning(TASK_COLUMNS)) as TaskRow[];
      const labelsBefore = new Map(before.map((task) => [task.id, task.labels.map((l) => l.id)]));
      for (const task of after) {
        const from = labelsBefore.get(task.id) ?? [];
        await appendEvent(trx, {
          workspaceId: caller.workspaceId,
          actorId: caller.userId,
          taskId: task.id,
          projectId: task.projectId,
          type: 'task.updated',
          payload: { task: taskSnapshot(task), changes: { labelIds: { from, to: from.filter((labelId) => labelId !== id) } } },
        });
      }
      await Label.rows(trx).where({ workspaceId: caller.workspaceId, id }).delete();
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'label.deleted', payload: { label: labelSnapshot(label) } });
    });
  }

  private async locked(trx: Knex.Transaction, caller: Caller, id: number): Promise<LabelRow> {
    const row = await Label.rows(trx).where({ workspaceId: caller.workspaceId, id }).forUpdate().first(LABEL_COLUMNS);
    if (!row) throw notFound('Label');
    return row as LabelRow;
  }


  private write<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return writeNaming(this.knex, work, { labels_workspace_name: nameTaken });
  }
}

/**
 * The labels a task asks for, checked: each a label of the workspace that
 * its project may carry (422 naming `labelIds` otherwise). Answers the ids in
 * the order given.
 */
export async function checkTaskLabels(db: Knex, workspaceId: number, projectId: number, labelIds: readonly number[]): Promise<number[]> {
  if (labelIds.length === 0) return [];
  const rows = (await Label.rows(db).where('workspaceId', workspaceId).whereIn('id', [...labelIds]).select('id', 'name', 'projectIds')) as Array<{ id: number; name: string; projectIds: number[] | null }>;
  for (const id of labelIds) {
    const label = rows.find((row) => Number(row.id) === id);
    if (!label) throw fieldError('labelIds', `${id} is not a label of this workspace`);
    if (label.projectIds && !label.projectIds.map(Number).includes(projectId)) throw fieldError('labelIds', `the label ${label.name} is not used in this project`);
  }
  return [...labelIds];
}

/** Of some labels, those a task of `projectId` may carry (a task moving there keeps these). */
export async function labelsUsedIn(db: Knex, workspaceId: number, projectId: number, labelIds: readonly number[]): Promise<number[]> {
  const usable = new Set(
    (await Label.rows(db).where('workspaceId', workspaceId).whereIn('id', [...labelIds]).where((scope) => scope.whereNull('projectIds').orWhereRaw('? = any(project_ids)', [projectId])).pluck('id')).map(Number),
  );
  return labelIds.filter((id) => usable.has(id));
}

/** The label as the API answers it. */
export { labelSnapshot as toLabelDto } from '../models/Label.js';
