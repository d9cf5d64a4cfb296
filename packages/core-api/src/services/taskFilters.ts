import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { badRequest, notFound, type FieldError } from '../domain/errors.js';
import { Label } from '../models/Label.js';
import { SavedView } from '../models/SavedView.js';
import type { CustomFieldRow } from '../models/CustomField.js';
import { TaskListQuery, type TaskListInput } from '../schemas/tasks.js';
import { compileValidator } from '../schemas/validate.js';
import { loadFields } from './fieldValues.js';

type Column = 'value_text' | 'value_number' | 'value_date';

/** One custom-field condition of a list, checked against its field. */
export interface FieldFilter {
  fieldId: number;
  column: Column;
  op: 'in' | 'gte' | 'lte' | 'empty' | 'present';
  values: Array<string | number>;
}

/** The list's filters that name things (labels, a parent, custom fields), resolved to ids. */
export interface ResolvedFilters {
  labelAny?: number[];
  labelAll?: number[];
  parent?: number | 'none';
  fields: FieldFilter[];
  /** For `sort=cf.<key>`: the field and the column its order reads. */
  sortField?: { fieldId: number; column: Column };
}

/** The column a field's values sort and compare on (a select sorts by its options' order). */
export function columnOf(field: CustomFieldRow): Column {
  if (field.type === 'number' || field.type === 'user') return 'value_number';
  if (field.type === 'date') return 'value_date';
  return 'value_text';
}

const queryError = (path: string, message: string) => badRequest(`${path}: ${message}`, [{ path, in: 'query', message }] satisfies FieldError[]);
const validateListQuery = compileValidator(TaskListQuery, 'query');

/**
 * `?view=<id>`: the saved view's filters and sort, under those the request
 * gives itself. The view must be one the caller sees (their own, or shared).
 */
export async function withView(db: Knex, caller: Caller, input: TaskListInput): Promise<TaskListInput> {
  if (input.view === undefined) return input;
  const view = (await SavedView.rows(db)
    .where({ workspaceId: caller.workspaceId, id: input.view })
    .where((seen) => seen.where('shared', true).orWhere('ownerId', caller.userId))
    .first('query', 'projectId')) as { query: string; projectId: number | null } | undefined;
  if (!view) throw notFound('Saved view');
  const saved = validateListQuery({ ...Object.fromEntries(new URLSearchParams(view.query)), ...(view.projectId ? { project: String(view.projectId) } : {}) }) as TaskListInput;
  const { view: _view, ...given } = input;
  return { ...saved, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) } as TaskListInput;
}

/** Resolves label names, a parent identifier and custom-field filters; a name that matches nothing is a 400 naming its parameter. */
export async function resolveFilters(db: Knex, caller: Caller, input: TaskListInput, resolveTask: (ref: string) => Promise<number>): Promise<ResolvedFilters> {
  const resolved: ResolvedFilters = { fields: [] };
  if (input.label?.length) resolved.labelAny = await labelIds(db, caller.workspaceId, input.label, 'label');
  if (input.labelAll?.length) resolved.labelAll = await labelIds(db, caller.workspaceId, input.labelAll, 'labelAll');
  if (input.parent !== undefined) resolved.parent = input.parent === 'none' ? 'none' : await resolveTask(input.parent).catch(() => Promise.reject(queryError('parent', 'is not a task you can see')));
  const filterKeys = Object.keys(input).filter((key) => key.startsWith('cf.'));
  const sort = input.sort?.replace(/^-/, '');
  if (filterKeys.length === 0 && !sort?.startsWith('cf.')) return resolved;
  const definitions = await loadFields(db, caller.workspaceId);
  for (const param of filterKeys) {
    const [, key, op = 'in'] = param.split('.') as [string, string, string | undefined];
    const field = definitions.get(key);
    if (!field) throw queryError(param, `${key} is not a custom field of this workspace`);
    resolved.fields.push(fieldFilter(field, param, op as 'in' | 'gte' | 'lte' | 'empty', String(input[param as `cf.${string}`]), caller));
  }
  if (sort?.startsWith('cf.')) {
    const field = definitions.get(sort.slice(3));
    if (!field) throw queryError('sort', `${sort.slice(3)} is not a custom field of this workspace`);
    if (field.type === 'multi_select') throw queryError('sort', 'a multi_select field has no single value to sort on');
    resolved.sortField = { fieldId: field.id, column: field.type === 'select' ? 'value_number' : columnOf(field) };
  }
  return resolved;
}

async function labelIds(db: Knex, workspaceId: number, refs: readonly string[], param: string): Promise<number[]> {
  const ids = refs.filter((ref) => /^[1-9][0-9]{0,15}$/.test(ref)).map(Number);
  const names = refs.filter((ref) => !/^[1-9][0-9]{0,15}$/.test(ref)).map((name) => name.toLowerCase());
  if (names.length === 0) return ids;
  const found = (await Label.rows(db).where('workspaceId', workspaceId).whereRaw('lower(name) = any(?::text[])', [names]).select('id', 'name')) as Array<{ id: number; name: string }>;
  const missing = names.find((name) => !found.some((label) => label.name.toLowerCase() === name));
  if (missing !== undefined) throw queryError(param, `no label is named ${missing}`);
  return [...ids, ...found.map((label) => Number(label.id))];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fieldFilter(field: CustomFieldRow, param: string, op: 'in' | 'gte' | 'lte' | 'empty', raw: string, caller: Caller): FieldFilter {
  const column = columnOf(field);
  if (op === 'empty') {
    if (raw !== 'true' && raw !== 'false') throw queryError(param, 'must be true or false');
    return { fieldId: field.id, column, op: raw === 'true' ? 'empty' : 'present', values: [] };
  }
  if ((op === 'gte' || op === 'lte') && field.type !== 'number' && field.type !== 'date') throw queryError(param, `compares numbers and dates, not ${field.type} values`);
  const values = raw.split(',').map((value) => value.trim()).filter((value) => value !== '');
  if (values.length === 0 || values.length > 50) throw queryError(param, 'needs 1 to 50 comma-separated values');
  if (op !== 'in' && values.length > 1) throw queryError(param, 'takes one value');
  return { fieldId: field.id, column, op, values: values.map((value) => filterValue(field, param, value, caller)) };
}

function filterValue(field: CustomFieldRow, param: string, value: string, caller: Caller): string | number {
  switch (field.type) {
    case 'number': {
      const number = Number(value);
      if (!Number.isFinite(number)) throw queryError(param, `${value} is not a number`);
      return number;
    }
    case 'date':
      if (!DATE.test(value) || Number.isNaN(Date.parse(value))) throw queryError(param, `${value} is not a date such as 2026-12-31`);
      return `${value}T00:00:00Z`;
    case 'user':
      if (value === 'me') return caller.userId;
      if (!/^[1-9][0-9]{0,15}$/.test(value)) throw queryError(param, `${value} is not a user id or me`);
      return Number(value);
    case 'checkbox':
      if (value !== 'true' && value !== 'false') throw queryError(param, 'must be true or false');
      return value;
    case 'select':
    case 'multi_select': {
      const option = field.options.find((o) => o.id === value) ?? field.options.find((o) => o.name.toLowerCase() === value.toLowerCase());
      if (!option) throw queryError(param, `${value} is not an option of ${field.key}`);
      return option.id;
    }
    default:
      return value;
  }
}

/** Narrows a query on `task_field_values` (as `alias`) to the values a field's conditions accept. */
export function whereValues(query: Knex.QueryBuilder, alias: string, conditions: readonly FieldFilter[]): Knex.QueryBuilder {
  for (const condition of conditions) {
    const column = `${alias}.${condition.column}`;
    if (condition.op === 'in') query.whereIn(column, condition.values);
    else if (condition.op === 'gte') query.where(column, '>=', condition.values[0]!);
    else if (condition.op === 'lte') query.where(column, '<=', condition.values[0]!);
  }
  return query;
}

/**
 * Applies the resolved filters to a query on `tasks`. A field's conditions
 * go into one `EXISTS`, so a range's two bounds meet on the same value
 * through one index probe. The conditions on `sortFieldId` are left out:
 * the sort applies them to the values it walks (`pageByField`).
 */
export function applyResolvedFilters(query: Knex.QueryBuilder, filters: ResolvedFilters, sortFieldId?: number): void {
  if (filters.labelAny) query.whereRaw('label_ids && ?::bigint[]', [filters.labelAny]);
  if (filters.labelAll) query.whereRaw('label_ids @> ?::bigint[]', [filters.labelAll]);
  if (filters.parent === 'none') query.whereNull('parentId');
  else if (filters.parent !== undefined) query.where('parentId', filters.parent);
  const byField = new Map<number, FieldFilter[]>();
  for (const filter of filters.fields) byField.set(filter.fieldId, [...(byField.get(filter.fieldId) ?? []), filter]);
  for (const [fieldId, conditions] of byField) {
    const values = (kept: readonly FieldFilter[]) =>
      function values(this: Knex.QueryBuilder) {
        whereValues(this.from('task_field_values as v').whereRaw('v.task_id = tasks.id').where('v.field_id', fieldId).select('v.task_id'), 'v', kept);
      };
    if (conditions.some((condition) => condition.op === 'empty')) query.whereNotExists(values([]));
    const kept = conditions.filter((condition) => condition.op !== 'empty');
    if (kept.length && fieldId !== sortFieldId) query.whereExists(values(kept));
  }
}

/** The conditions of a list on its sort field, which the sort applies itself. */
export const sortFieldConditions = (filters: ResolvedFilters): FieldFilter[] =>
  filters.fields.filter((filter) => filter.fieldId === filters.sortField?.fieldId && filter.op !== 'empty');
