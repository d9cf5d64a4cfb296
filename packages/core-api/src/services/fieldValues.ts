import type { Knex } from 'knex';
import { fieldErrors, type FieldError } from '../domain/errors.js';
import { CustomField, FIELD_COLUMNS, TaskFieldValue, type CustomFieldRow } from '../models/CustomField.js';
import { MAX_FIELD_TEXT, MAX_FIELD_URL, type FieldType } from '../schemas/fields.js';
import type { Change } from './taskChanges.js';

/** A custom field's definitions, by key: what a write or a filter checks values against. */
export type FieldDefinitions = Map<string, CustomFieldRow>;

export async function loadFields(db: Knex, workspaceId: number): Promise<FieldDefinitions> {
  const rows = (await CustomField.rows(db).where('workspaceId', workspaceId).select(FIELD_COLUMNS)) as CustomFieldRow[];
  return new Map(rows.map((row) => [row.key, row]));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** Why a value does not fit its field, or the value as stored (option names become ids). */
type Normalized = { value: unknown } | { error: string };

/** The option a select value names: its id, or its name (ignoring case) when exactly one option has it. */
function optionOf(field: CustomFieldRow, value: unknown) {
  if (typeof value !== 'string') return undefined;
  const byId = field.options.find((option) => option.id === value);
  if (byId) return byId;
  const byName = field.options.filter((option) => option.name.toLowerCase() === value.toLowerCase());
  return byName.length === 1 ? byName[0] : undefined;
}

function normalize(field: CustomFieldRow, value: unknown): Normalized {
  const type = field.type as FieldType;
  switch (type) {
    case 'text':
      if (typeof value !== 'string') return { error: 'must be text' };
      if (value.length > MAX_FIELD_TEXT) return { error: `must be at most ${MAX_FIELD_TEXT} characters` };
      return { value };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1e15 ? { value } : { error: 'must be a number' };
    case 'date':
      return isDate(value) ? { value } : { error: 'must be a date such as 2026-12-31' };
    case 'checkbox':
      return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
    case 'url': {
      if (typeof value !== 'string' || value.length > MAX_FIELD_URL || !/^https?:\/\/[\x21-\x7e]+$/.test(value) || !URL.canParse(value)) {
        return { error: `must be an http or https URL of at most ${MAX_FIELD_URL} characters` };
      }
      return { value };
    }
    case 'user':
      return Number.isSafeInteger(value) && (value as number) > 0 ? { value } : { error: 'must be a user id' };
    case 'select': {
      const option = optionOf(field, value);
      return option ? { value: option.id } : { error: `must be one of the options: ${field.options.map((o) => o.id).join(', ')}` };
    }
    case 'multi_select': {
      if (!Array.isArray(value) || value.length > field.options.length) return { error: 'must be a list of options' };
      const ids = new Set<string>();
      for (const item of value) {
        const option = optionOf(field, item);
        if (!option) return { error: `${JSON.stringify(item)} is not an option (${field.options.map((o) => o.id).join(', ')})` };
        ids.add(option.id);
      }
      // Stored in the options' order, so that the same choice is always the same value.
      return { value: field.options.map((option) => option.id).filter((id) => ids.has(id)) };
    }
  }
}

const isEmpty = (value: unknown) => value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * Applies a write's `fields` to a task's current values: only the keys sent
 * change, null (or an empty text or list) clears one. Answers the new values
 * and a `fields.<key>` change for each that really changed; a value that does
 * not fit its field, an unknown key or a field not used in the task's project
 * answers 422 naming every `fields.<key>` at fault.
 */
export async function applyFieldInput(
  db: Knex,
  workspaceId: number,
  projectId: number,
  current: Record<string, unknown>,
  input: Record<string, unknown>,
  definitions?: FieldDefinitions,
): Promise<{ fields: Record<string, unknown>; changes: Record<string, Change> }> {
  const defs = definitions ?? (await loadFields(db, workspaceId));
  const errors: FieldError[] = [];
  const next = { ...current };
  const users: Array<[string, number]> = [];
  for (const [key, raw] of Object.entries(input)) {
    const field = defs.get(key);
    const path = `fields.${key}`;
    if (!field) {
      errors.push({ path, in: 'body', message: 'is not a custom field of this workspace' });
      continue;
    }
    if (field.projectIds && !field.projectIds.map(Number).includes(projectId)) {
      errors.push({ path, in: 'body', message: 'is not used in this task’s project' });
      continue;
    }
    if (isEmpty(raw)) {
      delete next[key];
      continue;
    }
    const result = normalize(field, raw);
    if ('error' in result) errors.push({ path, in: 'body', message: result.error });
    else {
      next[key] = result.value;
      if (field.type === 'user') users.push([key, result.value as number]);
    }
  }
  if (users.length) {
    const found = new Set((await db('users').where('workspaceId', workspaceId).whereIn('id', users.map(([, id]) => id)).pluck('id')).map(Number));
    for (const [key, id] of users) if (!found.has(id)) errors.push({ path: `fields.${key}`, in: 'body', message: `${id} is not a user of this workspace` });
  }
  if (errors.length) throw fieldErrors(errors);
  const changes: Record<string, Change> = {};
  for (const key of new Set([...Object.keys(current), ...Object.keys(next)])) {
    const from = current[key] ?? null;
    const to = next[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[`fields.${key}`] = { from, to };
  }
  return { fields: next, changes };
}

/** The typed rows that index one value of a field (a multi-select has one per option). */
export function indexRows(field: CustomFieldRow, taskId: number, value: unknown): Array<Record<string, unknown>> {
  const base = { taskId, fieldId: field.id, valueText: null, valueNumber: null, valueDate: null };
  const optionIndex = (id: string) => field.options.findIndex((option) => option.id === id);
  switch (field.type as FieldType) {
    case 'text':
    case 'url':
      return [{ ...base, valueText: value }];
    case 'checkbox':
      return [{ ...base, valueText: String(value) }];
    case 'number':
    case 'user':
      return [{ ...base, valueNumber: value }];
    case 'date':
      return [{ ...base, valueDate: `${value as string}T00:00:00Z` }];
    case 'select':
      return [{ ...base, valueText: value, valueNumber: optionIndex(value as string) }];
    case 'multi_select':
      return (value as string[]).map((id) => ({ ...base, valueText: id, valueNumber: optionIndex(id) }));
  }
}

/** Rewrites the index rows of the fields a write changed. */
export async function writeFieldIndex(trx: Knex, taskId: number, defs: FieldDefinitions, changes: Record<string, Change>): Promise<void> {
  const fields = Object.keys(changes)
    .filter((key) => key.startsWith('fields.'))
    .map((key) => defs.get(key.slice('fields.'.length)))
    .filter((field): field is CustomFieldRow => field !== undefined);
  if (fields.length === 0) return;
  await TaskFieldValue.rows(trx).where('taskId', taskId).whereIn('fieldId', fields.map((field) => field.id)).delete();
  const rows = fields.flatMap((field) => {
    const to = changes[`fields.${field.key}`]!.to;
    return to === null ? [] : indexRows(field, taskId, to);
  });
  if (rows.length) await TaskFieldValue.rows(trx).insert(rows);
}
