import type { TSchema } from '@sinclair/typebox';
import { ATTACHMENT_ACTIONS, Attachment, type AttachmentDto } from '../schemas/attachments.js';
import { Reaction, ReactionBody } from '../schemas/comments.js';
import type { TaskDto } from '../schemas/tasks.js';
import { compileValidator } from '../schemas/validate.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { enumType, objectType, type NamedTypes } from './fromSchemas.js';
import { connection, pageSize, toId } from './pagination.js';

const actionEnum = enumType('AttachmentAction', ATTACHMENT_ACTIONS, 'What the caller may do with an attachment');

/** The named types of attachments and reactions, for the types that hold them (Comment). */
export const ATTACHMENT_TYPES: NamedTypes = new Map<TSchema, string>([
  [Attachment, 'Attachment'],
  [Reaction, 'Reaction'],
  [Attachment.properties.can.items, 'AttachmentAction'],
]);

const UPLOAD = 'Upload files with POST /api/tasks/{id}/attachments (or /api/tasks/{id}/comments/{commentId}/attachments), multipart/form-data: GraphQL takes no uploads';

/** Files of tasks and comments, and comment reactions: read, delete and toggle here; uploads stay REST-only. */
export const attachmentTypeDefs = /* GraphQL */ `
${actionEnum.sdl}
  ${objectType('type', 'Attachment', Attachment, {
    named: ATTACHMENT_TYPES,
    omit: ['createdBy'],
    fields: { creator: { type: ': User', description: 'Who uploaded it' } },
    description: `A file attached to a task or one of its comments. ${UPLOAD}`,
  })}
  type AttachmentEdge {
    node: Attachment!
  }

  type AttachmentConnection {
    edges: [AttachmentEdge!]!
    nodes: [Attachment!]!
    pageInfo: PageInfo!
  }

  ${objectType('type', 'Reaction', Reaction, { description: 'One emoji on a comment: how many reacted so, and whether you did' })}

  extend type Task {
    "The files of the task and of its comments, oldest first; first ≤ 100. Each has fresh signed URLs. ${UPLOAD}."
    attachments(first: Int = 50, after: String): AttachmentConnection!
  }

  extend type Mutation {
    "Adds your emoji reaction to a comment, or takes it back if you had reacted so; answers the comment's reactions after. VALIDATION_FAILED naming emoji unless it is one emoji; CONFLICT (too_many_reactions) past 20 different emoji on a comment."
    toggleReaction(taskId: ID!, commentId: ID!, emoji: String!): [Reaction!]!
    "Removes an attachment (the uploader, managers and admins) and, in the background, its stored file; answers its id. ${UPLOAD}."
    deleteAttachment(taskId: ID!, id: ID!): ID!
  }
`;

const validateReaction = compileValidator(ReactionBody, 'body');

export const attachmentResolvers = {
  ...actionEnum.resolvers,

  Task: {
    attachments: (task: TaskDto, args: { first?: number | null; after?: string | null }, ctx: GraphqlContext) =>
      asArguments(underArgument('after'), async () =>
        connection(await ctx.services.attachments.list(ctx.caller, task.id, { limit: pageSize(args.first, 50), cursor: args.after ?? undefined })),
      ),
  },

  Attachment: {
    creator: (attachment: AttachmentDto, _: unknown, ctx: GraphqlContext) => (attachment.createdBy === null ? null : ctx.loaders.users.load(attachment.createdBy)),
  },

  Mutation: {
    toggleReaction: async (_: unknown, args: { taskId: string; commentId: string; emoji: string }, ctx: GraphqlContext) => {
      const taskId = toId(args.taskId, 'taskId');
      const commentId = toId(args.commentId, 'commentId');
      const { emoji } = checkArgument<{ emoji: string }>(validateReaction, { emoji: args.emoji }, (path) => path || 'emoji');
      return (await ctx.services.reactions.toggle(ctx.caller, taskId, commentId, emoji)).reactions;
    },
    deleteAttachment: async (_: unknown, args: { taskId: string; id: string }, ctx: GraphqlContext) => {
      const id = toId(args.id, 'id');
      await ctx.services.attachments.remove(ctx.caller, toId(args.taskId, 'taskId'), id);
      return id;
    },
  },
};
