import { compileValidator } from '../schemas/validate.js';
import { AnalyticsRangeQuery, type AnalyticsRangeQueryInput, type AssigneeBreakdownDto, type TaskCountsDto } from '../schemas/analytics.js';
import type { GraphqlContext } from './context.js';
import { asArguments, renameFields, underArgument } from './errors.js';

export const analyticsTypeDefs = /* GraphQL */ `
  "WORKSPACE: every task (managers and admins). OWN: tasks the caller created or is assigned to (members)."
  enum AnalyticsScope {
    WORKSPACE
    OWN
  }

  "The range trend, cycle time and completion cover: [from, to)."
  type AnalyticsRange {
    from: DateTime!
    to: DateTime!
    timezone: String!
  }

  type StatusCounts {
    todo: Int!
    inProgress: Int!
    inReview: Int!
    done: Int!
  }

  type PriorityCounts {
    low: Int!
    medium: Int!
    high: Int!
    urgent: Int!
  }

  "The state of the tasks in scope now, whatever the range."
  type TaskCounts {
    total: Int!
    open: Int!
    done: Int!
    overdue: Int!
    dueThisWeek: Int!
    byStatus: StatusCounts!
    "Per status category: the same figures whatever each project calls its statuses (the type is shared with TaskTotals)."
    byCategory: CategoryTotals!
    byPriority: PriorityCounts!
  }

  type AssigneeFigures {
    userId: ID!
    user: User
    name: String!
    open: Int!
    done: Int!
    overdue: Int!
  }

  type UnassignedFigures {
    open: Int!
    done: Int!
    overdue: Int!
  }

  type AssigneeBreakdown {
    data: [AssigneeFigures!]!
    unassigned: UnassignedFigures!
  }

  type TrendDay {
    "Calendar day in the requested time zone (YYYY-MM-DD)."
    date: String!
    created: Int!
    completed: Int!
  }

  type CompletionFigures {
    created: Int!
    completed: Int!
    completionRate: Float!
  }

  "Hours from creation to completion of the tasks completed in the range."
  type CycleTime {
    count: Int!
    medianHours: Float!
    p90Hours: Float!
    averageHours: Float!
  }

  type AnalyticsSummary {
    scope: AnalyticsScope!
    generatedAt: DateTime!
    range: AnalyticsRange!
    counts: TaskCounts!
    byAssignee: AssigneeBreakdown!
    trend: [TrendDay!]!
    completion: CompletionFigures!
    cycleTime: CycleTime!
  }

  input AnalyticsRangeInput {
    "Default: local midnight 29 days before the day of to."
    from: DateTime
    "Default: now."
    to: DateTime
    "IANA time zone the days are counted in; default UTC."
    timezone: String
    "Only this project (id, key or ext:<externalId>); every project you see by default."
    project: String
  }

  extend type Query {
    "What the dashboard shows, as GET /api/analytics/summary."
    analytics(range: AnalyticsRangeInput): AnalyticsSummary!
  }
`;

const validateRange = compileValidator(AnalyticsRangeQuery, 'query');

export const analyticsResolvers = {
  AnalyticsScope: { WORKSPACE: 'workspace', OWN: 'own' },
  StatusCounts: {
    inProgress: (counts: TaskCountsDto['byStatus']) => counts.in_progress,
    inReview: (counts: TaskCountsDto['byStatus']) => counts.in_review,
  },
  AssigneeFigures: {
    user: (figures: AssigneeBreakdownDto['data'][number], _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(figures.userId),
  },
  Query: {
    analytics: (_: unknown, args: { range?: object | null }, ctx: GraphqlContext) => {
      const given = Object.fromEntries(Object.entries(args.range ?? {}).filter(([, value]) => value !== null));
      let range: AnalyticsRangeQueryInput;
      try {
        range = validateRange(given) as AnalyticsRangeQueryInput;
      } catch (error) {
        throw renameFields(error, underArgument('range'));
      }
      return asArguments(underArgument('range'), () => ctx.services.analytics.summary(ctx.caller, range));
    },
  },
};
