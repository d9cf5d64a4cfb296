import type { TSchema } from '@sinclair/typebox';
import { ImportJob, ImportResult, ImportRowError, type ImportJobDto } from '../schemas/imports.js';
import type { GraphqlContext } from './context.js';
import { DATA_JOB_NAMED } from './dataJobs.js';
import { objectType } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';

const Counts = ImportResult.properties.created as TSchema;
const NAMED = new Map<TSchema, string>([...DATA_JOB_NAMED, [Counts, 'ImportCounts'], [ImportRowError, 'ImportRowError'], [ImportResult, 'ImportResult']]);

/** Imports, read only: a file upload stays REST (POST /api/imports, multipart). */
export const importTypeDefs = /* GraphQL */ `
  ${objectType('type', 'ImportCounts', Counts as never, { description: 'Records by kind' })}
  ${objectType('type', 'ImportRowError', ImportRowError, { named: NAMED, description: 'A record the import refused: where it is in the file, and why' })}
  ${objectType('type', 'ImportResult', ImportResult, { named: NAMED, description: 'What an import made (a dry run: checked), and what it refused' })}
  ${objectType('type', 'ImportJob', ImportJob, {
    named: NAMED,
    description: 'An import running in the background (admins)',
    fields: { createdBy: { type: ': User', description: 'Who started it (null once that user is gone)' } },
  })}
  type ImportJobEdge {
    node: ImportJob!
  }

  type ImportJobConnection {
    edges: [ImportJobEdge!]!
    nodes: [ImportJob!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "The workspace's imports, newest first (admins); first ≤ 100. Start one with POST /api/imports (a file upload)."
    imports(first: Int = 50, after: String): ImportJobConnection!
    "One import: its progress and, once done, what it made and every error by line (admins)."
    import(id: ID!): ImportJob!
  }
`;

export const importResolvers = {
  ImportJob: {
    createdBy: (job: ImportJobDto, _: unknown, ctx: GraphqlContext) => (job.createdBy === null ? null : ctx.loaders.users.load(job.createdBy)),
  },
  Query: {
    imports: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: GraphqlContext) =>
      connection(await ctx.services.imports.list(ctx.caller, { limit: pageSize(args.first, 50), cursor: args.after ?? undefined })),
    import: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.services.imports.get(ctx.caller, toId(args.id, 'id')),
  },
};
