import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, StringEnum, Strict, Timestamp, named } from './common.js';
import { DataJob } from './dataJobs.js';
import { TaskCountsQuery } from './tasks.js';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What an export holds: the task list's filters (no paging or order), and/or one project. */
export const ExportFilters = Type.Object(TaskCountsQuery.properties, {
  additionalProperties: false,
  patternProperties: TaskCountsQuery.patternProperties,
  maxProperties: 40,
  description: 'The task list’s filters (GET /api/tasks), as JSON values: status, label… as arrays; cf.<key> filters as text',
});

export const ExportInput = Strict({
  format: StringEnum(EXPORT_FORMATS, { description: 'json: a zip of the workspace’s records and files (docs/import-export.md); csv: one row per task' }),
  projectId: Type.Optional(Type.Integer({ ...Id, description: 'Only this project’s tasks' })),
  filters: Type.Optional(ExportFilters),
});
export type ExportInputDto = Static<typeof ExportInput>;

export const ExportJob = named(
  'ExportJob',
  Type.Object({
    ...DataJob.properties,
    download: Type.Union(
      [
        Type.Object({
          url: Type.String({ description: 'A signed URL of the file (no bearer header needed), valid until expiresAt: ask again for a fresh one' }),
          expiresAt: Timestamp,
        }),
        Type.Null(),
      ],
      { description: 'Once the export succeeded, and until its file expires' },
    ),
  }),
);
export type ExportJobDto = Static<typeof ExportJob>;

export const ExportListQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });

export const ExportDownloadQuery = Strict({
  exp: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }),
  sig: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});

/** GET /api/tasks.csv: the list's filters (a saved view's too), no paging. */
export const TasksCsvQuery = TaskCountsQuery;
