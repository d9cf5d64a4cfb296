import type { TSchema } from '@sinclair/typebox';
import { EXPORT_FORMATS, ExportInput, ExportJob, type ExportInputDto, type ExportJobDto } from '../schemas/exports.js';
import { compileValidator } from '../schemas/validate.js';
import type { GraphqlContext } from './context.js';
import { DATA_JOB_NAMED } from './dataJobs.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { enumType, objectType } from './fromSchemas.js';
import { numericIds } from './inputs.js';
import { connection, pageSize, toId } from './pagination.js';

const formatEnum = enumType('ExportFormat', EXPORT_FORMATS, 'json: a zip of records and files; csv: one row per task');
const DownloadSchema = ExportJob.properties.download.anyOf[0] as TSchema;
const NAMED = new Map<TSchema, string>([...DATA_JOB_NAMED, [ExportInput.properties.format, 'ExportFormat'], [DownloadSchema, 'ExportDownload']]);

export const exportTypeDefs = /* GraphQL */ `
${formatEnum.sdl}
  type ExportDownload {
    "A signed URL of the file (no bearer header needed), valid until expiresAt."
    url: String!
    expiresAt: DateTime!
  }

  ${objectType('type', 'ExportJob', ExportJob, {
    named: NAMED,
    description: 'An export running in the background, then its download',
    fields: { createdBy: { type: ': User', description: 'Who started it (null once that user is gone)' } },
  })}
  type ExportJobEdge {
    node: ExportJob!
  }

  type ExportJobConnection {
    edges: [ExportJobEdge!]!
    nodes: [ExportJob!]!
    pageInfo: PageInfo!
  }

  ${objectType('input', 'StartExportInput', ExportInput, { named: NAMED, fields: { projectId: ': ID', filters: { type: ': JSON', description: 'The task list’s filters (as POST /api/exports takes them)' } } })}

  extend type Query {
    "Your exports, newest first (an admin: the workspace's); first ≤ 100."
    exports(first: Int = 50, after: String): ExportJobConnection!
    "One export: its progress and, once done, a download URL valid for 15 minutes."
    export(id: ID!): ExportJob!
  }

  extend type Mutation {
    "Starts an export in the background (POST /api/exports); follow it with export(id) or the export.progress events."
    startExport(input: StartExportInput!): ExportJob!
  }
`;

const validate = compileValidator(ExportInput, 'body');
const input = underArgument('input');

export const exportResolvers = {
  ...formatEnum.resolvers,
  ExportJob: {
    createdBy: (job: ExportJobDto, _: unknown, ctx: GraphqlContext) => (job.createdBy === null ? null : ctx.loaders.users.load(job.createdBy)),
  },
  Query: {
    exports: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: GraphqlContext) =>
      connection(await ctx.services.exports.list(ctx.caller, { limit: pageSize(args.first, 50), cursor: args.after ?? undefined })),
    export: (_: unknown, args: { id: string }, ctx: GraphqlContext) => ctx.services.exports.get(ctx.caller, toId(args.id, 'id')),
  },
  Mutation: {
    startExport: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<ExportInputDto>(validate, numericIds(args.input, ['projectId']), input);
      return asArguments(input, () => ctx.services.exports.start(ctx.caller, body));
    },
  },
};
