import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Strict, StringEnum, Timestamp, named } from './common.js';

export const COMMENT_ACTIONS = ['update', 'delete'] as const;

const Text = Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' });

export const Comment = named(
  'Comment',
  Type.Object({
    id: Id,
    taskId: Id,
    userId: Id,
    comment: Type.String(),
    mentions: Type.Array(Id, { description: 'Users mentioned with @name' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    edited: Type.Boolean(),
    can: Type.Array(StringEnum(COMMENT_ACTIONS), { description: 'update and/or delete, for the caller' }),
  }),
);

/** The comment as events carry it: every field but the reader-specific `can`. */
export const CommentSnapshot = named('CommentSnapshot', Type.Omit(Comment, ['can']));
export type CommentSnapshot = Static<typeof CommentSnapshot>;

export const CommentBody = Strict({ comment: Text });
export const CommentParams = Strict({ id: Id, commentId: Id });
export const CommentListQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
