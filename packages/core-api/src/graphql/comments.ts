import { compileValidator } from '../schemas/validate.js';
import { COMMENT_ACTIONS, Comment, CommentBody } from '../schemas/comments.js';
import { toTaskDto } from '../services/taskRows.js';
import { ATTACHMENT_TYPES } from './attachments.js';
import type { GraphqlContext } from './context.js';
import { renameFields } from './errors.js';
import { enumType, objectType } from './fromSchemas.js';
import type { CommentPage } from './loaders.js';
import { toId } from './pagination.js';

const actionEnum = enumType('CommentAction', COMMENT_ACTIONS);

export const commentTypeDefs = /* GraphQL */ `
${actionEnum.sdl}
  ${objectType('type', 'Comment', Comment, {
    omit: ['userId'],
    named: ATTACHMENT_TYPES,
    fields: {
      task: ': Task',
      author: ': User',
      mentions: { type: ': [User!]!', description: 'Users mentioned with @name' },
      can: ': [CommentAction!]!',
    },
  })}
  type CommentEdge {
    node: Comment!
  }

  type CommentConnection {
    edges: [CommentEdge!]!
    nodes: [Comment!]!
    pageInfo: PageInfo!
  }

  extend type Mutation {
    "Comment on a task; @name mentions notify those members."
    createComment(taskId: ID!, comment: String!): Comment!
    "Edit your own comment."
    updateComment(taskId: ID!, id: ID!, comment: String!): Comment!
    "Delete a comment (yours, or any as a manager or admin); answers its id."
    deleteComment(taskId: ID!, id: ID!): ID!
  }
`;

const validateBody = compileValidator(CommentBody, 'body');

function text(comment: string): string {
  try {
    return (validateBody({ comment }) as { comment: string }).comment;
  } catch (error) {
    throw renameFields(error, (path) => path || 'comment');
  }
}

/** A comment as the service answers it; its reactions and files are loaded only when a query asks for them. */
type CommentDto = CommentPage['data'][number];

export const commentResolvers = {
  ...actionEnum.resolvers,

  Comment: {
    task: (comment: CommentDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.tasks.load(comment.taskId).then((row) => row && toTaskDto(row, ctx.caller)),
    author: (comment: CommentDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.users.load(comment.userId),
    mentions: async (comment: CommentDto, _: unknown, ctx: GraphqlContext) =>
      (await ctx.loaders.users.loadMany(comment.mentions)).filter((user) => user !== null && !(user instanceof Error)),
    reactions: (comment: CommentDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.reactions.load(comment.id),
    attachments: (comment: CommentDto, _: unknown, ctx: GraphqlContext) => ctx.loaders.commentAttachments.load(comment.id),
  },

  Mutation: {
    createComment: (_: unknown, args: { taskId: string; comment: string }, ctx: GraphqlContext) =>
      ctx.services.comments.create(ctx.caller, toId(args.taskId, 'taskId'), text(args.comment)),
    updateComment: (_: unknown, args: { taskId: string; id: string; comment: string }, ctx: GraphqlContext) =>
      ctx.services.comments.update(ctx.caller, toId(args.taskId, 'taskId'), toId(args.id, 'id'), text(args.comment)),
    deleteComment: async (_: unknown, args: { taskId: string; id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.comments.remove(ctx.caller, toId(args.taskId, 'taskId'), id);
      return id;
    },
  },
};
