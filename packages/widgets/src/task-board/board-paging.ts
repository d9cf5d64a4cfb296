import type { Task, TaskCountsQuery, TaskListQuery, TaskStatus } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';
import { structureQuery } from '../shared/structure.js';
import { emptyColumns, type Columns } from './board-moves.js';

/** Cards fetched per request (the API's maximum page size). */
export const COLUMN_PAGE_SIZE = 100;

/** Where a column's next page starts, and how many tasks it holds in all. */
export interface ColumnPaging {
  /** The keyset cursor of the next page; null once every card is loaded. */
  cursor: string | null;
  /** The true number of tasks in the column, or null when the API cannot tell (see `columnCount`). */
  total: number | null;
}

export type Paging = Record<TaskStatus, ColumnPaging>;

/** The board's filters, as sent to GET /api/tasks. */
export interface BoardQuery {
  /** The project's id (the board always shows one project). */
  project?: number;
  assignee?: string;
  priority?: Task['priority'];
  q?: string;
  /** Label ids or names (any of). */
  label?: string;
  /** Custom-field filters, `key=value&…` (sent as `cf.<key>=value`). */
  cf?: string;
  /** A saved view's id: its filters apply under the board's own. */
  view?: string;
}

/** The board's filter attributes ('' meaning "any") as a query. */
export function boardQuery(filters: { assignee: string; priority: string; q: string; label: string; cf: string; view: string }): BoardQuery {
  return {
    assignee: filters.assignee || undefined,
    priority: (filters.priority || undefined) as Task['priority'] | undefined,
    q: filters.q || undefined,
    label: filters.label || undefined,
    cf: filters.cf || undefined,
    view: filters.view || undefined,
  };
}

function listQuery(filters: BoardQuery, status: TaskStatus, cursor?: string): TaskListQuery {
  const query: TaskListQuery = { sort: 'position', limit: COLUMN_PAGE_SIZE, status: [status] };
  if (filters.project) query.project = String(filters.project);
  if (filters.assignee) query.assignee = filters.assignee;
  if (filters.priority) query.priority = [filters.priority];
  if (filters.q) query.q = filters.q;
  if (cursor) query.cursor = cursor;
  return Object.assign(query, structureQuery(filters));
}

/**
 * Every column's true total under the board's filters, from
 * GET /api/tasks/counts. Undefined when the server cannot answer (an older
 * server): the columns then show "100+" until they are fully loaded.
 */
async function columnTotals(client: AnyClient, filters: BoardQuery, signal: AbortSignal): Promise<{ byStatus: Record<TaskStatus, number>; total: number } | undefined> {
  const query: TaskCountsQuery = {};
  if (filters.project) query.project = String(filters.project);
  if (filters.assignee) query.assignee = filters.assignee;
  if (filters.priority) query.priority = [filters.priority];
  if (filters.q) query.q = filters.q;
  try {
    return await client.tasks.counts(Object.assign(query, structureQuery(filters)), { signal });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    return undefined;
  }
}

/** One column: at least `keep` cards (so a reload does not shrink what the user scrolled to), page by page. */
async function loadColumn(client: AnyClient, filters: BoardQuery, status: TaskStatus, keep: number, signal: AbortSignal) {
  const tasks: Task[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.tasks.list(listQuery(filters, status, cursor ?? undefined), { signal });
    tasks.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor && tasks.length < keep);
  return { tasks, cursor };
}

/** Loads every column's first pages (or as many as `keep` asks) and their true counts. */
export async function loadBoard(
  client: AnyClient,
  filters: BoardQuery,
  statuses: readonly string[],
  keep: Partial<Record<TaskStatus, number>>,
  signal: AbortSignal,
): Promise<{ columns: Columns; paging: Paging; total?: number }> {
  const [counts, ...loaded] = await Promise.all([
    columnTotals(client, filters, signal),
    ...statuses.map((status) => loadColumn(client, filters, status, keep[status] ?? 0, signal)),
  ]);
  const columns = emptyColumns(statuses);
  const paging: Paging = {};
  statuses.forEach((status, i) => {
    const { tasks, cursor } = loaded[i] as { tasks: Task[]; cursor: string | null };
    columns[status] = tasks;
    // A fully loaded column counts itself; otherwise the server's totals tell.
    paging[status] = { cursor, total: cursor === null ? tasks.length : (counts?.byStatus[status] ?? null) };
  });
  // How many tasks match the filters (shown in the filter bar); unknown without the counts route.
  return { columns, paging, total: counts?.total };
}

/** The next page of one column. */
export async function loadMore(client: AnyClient, filters: BoardQuery, status: TaskStatus, cursor: string) {
  const page = await client.tasks.list(listQuery(filters, status, cursor));
  return { tasks: page.data, cursor: page.nextCursor };
}

/** The number a column's header shows: the true total, or "100+" when only a lower bound is known. */
export function columnCount(loaded: number, paging: ColumnPaging | undefined, format: (n: number) => string): string {
  if (!paging || paging.cursor === null) return format(loaded);
  if (paging.total !== null) return format(Math.max(paging.total, loaded));
  return `${format(loaded)}+`;
}
