import { Type, type Static } from '@sinclair/typebox';
import { Attachment } from './attachments.js';
import { Cursor, Id, Limit, Strict, StringEnum, Timestamp, named } from './common.js';

export const COMMENT_ACTIONS = ['update', 'delete'] as const;

const Text = Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' });

/**
 * One emoji: a pictograph or a flag, with its variation selectors, skin
 * tones and zero-width joins (👍, ❤️, 👍🏽, 👩‍💻, 🇫🇷).
 */
const EMOJI = '^(?:\\p{Regional_Indicator}{2}|\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*(?:\\u200D\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*){0,6})$';
export const Emoji = Type.String({ minLength: 1, maxLength: 32, pattern: EMOJI, description: 'One emoji' });

export const Reaction = named(
  'Reaction',
  Type.Object({ emoji: Emoji, count: Type.Integer({ minimum: 1 }), me: Type.Boolean({ description: 'Whether the caller reacted so' }) }),
);

const CommentFields = {
  id: Id,
  taskId: Id,
  userId: Id,
  comment: Type.String({ description: 'Markdown (CommonMark and GitHub’s extensions)' }),
  commentHtml: Type.String({ description: 'The comment rendered to sanitized HTML: safe to insert as is' }),
  mentions: Type.Array(Id, { description: 'Users mentioned with @name' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  edited: Type.Boolean(),
};

export const Comment = named(
  'Comment',
  Type.Object({
    ...CommentFields,
    reactions: Type.Array(Reaction, { description: 'Each emoji once, in the order first used' }),
    attachments: Type.Array(Attachment, { description: 'Files attached to this comment' }),
    can: Type.Array(StringEnum(COMMENT_ACTIONS), { description: 'update and/or delete, for the caller' }),
  }),
);

/** The comment as events carry it: its own fields, without reactions, attachments or the reader-specific `can`. */
export const CommentSnapshot = named('CommentSnapshot', Type.Object(CommentFields));
export type CommentSnapshot = Static<typeof CommentSnapshot>;

export const CommentBody = Strict({ comment: Text });
export const CommentParams = Strict({ id: Id, commentId: Id });
export const CommentListQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export const ReactionBody = Strict({ emoji: Emoji });
export const ReactionList = Type.Object({ reactions: Type.Array(Reaction) });
