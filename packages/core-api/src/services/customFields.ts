import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { DomainError, conflict, fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { CustomField, FIELD_COLUMNS, fieldSnapshot, TaskFieldValue, type CustomFieldRow } from '../models/CustomField.js';
import { Task, TASK_COLUMNS, taskSnapshot, type TaskRow } from '../models/Task.js';
import { MAX_FIELDS, type CustomFieldDto, type FieldCreateInput, type FieldOptionDto, type FieldUpdateInput } from '../schemas/fields.js';
import { indexRows } from './fieldValues.js';
import { assertMayConfigureTasks } from './policy.js';
import type { ProjectService } from './projects.js';
import { assertWorkspaceProjects, writeNaming } from './workspaceScope.js';

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#9333ea', '#0891b2', '#db2777', '#64748b'];
const SELECT_TYPES = new Set(['select', 'multi_select']);

/** An option id made from its name: `Gold tier` → `gold_tier`. */
const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 36) || 'option';

/** Options as stored: each with a stable id (given, kept, or made from the name) and a colour. */
function withIds(options: ReadonlyArray<{ id?: string | undefined; name: string; color?: string | undefined }>, current: readonly FieldOptionDto[] = []): FieldOptionDto[] {
  const taken = new Set(options.map((option) => option.id).filter((id): id is string => id !== undefined));
  const names = new Set<string>();
  return options.map((option, index) => {
    const name = option.name.trim();
    if (names.has(name.toLowerCase())) throw fieldError(`options.${index}.name`, 'is the name of another option');
    names.add(name.toLowerCase());
    let id = option.id;
    if (id === undefined) {
      id = slug(name);
      for (let n = 2; taken.has(id); n++) id = `${slug(name)}_${n}`;
      taken.add(id);
    }
    const before = current.find((existing) => existing.id === id);
    return { id, name, color: option.color ?? before?.color ?? PALETTE[index % PALETTE.length]! };
  });
}

const keyTaken = () =>
  new DomainError(409, { code: 'field_key_taken', detail: 'Another custom field has this key', errors: [{ path: 'key', in: 'body', message: 'is already used by another custom field' }] });

/** Custom-field definitions of a workspace. */
export class CustomFieldService {
  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
  ) {}

  async list(caller: Caller, input: { project?: string }): Promise<{ data: CustomFieldDto[]; nextCursor: null }> {
    const query = CustomField.rows(this.knex).where('workspaceId', caller.workspaceId).select(FIELD_COLUMNS).orderBy([{ column: 'position' }, { column: 'id' }]);
    if (input.project !== undefined) {
      const project = await this.projects.get(caller, input.project);
      query.where((scope) => scope.whereNull('projectIds').orWhereRaw('? = any(project_ids)', [project.id]));
    }
    return { data: ((await query) as CustomFieldRow[]).map(fieldSnapshot), nextCursor: null };
  }

  async get(caller: Caller, key: string): Promise<CustomFieldRow> {
    const row = await CustomField.rows(this.knex).where({ workspaceId: caller.workspaceId, key }).first(FIELD_COLUMNS);
    if (!row) throw notFound('Custom field');
    return row as CustomFieldRow;
  }

  create(caller: Caller, input: FieldCreateInput): Promise<CustomFieldRow> {
    assertMayConfigureTasks(caller, 'custom fields');
    if (!SELECT_TYPES.has(input.type) && input.options?.length) throw fieldError('options', `are for select and multi_select fields, not ${input.type}`);
    return this.write(async (trx) => {
      await trx('workspaces').where('id', caller.workspaceId).forUpdate().first('id');
      const stats = (await CustomField.rows(trx).where('workspaceId', caller.workspaceId).count({ n: '*' }).max({ last: 'position' }).first()) as { n: string | number; last: number | null };
      if (Number(stats.n) >= MAX_FIELDS) throw conflict(`A workspace holds at most ${MAX_FIELDS} custom fields`, 'too_many_fields');
      await assertWorkspaceProjects(trx, caller.workspaceId, input.projectIds);
      const [row] = (await CustomField.rows(trx)
        .insert({
          workspaceId: caller.workspaceId,
          key: input.key,
          name: input.name.trim(),
          type: input.type,
          description: input.description ?? '',
          options: JSON.stringify(withIds(input.options ?? [])),
          projectIds: input.projectIds ?? null,
          position: input.position ?? (stats.last ?? 0) + 1024,
        })
        .returning(FIELD_COLUMNS)) as CustomFieldRow[];
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'field.created', payload: { field: fieldSnapshot(row!) } });
      return row!;
    });
  }

  /**
   * Changes a field's definition. Options are sent whole: an option keeps
   * its id (and so every task's value) when renamed or moved; one left out is
   * removed, and cleared from the tasks that had it (each with `task.updated`).
   */
  update(caller: Caller, key: string, input: FieldUpdateInput): Promise<CustomFieldRow> {
    assertMayConfigureTasks(caller, 'custom fields');
    return this.write(async (trx) => {
      const field = await this.locked(trx, caller, key);
      if (input.options !== undefined && !SELECT_TYPES.has(field.type)) throw fieldError('options', `are for select and multi_select fields, not ${field.type}`);
      await assertWorkspaceProjects(trx, caller.workspaceId, input.projectIds);
      const patch: Record<string, unknown> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.description !== undefined) patch.description = input.description;
      if (input.projectIds !== undefined) patch.projectIds = input.projectIds;
      if (input.position !== undefined) patch.position = input.position;
      const options = input.options === undefined ? undefined : withIds(input.options, field.options);
      if (options) patch.options = JSON.stringify(options);
      const [row] = (await CustomField.rows(trx).where({ id: field.id }).update(patch).returning(FIELD_COLUMNS)) as CustomFieldRow[];
      if (options) await this.reconcileOptions(trx, caller, field, row!);
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'field.updated', payload: { field: fieldSnapshot(row!) } });
      return row!;
    });
  }

  /** Deletes a field and its values on every task (one `field.deleted` event says so). */
  remove(caller: Caller, key: string): Promise<void> {
    assertMayConfigureTasks(caller, 'custom fields');
    return this.write(async (trx) => {
      const field = await this.locked(trx, caller, key);
      await Task.rows(trx).where('workspaceId', caller.workspaceId).whereRaw('fields \\? ?', [key]).update({ fields: trx.raw('fields - ?::text', [key]) });
      await CustomField.rows(trx).where({ id: field.id }).delete();
      await appendEvent(trx, { workspaceId: caller.workspaceId, actorId: caller.userId, type: 'field.deleted', payload: { field: fieldSnapshot(field) } });
    });
  }

  /** After the options changed: clears removed options from tasks, and re-indexes the field (select sorts follow option order). */
  private async reconcileOptions(trx: Knex.Transaction, caller: Caller, before: CustomFieldRow, after: CustomFieldRow): Promise<void> {
    const kept = new Set(after.options.map((option) => option.id));
    const removed = before.options.map((option) => option.id).filter((id) => !kept.has(id));
    if (removed.length) {
      const tasks = (await Task.rows(trx)
        .where('workspaceId', caller.workspaceId)
        .whereIn('id', TaskFieldValue.rows(trx).where('fieldId', before.id).whereIn('valueText', removed).select('taskId'))
        .forNoKeyUpdate()
        .select(TASK_COLUMNS)) as TaskRow[];
      for (const task of tasks) {
        const from = task.fields[before.key];
        const to = Array.isArray(from) ? from.filter((id) => kept.has(id as string)) : null;
        const value = Array.isArray(to) && to.length === 0 ? null : to;
        const fields = { ...task.fields };
        if (value === null) delete fields[before.key];
        else fields[before.key] = value;
        const [updated] = (await Task.rows(trx)
          .where({ id: task.id })
          .update({ fields: JSON.stringify(fields), version: task.version + 1, updatedAt: new Date() })
          .returning(TASK_COLUMNS)) as TaskRow[];
        await appendEvent(trx, {
          workspaceId: caller.workspaceId,
          actorId: caller.userId,
          taskId: task.id,
          projectId: task.projectId,
          type: 'task.updated',
          payload: { task: taskSnapshot(updated!), changes: { [`fields.${before.key}`]: { from, to: value } } },
        });
      }
    }
    // Rebuilt from the tasks' values: option positions may have moved.
    await TaskFieldValue.rows(trx).where('fieldId', after.id).delete();
    const holders = (await Task.rows(trx).where('workspaceId', caller.workspaceId).whereRaw('fields \\? ?', [after.key]).select('id', 'fields')) as Array<Pick<TaskRow, 'id' | 'fields'>>;
    const rows = holders.flatMap((task) => indexRows(after, task.id, task.fields[after.key]));
    for (let start = 0; start < rows.length; start += 1000) await TaskFieldValue.rows(trx).insert(rows.slice(start, start + 1000));
  }

  private async locked(trx: Knex.Transaction, caller: Caller, key: string): Promise<CustomFieldRow> {
    const row = await CustomField.rows(trx).where({ workspaceId: caller.workspaceId, key }).forUpdate().first(FIELD_COLUMNS);
    if (!row) throw notFound('Custom field');
    return row as CustomFieldRow;
  }


  private write<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return writeNaming(this.knex, work, { custom_fields_workspace_key: keyTaken });
  }
}

/** The customfield as the API answers it. */
export { fieldSnapshot as toFieldDto } from '../models/CustomField.js';
