import { PassThrough } from 'node:stream';
import { caller, type Api } from '../http/api.js';
import { IdParams, Page, problem } from '../schemas/common.js';
import { ExportDownloadQuery, ExportInput, ExportJob, ExportListQuery, TasksCsvQuery } from '../schemas/exports.js';
import type { Services } from '../services/index.js';

export function registerExportRoutes(api: Api, services: Services): void {
  const tags = ['Exports'];
  const { exports } = services;

  api.route({
    method: 'post',
    path: '/api/exports',
    operationId: 'createExport',
    summary: 'Start an export: a zip of the workspace’s records and files (json), or a CSV of tasks',
    description:
      'Runs in the background: follow it with GET /api/exports/{id} or the `export.progress` / `export.completed` events (realtime). It holds what you can see: an admin’s export with neither `projectId` nor `filters` is the whole workspace. The archive’s format is in docs/import-export.md. At most 3 exports of yours under way at once.',
    tags,
    auth: 'user',
    body: ExportInput,
    responses: {
      202: { description: 'Queued', schema: ExportJob },
      422: problem('A project you cannot see, or a filter naming nothing'),
      429: problem('You have the most exports under way'),
    },
    handler: async (ctx, { body }) => {
      ctx.status = 202;
      ctx.body = await exports.start(caller(ctx), body);
    },
  });

  api.route({
    method: 'get',
    path: '/api/exports',
    operationId: 'listExports',
    summary: 'Your exports, newest first (an admin: the workspace’s)',
    tags,
    auth: 'user',
    query: ExportListQuery,
    responses: { 200: { description: 'A page of exports', schema: Page(ExportJob) } },
    handler: async (ctx, { query }) => {
      ctx.body = await exports.list(caller(ctx), query);
    },
  });

  api.route({
    method: 'get',
    path: '/api/exports/:id',
    operationId: 'getExport',
    summary: 'An export’s progress; once done, a download URL valid for 15 minutes (ask again for a fresh one)',
    tags,
    auth: 'user',
    params: IdParams,
    responses: { 200: { description: 'The export', schema: ExportJob }, 404: problem('Not yours or unknown') },
    handler: async (ctx, { params }) => {
      ctx.body = await exports.get(caller(ctx), params.id);
    },
  });

  api.route({
    method: 'get',
    path: '/api/exports/:id/download',
    operationId: 'downloadExport',
    summary: 'An export’s file, through the signed URL of GET /api/exports/{id} (no bearer header needed)',
    tags,
    auth: 'public',
    params: IdParams,
    query: ExportDownloadQuery,
    responses: {
      200: { description: 'The zip (json) or CSV file', binary: true },
      404: problem('No such export, or not a valid signature'),
      410: problem('The link expired (ask for a new one), or the export’s file did'),
    },
    handler: async (ctx, { params, query }) => {
      const file = await exports.download(params.id, query.exp, query.sig);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.attachment(file.filename);
      ctx.type = file.contentType;
      ctx.length = file.size;
      ctx.body = file.body;
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks.csv',
    operationId: 'exportTasksCsv',
    summary: 'The tasks a list’s filters select, as CSV, now (one row per task, custom fields as columns)',
    description:
      'The filters of GET /api/tasks (a saved view’s with `view`), without paging: every matching task you can see, oldest first, streamed. Text that a spreadsheet would run as a formula (starting with =, +, -, @) is prefixed with `\'`.',
    tags,
    auth: 'user',
    query: TasksCsvQuery,
    responses: { 200: { description: 'The CSV (UTF-8 with a byte-order mark)', binary: true, mediaType: 'text/csv' }, 400: problem('Invalid filter') },
    handler: async (ctx, { query }) => {
      const write = await exports.tasksCsv(caller(ctx), query);
      const body = new PassThrough();
      ctx.set('Cache-Control', 'private, no-store');
      ctx.attachment('tasks.csv');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = body;
      // Headers are sent: a failure now can only cut the download short (the client sees it unfinished).
      write(body).catch((error: unknown) => {
        services.logger.error({ err: error }, 'tasks.csv failed');
        body.destroy(error as Error);
      });
    },
  });
}
