import type { TSchema } from '@sinclair/typebox';
import { DATA_JOB_KINDS, DATA_JOB_STATUSES, DataJobKindSchema, DataJobProgress, DataJobStatusSchema } from '../schemas/dataJobs.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';

const kindEnum = enumType('DataJobKind', DATA_JOB_KINDS, 'An export or an import');
const statusEnum = enumType('DataJobStatus', DATA_JOB_STATUSES, 'Where a background export or import is');

/** The types every job type (ExportJob, ImportJob) prints its shared fields with. */
export const DATA_JOB_NAMED: NamedTypes = new Map<TSchema, string>([
  [DataJobKindSchema, 'DataJobKind'],
  [DataJobStatusSchema, 'DataJobStatus'],
  [DataJobProgress, 'DataJobProgress'],
]);

export const dataJobTypeDefs = /* GraphQL */ `
${kindEnum.sdl}
${statusEnum.sdl}
  ${objectType('type', 'DataJobProgress', DataJobProgress, { description: 'How far a background job is' })}
`;

export const dataJobResolvers = { ...kindEnum.resolvers, ...statusEnum.resolvers };
