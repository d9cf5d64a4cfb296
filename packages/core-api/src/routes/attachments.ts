import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { withUploadedFile } from '../http/multipart.js';
import { Attachment, AttachmentContentParams, AttachmentList, AttachmentListQuery, AttachmentParams, CommentAttachmentParams, FileParams, FileQuery } from '../schemas/attachments.js';
import { IdParams, problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

const UPLOAD = 'The file; its type is detected from its bytes, whatever the part’s Content-Type says';
const uploadResponses = {
  201: { description: 'Attached', schema: Attachment },
  403: problem('Not allowed to attach files here'),
  404: problem('No such task or comment'),
  413: problem('Past the file size limit (`file-too-large`) or the workspace’s quota (`quota-exceeded`)'),
  415: problem('Not multipart/form-data'),
  422: problem('No part named `file`'),
};

/** Files on tasks and comments, and the signed links that serve their bytes. */
export function registerAttachmentRoutes(api: Api, services: Services): void {
  const tags = ['Attachments'];
  const { attachments, attachmentFiles } = services;

  api.route({
    method: 'get',
    path: '/api/tasks/:id/attachments',
    operationId: 'listAttachments',
    summary: 'A task’s files, its comments’ included, oldest first; each with a fresh signed URL',
    tags,
    auth: 'user',
    params: IdParams,
    query: AttachmentListQuery,
    responses: { 200: { description: 'A page of attachments', schema: AttachmentList }, 404: problem('No such task') },
    handler: async (ctx, { params, query }) => {
      ctx.body = await attachments.list(caller(ctx), params.id, query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/attachments',
    operationId: 'uploadAttachment',
    summary: 'Attach a file to a task (multipart/form-data, one part named `file`, streamed to storage)',
    tags,
    auth: 'user',
    params: IdParams,
    upload: UPLOAD,
    responses: uploadResponses,
    handler: async (ctx, { params }) => {
      const attachment = await attachments.upload(caller(ctx), params.id, null, (limitBytes, use) => withUploadedFile(ctx, limitBytes, use));
      ctx.status = 201;
      ctx.body = attachment;
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/comments/:commentId/attachments',
    operationId: 'uploadCommentAttachment',
    summary: 'Attach a file to your comment (multipart/form-data, one part named `file`)',
    tags,
    auth: 'user',
    params: CommentAttachmentParams,
    upload: UPLOAD,
    responses: uploadResponses,
    handler: async (ctx, { params }) => {
      const attachment = await attachments.upload(caller(ctx), params.id, params.commentId, (limitBytes, use) => withUploadedFile(ctx, limitBytes, use));
      ctx.status = 201;
      ctx.body = attachment;
    },
  });

  api.route({
    method: 'get',
    path: '/api/tasks/:id/attachments/:attachmentId',
    operationId: 'getAttachment',
    summary: 'One attachment, with fresh signed URLs',
    tags,
    auth: 'user',
    params: AttachmentParams,
    responses: { 200: { description: 'The attachment', schema: Attachment }, 404: problem('No such task or attachment') },
    handler: async (ctx, { params }) => {
      ctx.body = await attachments.get(caller(ctx), params.id, params.attachmentId);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id/attachments/:attachmentId',
    operationId: 'deleteAttachment',
    summary: 'Remove an attachment (the uploader, managers, admins); its stored file is removed too',
    tags,
    auth: 'user',
    params: AttachmentParams,
    responses: { 204: { description: 'Removed' }, 403: problem('Not allowed'), 404: problem('No such task or attachment') },
    handler: async (ctx, { params }) => {
      await attachments.remove(caller(ctx), params.id, params.attachmentId);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'get',
    path: '/api/attachments/:attachmentId/content',
    operationId: 'redirectToAttachment',
    summary: 'Redirects to an attachment’s signed URL: the stable path Markdown images use',
    tags,
    auth: 'user',
    params: AttachmentContentParams,
    responses: {
      302: { description: 'To the signed URL', headers: { Location: { description: 'The signed URL', schema: Type.String(), required: true } } },
      404: problem('No such attachment, or not one you can see'),
    },
    handler: async (ctx, { params }) => {
      const url = await attachments.contentUrl(caller(ctx), params.attachmentId);
      ctx.status = 302;
      ctx.set('Location', url);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = ''; // Koa would otherwise write a text body the document does not describe
    },
  });

  api.route({
    method: 'get',
    path: '/api/files/:fileId',
    operationId: 'downloadFile',
    summary: 'An attachment’s bytes, through a signed URL from the API (no bearer header needed)',
    description:
      'Only raster images (PNG, JPEG, GIF, WebP) are served inline; everything else as a download. Responses carry `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy, so an uploaded HTML or SVG file never runs in this origin.',
    tags,
    auth: 'public',
    params: FileParams,
    query: FileQuery,
    responses: { 200: { description: 'The bytes', binary: true }, 403: problem('Expired or not a valid signature'), 404: problem('No such file') },
    handler: async (ctx, { params, query }) => {
      const file = await attachmentFiles.open(params.fileId, query.variant ?? 'original', query.exp, query.sig);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
      ctx.set('Cache-Control', `private, max-age=${file.maxAgeSeconds}`);
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin'); // embedded widgets show images on their host's origin
      ctx.attachment(file.filename, { type: file.inline ? 'inline' : 'attachment' });
      ctx.type = file.contentType;
      ctx.length = file.size;
      ctx.body = file.body;
    },
  });
}
