import { caller, type Api } from '../http/api.js';
import {
  AnalyticsProjectQuery, AnalyticsRangeQuery, ByLabelReport,
  AnalyticsSummary,
  ByAssigneeReport,
  CountsReport,
  CycleTimeReport,
  Trend,
} from '../schemas/analytics.js';
import { problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

const SCOPE_NOTE =
  'Managers and admins see the whole workspace; members see the same figures over the tasks they created or are assigned to ' +
  '(the response says which in `scope`).';

export function registerAnalyticsRoutes(api: Api, services: Services): void {
  const tags = ['Analytics'];

  api.route({
    method: 'get',
    path: '/api/analytics/summary',
    operationId: 'getAnalyticsSummary',
    summary: 'Every dashboard figure in one response',
    description:
      `Counts by status and priority, overdue and due this week, per-assignee figures (all as of now), and over the range: ` +
      `created versus completed per day, completion rate and cycle time. ${SCOPE_NOTE}`,
    tags,
    auth: 'user',
    query: AnalyticsRangeQuery,
    responses: { 200: { description: 'The figures', schema: AnalyticsSummary }, 400: problem('Invalid range or time zone') },
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.summary(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/counts',
    operationId: 'getAnalyticsCounts',
    summary: 'Tasks by status and priority, overdue and due this week, now',
    description: SCOPE_NOTE,
    tags,
    auth: 'user',
    query: AnalyticsProjectQuery,
    responses: { 200: { description: 'The counts', schema: CountsReport } },
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.counts(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/by-assignee',
    operationId: 'getAnalyticsByAssignee',
    summary: 'Open, done and overdue tasks per assignee, now',
    description: SCOPE_NOTE,
    tags,
    auth: 'user',
    responses: { 200: { description: 'One entry per assignee, plus the unassigned tasks', schema: ByAssigneeReport } },
    query: AnalyticsProjectQuery,
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.assignees(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/by-label',
    operationId: 'getAnalyticsByLabel',
    summary: 'Open, done and overdue tasks per label, now',
    description: SCOPE_NOTE,
    tags,
    auth: 'user',
    responses: { 200: { description: 'One entry per label, plus the tasks without one', schema: ByLabelReport } },
    query: AnalyticsProjectQuery,
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.labels(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/trend',
    operationId: 'getAnalyticsTrend',
    summary: 'Tasks created versus completed per day over a range',
    description: `Every day of the range is listed, with zeros on days without activity. ${SCOPE_NOTE}`,
    tags,
    auth: 'user',
    query: AnalyticsRangeQuery,
    responses: { 200: { description: 'The trend', schema: Trend }, 400: problem('Invalid range or time zone') },
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.trend(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/analytics/cycle-time',
    operationId: 'getAnalyticsCycleTime',
    summary: 'Median and p90 time from creation to completion over a range',
    description: SCOPE_NOTE,
    tags,
    auth: 'user',
    query: AnalyticsRangeQuery,
    responses: { 200: { description: 'The cycle time', schema: CycleTimeReport }, 400: problem('Invalid range or time zone') },
    handler: async (ctx, { query }) => {
      ctx.body = await services.analytics.cycleTime(caller(ctx), query);
    },
  });
}
