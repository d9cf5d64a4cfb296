import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { DomainError, forbidden, notFound } from '../../domain/errors.js';
import { appendEvent } from '../../events/append.js';
import { FileTooLarge, type IncomingFile } from '../../domain/upload.js';
import { ATTACHMENT_COLUMNS, Attachment, attachmentSnapshot, type AttachmentRow } from '../../models/Attachment.js';
import { TaskComment } from '../../models/TaskComment.js';
import { Workspace } from '../../models/Workspace.js';
import { INLINE_IMAGE_TYPES, type AttachmentDto } from '../../schemas/attachments.js';
import type { ObjectStorage } from '../../storage/storage.js';
import { decodeIdCursor, idCursor, toPage } from '../cursor.js';
import { assertTaskAction, canEditComment } from '../policy.js';
import { findVisibleTask, type VisibleTask } from '../visibleTask.js';
import type { FileUrls } from './fileUrls.js';
import { cleanFilename, intake } from './intake.js';

/** Reads one file from a request and hands it to `use`, failing with FileTooLarge past `limitBytes` (http/multipart.ts). */
export type FileReceiver<T> = (limitBytes: number, use: (file: IncomingFile) => Promise<T>) => Promise<T>;

export interface AttachmentLimits {
  /** Largest file, in bytes. */
  maxBytes: number;
  /** All of a workspace's files together, in bytes. */
  quotaBytes: number;
}


const tooLarge = (limitBytes: number) =>
  new DomainError(413, { code: 'file_too_large', detail: `The file exceeds the limit of ${limitBytes} bytes`, errors: [{ path: 'file', in: 'body', message: `must be at most ${limitBytes} bytes` }] });
const quotaExceeded = (quotaBytes: number) =>
  new DomainError(413, { code: 'quota_exceeded', detail: `The workspace's files would exceed its quota of ${quotaBytes} bytes`, errors: [{ path: 'file', in: 'body', message: 'does not fit in the workspace quota' }] });

/** Files attached to tasks and comments: bytes in storage, a row per file, events for every change. */
export class AttachmentService {
  constructor(
    private readonly knex: Knex,
    private readonly storage: ObjectStorage,
    readonly urls: FileUrls,
    readonly limits: AttachmentLimits,
    /** Called after a commit that queued work for the background (a thumbnail, objects to remove). */
    private readonly onQueued: () => void = () => {},
  ) {}

  toDto(row: AttachmentRow, caller: Caller): AttachmentDto {
    return {
      ...attachmentSnapshot(row),
      url: this.urls.url(row.id),
      thumbnailUrl: row.thumbnailKey ? this.urls.url(row.id, 'thumbnail') : null,
      can: row.createdBy === caller.userId || caller.role !== 'member' ? ['delete'] : [],
    };
  }

  async list(caller: Caller, taskId: number, input: { limit?: number; cursor?: string }) {
    await findVisibleTask(this.knex, caller, taskId);
    const limit = input.limit ?? 50;
    const query = Attachment.rows(this.knex).where({ taskId }).orderBy('id').limit(limit + 1).select(ATTACHMENT_COLUMNS);
    if (input.cursor) query.where('id', '>', decodeIdCursor(input.cursor));
    const rows = (await query) as AttachmentRow[];
    return toPage(rows, limit, (row) => this.toDto(row, caller), (last) => idCursor(last.id));
  }

  async get(caller: Caller, taskId: number, id: number): Promise<AttachmentDto> {
    await findVisibleTask(this.knex, caller, taskId);
    return this.toDto(await this.findAttachment(this.knex, taskId, id), caller);
  }

  /** The signed URL of an attachment the caller may see, wherever it is: what Markdown's stable image path redirects to. */
  async contentUrl(caller: Caller, id: number): Promise<string> {
    const row = (await Attachment.rows(this.knex).where({ id, workspaceId: caller.workspaceId }).first('taskId')) as { taskId: number } | undefined;
    if (!row) throw notFound('Attachment');
    await findVisibleTask(this.knex, caller, row.taskId);
    return this.urls.url(id);
  }

  /** The attachments of some comments (a page of them), by comment. */
  async forComments(caller: Caller, commentIds: readonly number[]): Promise<Map<number, AttachmentDto[]>> {
    const byComment = new Map<number, AttachmentDto[]>();
    if (commentIds.length === 0) return byComment;
    const rows = (await Attachment.rows(this.knex).where('workspaceId', caller.workspaceId).whereIn('commentId', commentIds).orderBy('id').select(ATTACHMENT_COLUMNS)) as AttachmentRow[];
    for (const row of rows) {
      const list = byComment.get(row.commentId!) ?? [];
      list.push(this.toDto(row, caller));
      byComment.set(row.commentId!, list);
    }
    return byComment;
  }

  /**
   * Attaches the file `receive` reads from the request. The caller's right is
   * checked first; the file may be as large as the smaller of the file limit
   * and what is left of the quota, and is streamed to storage, then recorded.
   * The quota is checked again under the workspace's lock, so concurrent
   * uploads cannot overrun it; a record that cannot be made takes the stored
   * bytes with it.
   */
  async upload(caller: Caller, taskId: number, commentId: number | null, receive: FileReceiver<AttachmentDto>): Promise<AttachmentDto> {
    const task = await findVisibleTask(this.knex, caller, taskId);
    assertTaskAction(caller, task, 'comment');
    if (commentId !== null) await this.findOwnComment(this.knex, caller, taskId, commentId);
    const left = this.limits.quotaBytes - (await this.usedBytes(this.knex, caller.workspaceId));
    if (left <= 0) throw quotaExceeded(this.limits.quotaBytes);
    const byQuota = left < this.limits.maxBytes;
    const limitBytes = byQuota ? left : this.limits.maxBytes;
    try {
      return await receive(limitBytes, (file) => this.store(caller, taskId, commentId, file));
    } catch (error) {
      if (error instanceof FileTooLarge) throw byQuota ? quotaExceeded(this.limits.quotaBytes) : tooLarge(limitBytes);
      throw error;
    }
  }

  private async store(caller: Caller, taskId: number, commentId: number | null, file: IncomingFile): Promise<AttachmentDto> {
    const storageKey = `ws/${caller.workspaceId}/${randomUUID()}`;
    let stored: { size: number; contentType: string };
    try {
      stored = await intake(this.storage, storageKey, file.stream);
    } catch (error) {
      await this.storage.remove([storageKey]).catch(() => {});
      throw error;
    }
    try {
      const row = await this.knex.transaction(async (trx) => {
        await Workspace.rows(trx).where({ id: caller.workspaceId }).forUpdate().first('id');
        if ((await this.usedBytes(trx, caller.workspaceId)) + stored.size > this.limits.quotaBytes) throw quotaExceeded(this.limits.quotaBytes);
        const task = await findVisibleTask(trx, caller, taskId);
        if (commentId !== null) await this.findOwnComment(trx, caller, taskId, commentId);
        const [created] = (await Attachment.rows(trx)
          .insert({
            workspaceId: caller.workspaceId,
            taskId,
            commentId,
            filename: cleanFilename(file.filename),
            contentType: stored.contentType,
            size: stored.size,
            storageKey,
            thumbnailState: INLINE_IMAGE_TYPES.has(stored.contentType) ? 'pending' : 'none',
            createdBy: caller.userId,
          })
          .returning(ATTACHMENT_COLUMNS)) as AttachmentRow[];
        await this.appendChange(trx, caller, task, 'attachment.added', created!);
        return created!;
      });
      this.onQueued();
      return this.toDto(row, caller);
    } catch (error) {
      await this.storage.remove([storageKey]).catch(() => {});
      throw error;
    }
  }

  /** Removes an attachment (the uploader, managers, admins); its objects are queued for removal by the database itself. */
  async remove(caller: Caller, taskId: number, id: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const task = await findVisibleTask(trx, caller, taskId);
      const row = await this.findAttachment(trx, taskId, id);
      if (row.createdBy !== caller.userId && caller.role === 'member') throw forbidden('Only the uploader, a manager or an admin may remove an attachment');
      await Attachment.rows(trx).where({ id }).delete();
      await this.appendChange(trx, caller, task, 'attachment.removed', row);
    });
    this.onQueued();
  }

  /**
   * Ties the images a comment shows to it: attachments of the task that its
   * author uploaded (pasted into the comment box) and no comment owns yet.
   */
  async adoptImages(trx: Knex.Transaction, caller: Caller, taskId: number, commentId: number, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await Attachment.rows(trx).where({ taskId, createdBy: caller.userId }).whereNull('commentId').whereIn('id', ids.slice(0, 100)).update({ commentId });
  }

  private async appendChange(trx: Knex.Transaction, caller: Caller, task: VisibleTask, type: 'attachment.added' | 'attachment.removed', row: AttachmentRow) {
    await appendEvent(trx, {
      workspaceId: caller.workspaceId,
      actorId: caller.userId,
      taskId: task.id,
      projectId: task.projectId,
      type,
      payload: { attachment: attachmentSnapshot(row), task: { id: task.id, title: task.title } },
    });
  }

  private async usedBytes(db: Knex, workspaceId: number): Promise<number> {
    const row = (await Attachment.rows(db).where({ workspaceId }).sum({ total: 'size' }).first()) as { total: string | number | null };
    return Number(row.total ?? 0);
  }

  private async findAttachment(db: Knex, taskId: number, id: number): Promise<AttachmentRow> {
    const row = await Attachment.rows(db).where({ taskId, id }).first(ATTACHMENT_COLUMNS);
    if (!row) throw notFound('Attachment');
    return row as AttachmentRow;
  }

  private async findOwnComment(db: Knex, caller: Caller, taskId: number, commentId: number): Promise<void> {
    const comment = (await TaskComment.rows(db).where({ workspaceId: caller.workspaceId, taskId, id: commentId }).first('userId')) as { userId: number } | undefined;
    if (!comment) throw notFound('Comment');
    if (!canEditComment(caller, comment)) throw forbidden('Only the comment’s author may attach files to it');
  }
}
