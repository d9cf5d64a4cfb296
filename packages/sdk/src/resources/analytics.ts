import type { RequestOptions } from '../core/http.js';
import type { AnalyticsRangeQuery, AnalyticsSummary, AnalyticsTrend, ByAssigneeReport, ByLabelReport, CountsReport, CycleTimeReport } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/analytics`: figures over the tasks the caller may see (members: their own). */
export class Analytics extends APIResource {
  /** Counts, per-assignee figures, trend and cycle time over a date range. */
  summary(query?: AnalyticsRangeQuery, options?: RequestOptions): Promise<AnalyticsSummary> {
    return this.http.request({ method: 'GET', path: '/api/analytics/summary', query, options });
  }

  /** Tasks by status and priority, overdue and due this week. */
  counts(options?: RequestOptions): Promise<CountsReport> {
    return this.http.request({ method: 'GET', path: '/api/analytics/counts', options });
  }

  /** Open, done and overdue tasks per assignee. */
  byAssignee(options?: RequestOptions): Promise<ByAssigneeReport> {
    return this.http.request({ method: 'GET', path: '/api/analytics/by-assignee', options });
  }

  /** Open, done and overdue tasks per label, and those without one; `project` narrows them to one project. */
  byLabel(query?: { project?: string }, options?: RequestOptions): Promise<ByLabelReport> {
    return this.http.request({ method: 'GET', path: '/api/analytics/by-label', query, options });
  }

  /** Created versus completed per day. */
  trend(query?: AnalyticsRangeQuery, options?: RequestOptions): Promise<AnalyticsTrend> {
    return this.http.request({ method: 'GET', path: '/api/analytics/trend', query, options });
  }

  /** Time from creation to completion. */
  cycleTime(query?: AnalyticsRangeQuery, options?: RequestOptions): Promise<CycleTimeReport> {
    return this.http.request({ method: 'GET', path: '/api/analytics/cycle-time', query, options });
  }
}
