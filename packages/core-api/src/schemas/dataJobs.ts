import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp, named } from './common.js';

export const DATA_JOB_KINDS = ['export', 'import'] as const;
export type DataJobKind = (typeof DATA_JOB_KINDS)[number];
export const DATA_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type DataJobStatus = (typeof DATA_JOB_STATUSES)[number];

export const DataJobKindSchema = StringEnum(DATA_JOB_KINDS, { description: 'export: a download of tasks; import: tasks read from a file' });
export const DataJobStatusSchema = StringEnum(DATA_JOB_STATUSES, {
  description: 'queued: waiting for a worker; running; succeeded; failed (see error); cancelled',
});

/** Free-form per kind: an export's or import's own schema says what is in it. */
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const DataJobProgress = named(
  'DataJobProgress',
  Type.Object({
    done: Type.Integer({ minimum: 0, description: 'Records handled so far' }),
    total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Records to handle, when known' }),
    phase: Type.String({ description: 'What the job is doing now (queued, users, tasks, files, …, done)' }),
  }),
);
export type DataJobProgressDto = Static<typeof DataJobProgress>;

/** An export or an import running in the background (its progress and outcome). */
export const DataJob = named(
  'DataJob',
  Type.Object({
    id: Id,
    kind: DataJobKindSchema,
    status: DataJobStatusSchema,
    params: JsonObject,
    progress: DataJobProgress,
    result: Type.Union([JsonObject, Type.Null()], { description: 'What the job made, once it succeeded' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why it failed' }),
    createdBy: Type.Union([Id, Type.Null()], { description: 'Who started it (null once that user is gone)' }),
    createdAt: Timestamp,
    startedAt: Type.Union([Timestamp, Type.Null()]),
    finishedAt: Type.Union([Timestamp, Type.Null()]),
    expiresAt: Type.Union([Timestamp, Type.Null()], { description: 'When its stored file (an export’s archive) is removed' }),
  }),
);
export type DataJobDto = Static<typeof DataJob>;
