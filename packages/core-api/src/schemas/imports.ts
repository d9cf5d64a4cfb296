import { Type, type Static } from '@sinclair/typebox';
import { DataJob } from './dataJobs.js';
import { Cursor, Limit, Page, Strict, named } from './common.js';

export const IMPORT_SOURCES = ['taskbase', 'csv', 'trello', 'asana'] as const;

const Counts = Type.Object({
  users: Type.Integer({ minimum: 0 }),
  projects: Type.Integer({ minimum: 0 }),
  labels: Type.Integer({ minimum: 0 }),
  fields: Type.Integer({ minimum: 0 }),
  tasks: Type.Integer({ minimum: 0 }),
  comments: Type.Integer({ minimum: 0 }),
  relations: Type.Integer({ minimum: 0 }),
  attachments: Type.Integer({ minimum: 0 }),
});

export const ImportRowError = named(
  'ImportRowError',
  Type.Object({
    line: Type.Integer({ minimum: 0, description: 'Where the record starts in its file (1-based; a CSV’s header is line 1; 0: not tied to a line)' }),
    field: Type.String({ description: 'The column, or the record’s field, at fault' }),
    message: Type.String(),
  }),
);

export const ImportResult = named(
  'ImportResult',
  Type.Object({
    dryRun: Type.Boolean(),
    created: Counts,
    updated: Counts,
    skipped: Type.Integer({ minimum: 0, description: 'Records left out because of their errors' }),
    errorCount: Type.Integer({ minimum: 0 }),
    errors: Type.Array(ImportRowError, { maxItems: 1000, description: 'The first 1000 errors, by line' }),
  }),
);
export type ImportResultDto = Static<typeof ImportResult>;

/** An import job: a DataJob whose result, once it ran, says what it made (or, dry, would make) and what it refused. */
export const ImportJob = named(
  'ImportJob',
  Type.Object({
    ...DataJob.properties,
    result: Type.Union([ImportResult, Type.Null()], { description: 'What the import made (a dry run: what it checked), with every error by line' }),
  }),
);
export type ImportJobDto = Static<typeof ImportJob>;

export const ImportJobList = named('ImportJobList', Page(ImportJob));

export const ImportListQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });

/** The text fields of `POST /api/imports` (next to the `file` part). */
export const ImportForm = Strict({
  source: Type.Union(IMPORT_SOURCES.map((s) => Type.Literal(s)), { description: 'What the file is: a Taskbase export (zip), a CSV with a mapping, a Trello board’s JSON, or Asana’s CSV export' }),
  projectId: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991, description: 'Where tasks without a project of their own go (default: the workspace’s default project)' })),
  mapping: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 60 }), { maxProperties: 200, description: 'CSV: column header → target (title, description, status, …, fields.<key>, ignore)' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'Check every record and report errors without writing anything' })),
  onError: Type.Optional(Type.Union([Type.Literal('stop'), Type.Literal('skip')], { description: 'stop (default): any error and nothing is written; skip: import the good records, report the others' })),
});
export type ImportFormInput = Static<typeof ImportForm>;
