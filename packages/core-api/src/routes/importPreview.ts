import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { withUploadedFileAndFields } from '../http/multipart.js';
import { Strict, problem } from '../schemas/common.js';
import { ImportPreview } from '../schemas/importPreview.js';
import { previewImport } from '../services/imports/preview.js';
import type { Services } from '../services/index.js';

const PreviewFormParts = Strict({
  source: Type.Union(['taskbase', 'csv', 'trello', 'asana'].map((s) => Type.Literal(s)), { description: 'What the file is: taskbase (an export’s zip), csv, trello (a board’s JSON), asana (its CSV export)' }),
});

/** The import wizard's look into a file before importing it. */
export function registerImportPreviewRoutes(api: Api, services: Services): void {
  api.route({
    method: 'post',
    path: '/api/imports/preview',
    operationId: 'previewImport',
    summary: 'Look into an import file without importing it: a CSV’s columns, first rows and a suggested mapping; for other sources the tasks found (admins)',
    description:
      'Nothing is stored: the file is read and dropped. For `csv`, `suggested` maps each column to a target by its name (English, Asana’s and other trackers’ export headers); send it, edited, as `mapping` to `POST /api/imports`. At most `IMPORT_MAX_BYTES`.',
    tags: ['Imports'],
    auth: 'user',
    roles: ['admin'],
    upload: 'The file to look into',
    uploadFields: PreviewFormParts,
    responses: {
      200: { description: 'What the file holds', schema: ImportPreview },
      403: problem('Not an admin'),
      413: problem('Past IMPORT_MAX_BYTES'),
      415: problem('Not multipart/form-data'),
      422: problem('No `file` part, an unknown `source`, or a file that is not of that source (named)'),
    },
    handler: async (ctx) => {
      ctx.body = await previewImport(caller(ctx), services.config.importMaxBytes, (limitBytes, use) => withUploadedFileAndFields(ctx, limitBytes, use));
    },
  });
}
