import { Type, type Static } from '@sinclair/typebox';
import { Cursor, Id, Limit, Strict, StringEnum, Timestamp, named } from './common.js';

export const ATTACHMENT_ACTIONS = ['delete'] as const;

/** Image types a browser may show inline from our origin; everything else is served as a download. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const AttachmentFields = {
  id: Id,
  taskId: Id,
  commentId: Type.Union([Id, Type.Null()], { description: 'The comment it belongs to, or null for the task itself' }),
  filename: Type.String(),
  contentType: Type.String({ description: 'Detected from the bytes, not taken from the client' }),
  size: Type.Integer({ minimum: 0, description: 'Bytes' }),
  createdBy: Type.Union([Id, Type.Null()]),
  createdAt: Timestamp,
};

/** An attachment as events carry it: no URLs (they expire) and nothing reader-specific. */
export const AttachmentSnapshot = named('AttachmentSnapshot', Type.Object(AttachmentFields));
export type AttachmentSnapshot = Static<typeof AttachmentSnapshot>;

export const Attachment = named(
  'Attachment',
  Type.Object({
    ...AttachmentFields,
    url: Type.String({ description: 'A signed URL for the bytes, valid for 15 to 30 minutes: usable as `<img src>` or a link without a bearer header' }),
    thumbnailUrl: Type.Union([Type.String(), Type.Null()], { description: 'A signed URL of a small WebP preview, once made (images only)' }),
    can: Type.Array(StringEnum(ATTACHMENT_ACTIONS), { description: 'delete, for the uploader, managers and admins' }),
  }),
);
export type AttachmentDto = Static<typeof Attachment>;

export const AttachmentParams = Strict({ id: Id, attachmentId: Id });
export const CommentAttachmentParams = Strict({ id: Id, commentId: Id });
export const AttachmentContentParams = Strict({ attachmentId: Id });
export const AttachmentListQuery = Strict({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export const AttachmentList = Type.Object({ data: Type.Array(Attachment), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const FileParams = Strict({ fileId: Id });
export const FileQuery = Strict({
  variant: Type.Optional(StringEnum(['original', 'thumbnail'] as const, { default: 'original' })),
  exp: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }),
  sig: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
});
