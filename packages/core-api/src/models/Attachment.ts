import { AttachmentSnapshot } from '../schemas/attachments.js';
import { BaseModel } from './BaseModel.js';
import { rowSerializer, type StoredRow } from './rows.js';

/** An attachment as stored: what events carry, plus where its bytes are and who may see it. */
export type AttachmentRow = StoredRow<AttachmentSnapshot> & {
  workspaceId: number;
  storageKey: string;
  thumbnailKey: string | null;
};
export const ATTACHMENT_COLUMNS = [...Object.keys(AttachmentSnapshot.properties), 'workspaceId', 'storageKey', 'thumbnailKey'] as Array<keyof AttachmentRow>;
export const attachmentSnapshot = rowSerializer<AttachmentSnapshot>(AttachmentSnapshot);

export class Attachment extends BaseModel {
  static override tableName = 'attachments';
}

/** One caller's reaction to a comment. */
export class CommentReaction extends BaseModel {
  static override tableName = 'comment_reactions';
  static override idColumn = ['commentId', 'emoji', 'userId'];
}
