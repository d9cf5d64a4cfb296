import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { validationFailed } from '../domain/errors.js';
import type { StatusCategory } from '../schemas/projects.js';
import type { TaskPriority } from '../schemas/tasks.js';
import { seesEveryProject } from '../models/Project.js';
import type { ProjectService } from './projects.js';
import {
  type ByLabelReportDto,
  DEFAULT_RANGE_DAYS,
  type AnalyticsRangeQueryInput,
  type AnalyticsSummaryDto,
  type AssigneeBreakdownDto,
  type CompletionFiguresDto,
  type CycleTimeDto,
  type TaskCountsDto,
  type TrendDayDto,
} from '../schemas/analytics.js';
import { checkRange, rangeDto, rangeKey, type AnalyticsRange } from './analyticsRange.js';
import { BoundedCache } from './boundedCache.js';
import { labelFigures } from './labelAnalytics.js';
import { roleAtLeast } from './roles.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

type Bindings = Record<string, string | number>;
type Row = Record<string, unknown>;

/*
 * Two queries, raw SQL (snake_case, results not case-mapped), each filtering
 * by workspace first:
 *
 * - `snapshot`: one pass over the tasks in scope, grouped by status, priority,
 *   assignee and due class (overdue / due this week / other). That is at most
 *   a few hundred rows, folded here into every "now" figure. One hash
 *   aggregate over a few keys costs far less than a dozen FILTER aggregates.
 * - `period`: the tasks created in the range (through the created_at index)
 *   and those completed in it, per local day over a zero-filled
 *   generate_series, with the cycle-time percentiles.
 *
 * Aggregates are cast to int / float8 so `pg` and PGlite both return numbers.
 */

const SNAPSHOT_SQL = (scope: string) => `
  with grouped as (
    select t.status, t.status_category, t.priority, t.assigned_to,
      case when t.due_date < cast(:now as timestamptz) then 1
           when t.due_date < cast(:weekEnd as timestamptz) then 2
           else 0 end as due_class,
      count(*)::int as n
    from tasks t
    where ${scope}
    group by 1, 2, 3, 4, 5)
  select g.status, g.status_category, g.priority, g.assigned_to, g.due_class, g.n, u.name
  from grouped g
  left join users u on u.workspace_id = :workspaceId and u.id = g.assigned_to`;

const CREATED_IN_RANGE = 't.created_at >= cast(:from as timestamptz) and t.created_at < cast(:to as timestamptz)';
const COMPLETED_IN_RANGE = `t.status_category = 'completed' and t.completed_at >= cast(:from as timestamptz) and t.completed_at < cast(:to as timestamptz)`;

const PERIOD_SQL = (scope: string) => `
  with created as (
    select (t.created_at at time zone :timezone)::date as day, count(*)::int as n,
      count(*) filter (where t.status_category = 'completed')::int as done
    from tasks t
    where ${scope} and ${CREATED_IN_RANGE}
    group by 1
  ), completed as (
    select (t.completed_at at time zone :timezone)::date as day,
      greatest(extract(epoch from (t.completed_at - t.created_at))::float8, 0) / 3600 as hours
    from tasks t
    where ${scope} and ${COMPLETED_IN_RANGE}
  ), completed_days as (
    select day, count(*)::int as n from completed group by day
  ), cycle as (
    select count(*)::int as n,
      coalesce(percentile_cont(0.5) within group (order by hours), 0)::float8 as median,
      coalesce(percentile_cont(0.9) within group (order by hours), 0)::float8 as p90,
      coalesce(avg(hours), 0)::float8 as average
    from completed)
  select to_char(s.day, 'YYYY-MM-DD') as date,
    coalesce(cr.n, 0)::int as created, coalesce(cr.done, 0)::int as created_done, coalesce(cd.n, 0)::int as completed,
    cy.n as cycle_count, cy.median as cycle_median, cy.p90 as cycle_p90, cy.average as cycle_average
  from generate_series(
         (cast(:from as timestamptz) at time zone :timezone)::date,
         ((cast(:to as timestamptz) - interval '1 microsecond') at time zone :timezone)::date,
         interval '1 day') as s(day)
  cross join cycle cy
  left join created cr on cr.day = s.day::date
  left join completed_days cd on cd.day = s.day::date
  order by s.day`;

interface Snapshot {
  counts: TaskCountsDto;
  byAssignee: AssigneeBreakdownDto;
}

interface Period {
  days: TrendDayDto[];
  completion: CompletionFiguresDto;
  cycleTime: CycleTimeDto;
}

/**
 * Task analytics. Managers and admins see the whole workspace; members see
 * the same figures over the tasks they created or are assigned to.
 */
export class AnalyticsService {
  /**
   * Summaries computed lately, keyed `workspace|scope|range`; a workspace's are
   * dropped when it changes (see server.ts). Bounded: every distinct range a
   * client asks for is a key.
   */
  private readonly cache: BoundedCache<string, Promise<AnalyticsSummaryDto>>;

  constructor(
    private readonly knex: Knex,
    private readonly projects: ProjectService,
    /** How long a summary may be served again while nothing changes; 0 disables the cache. */
    private readonly cacheMs = 0,
    /** Summaries kept at most, across workspaces. */
    cacheEntries = 1000,
  ) {
    this.cache = new BoundedCache(cacheEntries, cacheMs);
  }

  /**
   * Everything the dashboard shows. Dashboards ask often and the figures
   * cost two scans of the workspace's tasks, so a summary is reused (and
   * concurrent identical requests share one computation) until the
   * workspace changes or `cacheMs` passes.
   */
  async summary(caller: Caller, query: AnalyticsRangeQueryInput): Promise<AnalyticsSummaryDto> {
    const scope = await this.scope(caller, query.project);
    if (this.cacheMs <= 0) return this.computeSummary(caller, scope, query);
    const key = `${caller.workspaceId}|${scope.key}|${rangeKey(query)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const summary = this.computeSummary(caller, scope, query);
    this.cache.set(key, summary);
    summary.catch(() => this.cache.delete(key, summary));
    return summary;
  }

  /** Forgets a workspace's cached summaries (its tasks changed). */
  invalidate(workspaceId: number): void {
    const prefix = `${workspaceId}|`;
    this.cache.deleteWhere((key) => key.startsWith(prefix));
  }

  /** How many summaries are cached (tests, metrics). */
  cachedSummaries(): number {
    return this.cache.size;
  }

  /** Two queries, run side by side. */
  private async computeSummary(caller: Caller, scope: Scope, query: AnalyticsRangeQueryInput): Promise<AnalyticsSummaryDto> {
    const now = new Date();
    checkRange(query, now); // before any query starts: a bad range costs nothing
    const [snapshot, { range, period }] = await Promise.all([
      this.snapshot(scope, now),
      this.resolveRange(query, now).then(async (range) => ({ range, period: await this.period(scope, range) })),
    ]);
    return {
      scope: scopeOf(caller),
      generatedAt: now.toISOString(),
      range: rangeDto(range),
      counts: snapshot.counts,
      byAssignee: snapshot.byAssignee,
      trend: period.days,
      completion: period.completion,
      cycleTime: period.cycleTime,
    };
  }

  /** Tasks per status and priority, overdue and due this week, now. */
  async counts(caller: Caller, query: { project?: string } = {}) {
    const now = new Date();
    const { counts } = await this.snapshot(await this.scope(caller, query.project), now);
    return { scope: scopeOf(caller), generatedAt: now.toISOString(), counts };
  }

  /** Open, done and overdue tasks per assignee, now. */
  async assignees(caller: Caller, query: { project?: string } = {}) {
    const now = new Date();
    const { byAssignee } = await this.snapshot(await this.scope(caller, query.project), now);
    return { scope: scopeOf(caller), generatedAt: now.toISOString(), ...byAssignee };
  }

  /** Created and completed tasks per day over the range, with the range's totals. */
  /** Open, done and overdue tasks per label, now. */
  async labels(caller: Caller, query: { project?: string } = {}): Promise<ByLabelReportDto> {
    const now = new Date();
    const figures = await labelFigures(this.knex, await this.scope(caller, query.project), now);
    return { scope: scopeOf(caller), generatedAt: now.toISOString(), ...figures };
  }

  async trend(caller: Caller, query: AnalyticsRangeQueryInput) {
    const range = await this.resolveRange(query, new Date());
    const { days, completion } = await this.period(await this.scope(caller, query.project), range);
    return { scope: scopeOf(caller), range: rangeDto(range), days, totals: completion };
  }

  /** Median, p90 and mean time from creation to completion over the range. */
  async cycleTime(caller: Caller, query: AnalyticsRangeQueryInput) {
    const range = await this.resolveRange(query, new Date());
    const { cycleTime } = await this.period(await this.scope(caller, query.project), range);
    return { scope: scopeOf(caller), range: rangeDto(range), cycleTime };
  }

  /**
   * Applies the defaults (to = now; from = local midnight starting the last
   * 30 calendar days, today included) after checking the range.
   */
  async resolveRange(query: AnalyticsRangeQueryInput, now: Date): Promise<AnalyticsRange> {
    const { from, to, timezone } = checkRange(query, now);
    if (from) return { from, to, timezone };
    // Calendar arithmetic in the database, so DST follows the zone data the trend is bucketed with.
    const rows = await this.rows(
      `select (date_trunc('day', (cast(:to as timestamptz) - interval '1 microsecond') at time zone :timezone)
                - make_interval(days => :days)) at time zone :timezone as start`,
      { to: to.toISOString(), timezone, days: DEFAULT_RANGE_DAYS - 1 },
    );
    return { from: new Date(rows[0]!.start as Date | string), to, timezone };
  }

  /** The "now" figures, folded from one grouped pass over the tasks in scope. */
  private async snapshot(scope: Scope, now: Date): Promise<Snapshot> {
    const { sql, bindings } = scope;
    const rows = await this.rows(SNAPSHOT_SQL(sql), {
      ...bindings,
      now: now.toISOString(),
      weekEnd: new Date(now.getTime() + WEEK_MS).toISOString(),
    });
    const counts: TaskCountsDto = {
      total: 0,
      open: 0,
      done: 0,
      overdue: 0,
      dueThisWeek: 0,
      byStatus: { todo: 0, in_progress: 0, in_review: 0, done: 0 },
      byCategory: { backlog: 0, unstarted: 0, started: 0, completed: 0, canceled: 0 },
      byPriority: { low: 0, medium: 0, high: 0, urgent: 0 },
    };
    const unassigned = { open: 0, done: 0, overdue: 0 };
    const assignees = new Map<number, AssigneeBreakdownDto['data'][number]>();
    for (const row of rows) {
      const n = num(row.n);
      const category = row.status_category as StatusCategory;
      const isDone = category === 'completed';
      const isOpen = !isDone && category !== 'canceled';
      // The due class is computed for every row; it only counts for open tasks.
      const overdue = isOpen && num(row.due_class) === 1 ? n : 0;
      counts.total += n;
      const byStatus = counts.byStatus as Record<string, number>;
      byStatus[row.status as string] = (byStatus[row.status as string] ?? 0) + n;
      counts.byCategory[category] += n;
      counts.byPriority[row.priority as TaskPriority] += n;
      counts.overdue += overdue;
      if (isOpen && num(row.due_class) === 2) counts.dueThisWeek += n;
      let bucket: { open: number; done: number; overdue: number } = unassigned;
      if (row.assigned_to !== null) {
        const userId = num(row.assigned_to);
        const entry = assignees.get(userId) ?? { userId, name: String(row.name ?? ''), open: 0, done: 0, overdue: 0 };
        assignees.set(userId, entry);
        bucket = entry;
      }
      if (isDone) bucket.done += n;
      else if (isOpen) bucket.open += n;
      bucket.overdue += overdue;
    }
    counts.done = counts.byCategory.completed;
    counts.open = counts.total - counts.done - counts.byCategory.canceled;
    const data = [...assignees.values()].sort((a, b) => b.open - a.open || b.done - a.done || a.userId - b.userId);
    return { counts, byAssignee: { data, unassigned } };
  }

  /** Per-day trend, completion and cycle time over a range, in one query. */
  private async period(scope: Scope, range: AnalyticsRange): Promise<Period> {
    const { sql, bindings } = scope;
    const rows = await this.rows(PERIOD_SQL(sql), {
      ...bindings,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      timezone: range.timezone,
    });
    let created = 0;
    let createdDone = 0;
    let completed = 0;
    const days = rows.map((row) => {
      created += num(row.created);
      createdDone += num(row.created_done);
      completed += num(row.completed);
      return { date: String(row.date), created: num(row.created), completed: num(row.completed) };
    });
    const first = rows[0] ?? {};
    return {
      days,
      completion: { created, completed, completionRate: created === 0 ? 0 : createdDone / created },
      cycleTime: {
        count: num(first.cycle_count),
        medianHours: num(first.cycle_median),
        p90Hours: num(first.cycle_p90),
        averageHours: num(first.cycle_average),
      },
    };
  }

  /**
   * Which tasks the figures cover: the caller's workspace; for members, the
   * tasks they created or are assigned to; only projects the caller sees
   * (or the one asked for).
   */
  private async scope(caller: Caller, project: string | undefined): Promise<Scope> {
    const ids = project !== undefined ? [(await this.projects.get(caller, project)).id] : seesEveryProject(caller) ? null : await this.projects.visibleIdList(caller);
    const filter = scopeFilter(caller);
    // Ids from the database, integers: safe to write into the statement.
    const projects = ids === null ? '' : ids.length === 0 ? ' and false' : ` and t.project_id in (${ids.map(Number).join(', ')})`;
    return { ...filter, sql: filter.sql + projects, key: `${scopeOf(caller) === 'own' ? caller.userId : 'all'}|${ids?.join(',') ?? '*'}` };
  }

  private async rows(sql: string, bindings: Bindings): Promise<Row[]> {
    try {
      const result = (await this.knex.raw(sql, bindings)) as { rows: Row[] };
      return result.rows;
    } catch (error) {
      // invalid_parameter_value: a zone the runtime knows but the database's zone data does not.
      if ((error as { code?: string }).code === '22023' && bindings.timezone !== undefined) {
        throw validationFailed([{ path: 'timezone', in: 'query', message: 'is not a time zone the database knows' }]);
      }
      throw error;
    }
  }
}

export interface Scope {
  sql: string;
  bindings: Bindings;
  /** What the scope covers, for the summary cache's key. */
  key: string;
}

/** The tenant filter, always first; members are further limited to their own tasks. */
function scopeFilter(caller: Caller): { sql: string; bindings: Bindings } {
  const bindings = { workspaceId: caller.workspaceId, userId: caller.userId };
  if (scopeOf(caller) === 'workspace') return { sql: 't.workspace_id = :workspaceId', bindings };
  return { sql: 't.workspace_id = :workspaceId and (t.created_by = :userId or t.assigned_to = :userId)', bindings };
}

function scopeOf(caller: Caller): 'workspace' | 'own' {
  return roleAtLeast(caller.role, 'manager') ? 'workspace' : 'own';
}

/** A count or measure from a row: always a number, 0 when absent. */
const num = (value: unknown) => Number(value ?? 0);
