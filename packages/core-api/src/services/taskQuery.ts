import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { TASK_PRIORITIES } from '../schemas/tasks.js';
import type { TaskListInput } from '../schemas/tasks.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { TASK_COLUMNS, type TaskRow } from '../models/Task.js';
import { whereValues, type FieldFilter } from './taskFilters.js';

interface SortKey {
  /** SQL expression ordered on (with `id` as the tie-breaker). */
  expr: string;
  cast: string;
  value(row: TaskRow): string | number;
  /** Whether a cursor's value is one `value` could have written: a forged one must not reach the cast. */
  accepts(value: unknown): boolean;
}

const isTimestamp = (value: unknown) =>
  typeof value === 'string' && /^(?!0000)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) && Number.isFinite(Date.parse(value));

const SORT_KEYS: Record<string, SortKey> = {
  createdAt: { expr: 'created_at', cast: 'timestamptz', value: (r) => r.createdAt.toISOString(), accepts: isTimestamp },
  updatedAt: { expr: 'updated_at', cast: 'timestamptz', value: (r) => r.updatedAt.toISOString(), accepts: isTimestamp },
  // Tasks without a due date sort last.
  dueDate: {
    expr: "coalesce(due_date, 'infinity'::timestamptz)",
    cast: 'timestamptz',
    value: (r) => r.dueDate?.toISOString() ?? 'infinity',
    accepts: (v) => v === 'infinity' || isTimestamp(v),
  },
  priority: { expr: 'priority', cast: 'task_priority', value: (r) => r.priority, accepts: (v) => (TASK_PRIORITIES as readonly unknown[]).includes(v) },
  position: { expr: 'position', cast: 'float8', value: (r) => r.position, accepts: (v) => typeof v === 'number' && Number.isFinite(v) },
};

/**
 * Matches every word of the text as a prefix. PostgreSQL splits the text
 * with the same parser that built the index (so `create-42` finds what it
 * indexed), and each lexeme is quoted, so no tsquery syntax gets through.
 */
const PREFIX_MATCH = `search @@ (select to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & '))
  from unnest(to_tsvector('simple', ?)))`;

const CLOSED = ['completed', 'canceled'];

/** Applies the list filters of GET /api/tasks to a query on `tasks` (`projectId`: the `project` filter, resolved). */
export function applyTaskFilters(query: Knex.QueryBuilder, caller: Caller, input: TaskListInput, projectId: number | undefined): void {
  if (projectId !== undefined) query.where('projectId', projectId);
  if (input.status?.length) query.whereIn('status', input.status);
  if (input.statusCategory?.length) query.whereIn('statusCategory', input.statusCategory);
  if (input.priority?.length) query.whereIn('priority', input.priority);
  if (input.assignee === 'none') query.whereNull('assignedTo');
  else if (input.assignee) query.where('assignedTo', input.assignee === 'me' ? caller.userId : Number(input.assignee));
  if (input.createdBy) query.where('createdBy', input.createdBy === 'me' ? caller.userId : Number(input.createdBy));
  if (input.dueBefore) query.where('dueDate', '<', input.dueBefore);
  if (input.dueAfter) query.where('dueDate', '>=', input.dueAfter);
  if (input.overdue === true) query.where('dueDate', '<', new Date()).whereNotIn('statusCategory', CLOSED);
  if (input.overdue === false) query.where((w) => w.whereNull('dueDate').orWhere('dueDate', '>=', new Date()).orWhereIn('statusCategory', CLOSED));
  if (input.q !== undefined && input.q.trim() !== '') {
    if (/[\p{L}\p{N}]/u.test(input.q)) query.whereRaw(PREFIX_MATCH, [input.q]);
    else query.whereRaw('false');
  }
}

/**
 * Keyset pagination: orders by the sort key then id, and continues strictly
 * after the cursor's row, so pages never repeat or skip a row however many
 * rows are inserted meanwhile. The cursor names its sort; a cursor from
 * another sort is refused.
 */
export function applyTaskSort(query: Knex.QueryBuilder, sort: string, cursor: string | undefined): (last: TaskRow) => string {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const key = SORT_KEYS[field]!;
  const direction = descending ? 'desc' : 'asc';
  if (cursor) {
    const [cursorSort, value, id] = decodeCursor(cursor, 3);
    if (cursorSort !== sort || !Number.isSafeInteger(id) || !key.accepts(value)) {
      decodeCursor('', 3); // throws the invalid-cursor problem
    }
    query.whereRaw(`(${key.expr}, id) ${descending ? '<' : '>'} (?::${key.cast}, ?)`, [value as string | number, id as number]);
  }
  query.orderByRaw(`${key.expr} ${direction}, id ${direction}`);
  return (last) => encodeCursor([sort, key.value(last), last.id]);
}

const CASTS = { value_text: 'text', value_number: 'float8', value_date: 'timestamptz' } as const;
type SortColumn = keyof typeof CASTS;
const acceptsValue: Record<SortColumn, (value: unknown) => boolean> = {
  value_text: (value) => typeof value === 'string',
  value_number: (value) => typeof value === 'number' && Number.isFinite(value),
  value_date: isTimestamp,
};

/**
 * A page sorted by a custom field (`sort=cf.<key>`, `-cf.<key>`): first the
 * tasks with a value, walking the field's index in order, then those without
 * one by id, so an empty value sorts last either way. The cursor holds the
 * last value (null once into the tasks without one) and id.
 */
export async function pageByField(
  base: () => Knex.QueryBuilder,
  sort: string,
  field: { fieldId: number; column: SortColumn },
  cursor: string | undefined,
  limit: number,
  conditions: readonly FieldFilter[] = [],
): Promise<{ rows: TaskRow[]; cursorOf: (last: TaskRow) => string }> {
  const descending = sort.startsWith('-');
  const direction = descending ? 'desc' : 'asc';
  const column = `v.${field.column}`;
  let after: { value: unknown; id: number } | undefined;
  if (cursor) {
    const [cursorSort, value, id] = decodeCursor(cursor, 3);
    if (cursorSort !== sort || !Number.isSafeInteger(id) || (value !== null && !acceptsValue[field.column](value))) decodeCursor('', 3);
    after = { value, id: id as number };
  }
  const rows: Array<TaskRow & { cfSortValue?: unknown }> = [];
  if (!after || after.value !== null) {
    const withValue = base()
      .join('task_field_values as v', (join) => join.on('v.task_id', '=', 'tasks.id').andOnVal('v.field_id', '=', field.fieldId))
      .whereNotNull(column)
      .select([...TASK_COLUMNS, `${column} as cf_sort_value`])
      // By the index's own columns (v.task_id is the task's id): a cursor then starts where the index does, not at its top.
      .orderByRaw(`${column} ${direction}, v.task_id ${direction}`)
      .limit(limit + 1);
    whereValues(withValue, 'v', conditions);
    if (after) withValue.whereRaw(`(${column}, v.task_id) ${descending ? '<' : '>'} (?::${CASTS[field.column]}, ?)`, [after.value as string | number, after.id]);
    rows.push(...((await withValue) as typeof rows));
  }
  // A condition on the sort field's value leaves out the tasks without one.
  if (rows.length <= limit && conditions.length === 0) {
    const without = base()
      .whereNotExists(function value(this: Knex.QueryBuilder) {
        this.from('task_field_values as v').whereRaw('v.task_id = tasks.id').where('v.field_id', field.fieldId).whereNotNull(column).select('v.task_id');
      })
      .select(TASK_COLUMNS)
      .orderBy('tasks.id', direction)
      .limit(limit + 1 - rows.length);
    if (after?.value === null) without.where('tasks.id', descending ? '<' : '>', after.id);
    rows.push(...((await without) as typeof rows));
  }
  const valueOf = (row: { cfSortValue?: unknown }) => (row.cfSortValue instanceof Date ? row.cfSortValue.toISOString() : (row.cfSortValue ?? null));
  return { rows, cursorOf: (last) => encodeCursor([sort, valueOf(last as { cfSortValue?: unknown }), last.id]) };
}
