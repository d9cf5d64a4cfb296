import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { withUploadedFileAndFields } from '../http/multipart.js';
import { IdParams, Strict, problem } from '../schemas/common.js';
import { IMPORT_SOURCES, ImportJob, ImportJobList, ImportListQuery } from '../schemas/imports.js';
import type { Services } from '../services/index.js';

/** The form's text parts as they travel (text), for the OpenAPI document; the service parses and checks them. */
const ImportFormParts = Strict({
  source: Type.Union(IMPORT_SOURCES.map((s) => Type.Literal(s)), { description: 'taskbase (an export’s zip), csv (with `mapping`), trello (a board’s JSON), asana (its CSV export)' }),
  projectId: Type.Optional(Type.Integer({ minimum: 1, description: 'Where tasks without a project of their own go' })),
  mapping: Type.Optional(Type.String({ maxLength: 4096, description: 'CSV: JSON text of an object, column header → target (`title`, `status`, `fields.<key>`, `ignore`, …)' })),
  dryRun: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: check every record and report errors by line, writing nothing' })),
  onError: Type.Optional(Type.Union([Type.Literal('stop'), Type.Literal('skip')], { description: 'stop (default): any error and nothing is written; skip: import the good records' })),
});

export function registerImportRoutes(api: Api, services: Services): void {
  const tags = ['Imports'];
  const { imports } = services;

  api.route({
    method: 'post',
    path: '/api/imports',
    operationId: 'createImport',
    summary: 'Import a file in the background: a Taskbase export, a CSV with a column mapping, a Trello board or an Asana CSV (admins)',
    description:
      'Answers 202 with the job; follow it with `GET /api/imports/{id}` or the `import.progress` events. Re-running an import of the same file makes nothing twice (records are linked to what they made), and a job whose process stops resumes where it was. With `dryRun=true` it checks every record and reports errors by line without writing; with `onError=stop` (the default) a file with errors writes nothing; with `onError=skip` the good records are imported and the others reported. At most `IMPORT_MAX_BYTES` (512 MB by default).',
    tags,
    auth: 'user',
    roles: ['admin'],
    upload: 'The file to import',
    uploadFields: ImportFormParts,
    responses: {
      202: { description: 'Queued', schema: ImportJob },
      403: problem('Not an admin'),
      413: problem('Past IMPORT_MAX_BYTES'),
      415: problem('Not multipart/form-data'),
      422: problem('No `file` part, or a bad field (named)'),
    },
    handler: async (ctx) => {
      ctx.status = 202;
      ctx.body = await imports.start(caller(ctx), (limitBytes, use) => withUploadedFileAndFields(ctx, limitBytes, use));
    },
  });

  api.route({
    method: 'get',
    path: '/api/imports',
    operationId: 'listImports',
    summary: 'The workspace’s imports, newest first (admins)',
    tags,
    auth: 'user',
    roles: ['admin'],
    query: ImportListQuery,
    responses: { 200: { description: 'A page of imports', schema: ImportJobList }, 403: problem('Not an admin') },
    handler: async (ctx, { query }) => {
      ctx.body = await imports.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/imports/:id',
    operationId: 'getImport',
    summary: 'An import: its progress, and once done what it made and every error by line (admins)',
    tags,
    auth: 'user',
    roles: ['admin'],
    params: IdParams,
    responses: { 200: { description: 'The import', schema: ImportJob }, 403: problem('Not an admin'), 404: problem('No such import') },
    handler: async (ctx, { params }) => {
      ctx.body = await imports.get(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'post',
    path: '/api/imports/:id/cancel',
    operationId: 'cancelImport',
    summary: 'Cancel a queued or running import: it stops after its current batch, keeping what it wrote (admins)',
    tags,
    auth: 'user',
    roles: ['admin'],
    params: IdParams,
    responses: { 200: { description: 'The import, cancelled (or as it ended, if it already had)', schema: ImportJob }, 403: problem('Not an admin'), 404: problem('No such import') },
    handler: async (ctx, { params }) => {
      ctx.body = await imports.cancel(caller(ctx), params.id);
    },
  });
}
