import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Strict, Timestamp, named } from './common.js';
import { ProjectRef, STATUS_CATEGORIES, type StatusCategory } from './projects.js';

/** The longest range a request may ask for, in days. */
export const MAX_RANGE_DAYS = 366;
/** Calendar days the default range covers, today included. */
export const DEFAULT_RANGE_DAYS = 30;

export const AnalyticsRangeQuery = Strict({
  from: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        `Start of the range, inclusive. Default: local midnight (in \`timezone\`) ${DEFAULT_RANGE_DAYS - 1} days before the day of \`to\`, ` +
        `so the default range is the last ${DEFAULT_RANGE_DAYS} calendar days, today included. ` +
        `Must be before \`to\` and at most ${MAX_RANGE_DAYS} days before it.`,
    }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the range, exclusive. Default: now.' })),
  timezone: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_+\\-/]+$',
      default: 'UTC',
      description: 'IANA time zone (e.g. `Europe/Paris`) whose calendar days the trend is bucketed by. Default: UTC.',
    }),
  ),
  project: Type.Optional(ProjectRef),
});
/** The figures of one project only (id, key or `ext:<externalId>`); every project the caller sees by default. */
export const AnalyticsProjectQuery = Strict({ project: Type.Optional(ProjectRef) });
export type AnalyticsRangeQueryInput = Static<typeof AnalyticsRangeQuery>;

const Count = Type.Integer({ minimum: 0 });

export const AnalyticsScope = StringEnum(['workspace', 'own'], {
  description: '`workspace`: every task of the workspace (managers and admins). `own`: only tasks the caller created or is assigned to (members).',
});

export const AnalyticsRange = named(
  'AnalyticsRange',
  Type.Object(
    { from: Timestamp, to: Timestamp, timezone: Type.String() },
    { description: 'The range the trend, cycle time and completion figures cover: [from, to).' },
  ),
);

export const StatusCounts = named(
  'StatusCounts',
  Type.Object(
    { todo: Count, in_progress: Count, in_review: Count, done: Count },
    {
      additionalProperties: Count,
      description: 'Tasks per status key, now (not limited to the range): the four default statuses always, and every other status that has tasks.',
    },
  ),
);

export const CategoryCounts = named(
  'CategoryCounts',
  Type.Object(Object.fromEntries(STATUS_CATEGORIES.map((category) => [category, Count])) as Record<StatusCategory, typeof Count>, {
    description: 'Tasks per status category, now: the same figures whatever each project calls its statuses.',
  }),
);

export const PriorityCounts = named(
  'PriorityCounts',
  Type.Object(
    { low: Count, medium: Count, high: Count, urgent: Count },
    { description: 'Tasks per priority, now (not limited to the range).' },
  ),
);

export const TaskCounts = named(
  'TaskCounts',
  Type.Object(
    {
      total: Count,
      open: Type.Integer({ minimum: 0, description: 'Tasks whose status category is not `completed` or `canceled`.' }),
      done: Count,
      overdue: Type.Integer({ minimum: 0, description: 'Open tasks whose due date is before now.' }),
      dueThisWeek: Type.Integer({
        minimum: 0,
        description: 'Open tasks due from now up to, not including, now + 7 days. Overdue tasks are not counted here.',
      }),
      byStatus: StatusCounts,
      byCategory: CategoryCounts,
      byPriority: PriorityCounts,
    },
    { description: 'The state of the tasks in scope now, whatever the range.' },
  ),
);

const AssigneeFields = {
  open: Type.Integer({ minimum: 0, description: 'Assigned tasks whose status category is not `completed` or `canceled`.' }),
  done: Count,
  overdue: Type.Integer({ minimum: 0, description: 'Open assigned tasks whose due date is before now.' }),
};

export const AssigneeFigures = named(
  'AssigneeFigures',
  Type.Object({ userId: Id, name: Type.String(), ...AssigneeFields }),
);

export const AssigneeBreakdown = named(
  'AssigneeBreakdown',
  Type.Object(
    {
      data: Type.Array(AssigneeFigures, { description: 'One entry per assignee with tasks in scope; most open tasks first, then by user id.' }),
      unassigned: Type.Object(AssigneeFields, { description: 'The same figures for tasks assigned to nobody.' }),
    },
    { description: 'Open, done and overdue tasks per assignee, now (not limited to the range).' },
  ),
);

export const TrendDay = named(
  'TrendDay',
  Type.Object({
    date: Type.String({ format: 'date', description: 'Calendar day in the requested time zone.' }),
    created: Type.Integer({ minimum: 0, description: 'Tasks created that day (within the range).' }),
    completed: Type.Integer({ minimum: 0, description: 'Done tasks whose completion time falls on that day (within the range).' }),
  }),
);

export const CompletionFigures = named(
  'CompletionFigures',
  Type.Object(
    {
      created: Type.Integer({ minimum: 0, description: 'Tasks created in the range.' }),
      completed: Type.Integer({ minimum: 0, description: 'Done tasks completed in the range, whenever they were created.' }),
      completionRate: Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Share of the tasks created in the range that are done now, from 0 to 1; 0 when none were created.',
      }),
    },
    { description: 'Throughput over the range.' },
  ),
);

export const Trend = named(
  'AnalyticsTrend',
  Type.Object({
    scope: AnalyticsScope,
    range: AnalyticsRange,
    days: Type.Array(TrendDay, { description: 'Every calendar day the range touches, oldest first; days without activity count 0.' }),
    totals: CompletionFigures,
  }),
);

export const CycleTime = named(
  'CycleTime',
  Type.Object(
    {
      count: Type.Integer({ minimum: 0, description: 'Done tasks completed in the range: the sample.' }),
      medianHours: Type.Number({ minimum: 0, description: 'Median (interpolated 50th percentile); 0 when the sample is empty.' }),
      p90Hours: Type.Number({ minimum: 0, description: 'Interpolated 90th percentile; 0 when the sample is empty.' }),
      averageHours: Type.Number({ minimum: 0, description: 'Mean; 0 when the sample is empty.' }),
    },
    { description: 'Hours from creation to completion of the done tasks completed in the range (negative spans count as 0).' },
  ),
);

export const CycleTimeReport = named(
  'CycleTimeReport',
  Type.Object({ scope: AnalyticsScope, range: AnalyticsRange, cycleTime: CycleTime }),
);

export const CountsReport = named(
  'CountsReport',
  Type.Object({ scope: AnalyticsScope, generatedAt: Timestamp, counts: TaskCounts }),
);

export const ByAssigneeReport = named(
  'ByAssigneeReport',
  Type.Object({ scope: AnalyticsScope, generatedAt: Timestamp, ...AssigneeBreakdown.properties }),
);

const TaskFigures = {
  open: Type.Integer({ minimum: 0, description: 'Tasks whose status category is not `completed` or `canceled`.' }),
  done: Type.Integer({ minimum: 0 }),
  overdue: Type.Integer({ minimum: 0, description: 'Open tasks whose due date is before now.' }),
};

export const ByLabelReport = named(
  'ByLabelReport',
  Type.Object({
    scope: AnalyticsScope,
    generatedAt: Timestamp,
    data: Type.Array(Type.Object({ labelId: Id, name: Type.String(), color: Type.String(), ...TaskFigures }), {
      description: 'One entry per label with tasks in scope; most open tasks first. A task with two labels counts under each.',
    }),
    unlabeled: Type.Object(TaskFigures, { description: 'The same figures for tasks without a label.' }),
  }),
);
export type ByLabelReportDto = Static<typeof ByLabelReport>;

export const AnalyticsSummary = named(
  'AnalyticsSummary',
  Type.Object({
    scope: AnalyticsScope,
    generatedAt: Type.String({ format: 'date-time', description: 'The "now" that overdue and due-this-week are measured against.' }),
    range: AnalyticsRange,
    counts: TaskCounts,
    byAssignee: AssigneeBreakdown,
    trend: Type.Array(TrendDay, { description: 'Every calendar day the range touches, oldest first; days without activity count 0.' }),
    completion: CompletionFigures,
    cycleTime: CycleTime,
  }),
);

export type AnalyticsSummaryDto = Static<typeof AnalyticsSummary>;
export type TaskCountsDto = Static<typeof TaskCounts>;
export type AssigneeBreakdownDto = Static<typeof AssigneeBreakdown>;
export type TrendDayDto = Static<typeof TrendDay>;
export type CompletionFiguresDto = Static<typeof CompletionFigures>;
export type CycleTimeDto = Static<typeof CycleTime>;
export type AnalyticsRangeDto = Static<typeof AnalyticsRange>;
