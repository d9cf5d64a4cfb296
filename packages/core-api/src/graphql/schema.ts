import { createSchema } from 'graphql-yoga';
import { analyticsResolvers, analyticsTypeDefs } from './analytics.js';
import { attachmentResolvers, attachmentTypeDefs } from './attachments.js';
import { recurrenceResolvers, recurrenceTypeDefs } from './recurrence.js';
import { commentResolvers, commentTypeDefs } from './comments.js';
import { fieldResolvers, fieldTypeDefs } from './fields.js';
import { labelResolvers, labelTypeDefs } from './labels.js';
import type { GraphqlContext, ServerContext } from './context.js';
import { notificationResolvers, notificationTypeDefs } from './notifications.js';
import { notificationPreferenceResolvers, notificationPreferenceTypeDefs } from './notificationPreferences.js';
import { calendarFeedResolvers, calendarFeedTypeDefs } from './calendarFeeds.js';
import { dataJobResolvers, dataJobTypeDefs } from './dataJobs.js';
import { exportResolvers, exportTypeDefs } from './exports.js';
import { importResolvers, importTypeDefs } from './imports.js';
import { PAGE_TYPES } from './pagination.js';
import { scalarResolvers, scalarTypeDefs } from './scalars.js';
import { subscriptionResolvers, subscriptionTypeDefs } from './subscriptions.js';
import { taskLinkResolvers, taskLinkTypeDefs } from './taskLinks.js';
import { taskResolvers, taskTypeDefs } from './tasks.js';
import { projectResolvers, projectTypeDefs } from './projects.js';
import { userResolvers, userTypeDefs } from './users.js';
import { viewResolvers, viewTypeDefs } from './views.js';

const rootTypeDefs = /* GraphQL */ `
  type Query
  type Mutation
`;

/**
 * The GraphQL schema: SDL per area, resolvers per area. Resolvers only
 * parse arguments, call the services REST calls and shape the reply; the
 * context carries the caller, so the schema itself is static (print-schema.ts).
 */
export function buildGraphqlSchema() {
  return createSchema<GraphqlContext & ServerContext>({
    typeDefs: [
      rootTypeDefs,
      scalarTypeDefs,
      PAGE_TYPES,
      taskTypeDefs,
      taskLinkTypeDefs,
      labelTypeDefs,
      fieldTypeDefs,
      viewTypeDefs,
      projectTypeDefs,
      commentTypeDefs,
      attachmentTypeDefs,
      userTypeDefs,
      notificationTypeDefs,
      notificationPreferenceTypeDefs,
      calendarFeedTypeDefs,
      dataJobTypeDefs,
      exportTypeDefs,
      importTypeDefs,
      recurrenceTypeDefs,
      analyticsTypeDefs,
      subscriptionTypeDefs,
    ],
    resolvers: [
      scalarResolvers,
      taskResolvers,
      taskLinkResolvers,
      labelResolvers,
      fieldResolvers,
      viewResolvers,
      projectResolvers,
      commentResolvers,
      attachmentResolvers,
      userResolvers,
      notificationResolvers,
      notificationPreferenceResolvers,
      calendarFeedResolvers,
      dataJobResolvers,
      exportResolvers,
      importResolvers,
      recurrenceResolvers,
      analyticsResolvers,
      subscriptionResolvers,
    ],
  });
}
