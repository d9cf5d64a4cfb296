import { caller, type Api } from '../http/api.js';
import { Comment, CommentBody, CommentListQuery, CommentParams, ReactionBody, ReactionList } from '../schemas/comments.js';
import { IdParams, Page, problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

export function registerCommentRoutes(api: Api, services: Services): void {
  const tags = ['Comments'];

  api.route({
    method: 'get',
    path: '/api/tasks/:id/comments',
    operationId: 'listComments',
    summary: "A task's comments, oldest first",
    tags,
    auth: 'user',
    params: IdParams,
    query: CommentListQuery,
    responses: { 200: { description: 'A page of comments', schema: Page(Comment) }, 404: problem('No such task') },
    handler: async (ctx, { params, query }) => {
      ctx.body = await services.comments.list(caller(ctx), params.id, query);
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/comments',
    operationId: 'createComment',
    summary: 'Comment on a task; @name mentions notify those members',
    tags,
    auth: 'user',
    params: IdParams,
    body: CommentBody,
    responses: { 201: { description: 'Created', schema: Comment }, 404: problem('No such task') },
    handler: async (ctx, { params, body }) => {
      ctx.status = 201;
      ctx.body = await services.comments.create(caller(ctx), params.id, body.comment);
    },
  });

  api.route({
    method: 'patch',
    path: '/api/tasks/:id/comments/:commentId',
    operationId: 'updateComment',
    summary: 'Edit your own comment',
    tags,
    auth: 'user',
    params: CommentParams,
    body: CommentBody,
    responses: { 200: { description: 'Updated', schema: Comment }, 403: problem('Not the author'), 404: problem('No such comment') },
    handler: async (ctx, { params, body }) => {
      ctx.body = await services.comments.update(caller(ctx), params.id, params.commentId, body.comment);
    },
  });

  api.route({
    method: 'delete',
    path: '/api/tasks/:id/comments/:commentId',
    operationId: 'deleteComment',
    summary: 'Delete a comment (yours, or any as a manager or admin)',
    tags,
    auth: 'user',
    params: CommentParams,
    responses: { 204: { description: 'Deleted' }, 403: problem('Not allowed'), 404: problem('No such comment') },
    handler: async (ctx, { params }) => {
      await services.comments.remove(caller(ctx), params.id, params.commentId);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'post',
    path: '/api/tasks/:id/comments/:commentId/reactions',
    operationId: 'toggleReaction',
    summary: 'React to a comment with an emoji, or take your reaction back (a toggle)',
    tags,
    auth: 'user',
    params: CommentParams,
    body: ReactionBody,
    responses: {
      200: { description: 'The comment’s reactions now', schema: ReactionList },
      404: problem('No such comment'),
      409: problem('The comment already carries 20 different emoji'),
    },
    handler: async (ctx, { params, body }) => {
      ctx.body = await services.reactions.toggle(caller(ctx), params.id, params.commentId, body.emoji);
    },
  });
}
