import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { forbidden, notFound } from '../domain/errors.js';
import { decodeIdCursor, idCursor, toPage } from './cursor.js';
import { appendEvent } from '../events/append.js';
import { findMentions } from './mentions.js';
import { notify } from './notify.js';
import { watch, watcherIds } from './watchers.js';
import { assertTaskAction, canDeleteComment, canEditComment } from './policy.js';
import { COMMENT_COLUMNS, TaskComment, type CommentRow } from '../models/TaskComment.js';
import { User } from '../models/User.js';
import { findVisibleTask } from './visibleTask.js';
import { attachmentImagesIn } from '../markdown/render.js';
import type { AttachmentDto } from '../schemas/attachments.js';
import type { AttachmentService } from './attachments/attachments.js';
import { renderText } from './markdown.js';
import type { ReactionDto, ReactionService } from './reactions.js';

function snapshot(row: CommentRow) {
  return {
    id: row.id,
    taskId: row.taskId,
    userId: row.userId,
    comment: row.comment,
    commentHtml: row.commentHtml,
    mentions: row.mentions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    edited: row.updatedAt.getTime() !== row.createdAt.getTime(),
  };
}

interface CommentExtras {
  reactions: Map<number, ReactionDto[]>;
  attachments: Map<number, AttachmentDto[]>;
}

function toCommentDto(row: CommentRow, caller: Caller, extras: CommentExtras) {
  const can = [];
  if (canEditComment(caller, row)) can.push('update');
  if (canDeleteComment(caller, row)) can.push('delete');
  return { ...snapshot(row), reactions: extras.reactions.get(row.id) ?? [], attachments: extras.attachments.get(row.id) ?? [], can };
}

/** Comments on tasks, with @mentions and the notifications they cause. */
export class CommentService {
  constructor(
    private readonly knex: Knex,
    private readonly attachments: AttachmentService,
    private readonly reactions: ReactionService,
  ) {}

  /** What a page of comments answers besides their rows: reactions and attachments, one query each. */
  private async extrasFor(caller: Caller, rows: readonly CommentRow[], wanted = true): Promise<CommentExtras> {
    if (!wanted) return { reactions: new Map(), attachments: new Map() };
    const ids = rows.map((row) => row.id);
    return { reactions: await this.reactions.forComments(this.knex, caller, ids), attachments: await this.attachments.forComments(caller, ids) };
  }

  async list(caller: Caller, taskId: number, input: { limit?: number; cursor?: string }) {
    await findVisibleTask(this.knex, caller, taskId);
    const limit = input.limit ?? 50;
    const query = TaskComment.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, taskId })
      .orderBy('id')
      .limit(limit + 1)
      .select(COMMENT_COLUMNS);
    if (input.cursor) query.where('id', '>', decodeIdCursor(input.cursor));
    const rows = (await query) as CommentRow[];
    const extras = await this.extrasFor(caller, rows);
    return toPage(rows, limit, (row) => toCommentDto(row, caller, extras), (last) => idCursor(last.id));
  }

  /**
   * The first `limit` comments of each of several tasks (oldest first, or
   * newest first), after an optional cursor, in one query: a window per task.
   * Tasks the caller cannot see simply have none (batch loaders). `withExtras: false` leaves reactions and attachments empty, for a caller that loads them only when asked (GraphQL).
   */
  async listForTasks(caller: Caller, taskIds: readonly number[], input: { limit: number; cursor?: string; newestFirst?: boolean; withExtras?: boolean }) {
    const result = new Map<number, { data: ReturnType<typeof toCommentDto>[]; nextCursor: string | null }>();
    for (const taskId of taskIds) result.set(taskId, { data: [], nextCursor: null });
    if (taskIds.length === 0) return result;
    const direction = input.newestFirst ? 'desc' : 'asc';
    const ranked = TaskComment.rows(this.knex)
      .where('workspaceId', caller.workspaceId)
      .whereIn('taskId', taskIds)
      .select(COMMENT_COLUMNS)
      .select(this.knex.raw(`row_number() over (partition by task_id order by id ${direction}) as rank`));
    if (input.cursor) {
      ranked.where('id', input.newestFirst ? '<' : '>', decodeIdCursor(input.cursor));
    }
    const rows = (await this.knex
      .from(ranked.as('ranked'))
      .where('rank', '<=', input.limit + 1)
      .orderBy([{ column: 'taskId' }, { column: 'rank' }])
      .select(COMMENT_COLUMNS)) as CommentRow[];
    const extras = await this.extrasFor(caller, rows, input.withExtras ?? true);
    for (const row of rows) {
      const page = result.get(row.taskId)!;
      if (page.data.length < input.limit) page.data.push(toCommentDto(row, caller, extras));
      else page.nextCursor = idCursor(page.data.at(-1)!.id);
    }
    return result;
  }

  /**
   * Posts a comment. Mentioned members get a `comment.mention`; the task's
   * watchers get a `comment.created` unless they were mentioned. The author
   * and the mentioned become watchers.
   */
  async create(caller: Caller, taskId: number, text: string) {
    const row = await this.knex.transaction(async (trx) => {
      const task = await findVisibleTask(trx, caller, taskId);
      assertTaskAction(caller, task, 'comment');
      const mentioned = await this.mentionsIn(trx, caller.workspaceId, text);
      const [created] = (await TaskComment.rows(trx)
        .insert({ workspaceId: caller.workspaceId, taskId, userId: caller.userId, comment: text, commentHtml: await renderText(trx, caller.workspaceId, text), mentions: JSON.stringify(mentioned) })
        .returning(COMMENT_COLUMNS)) as CommentRow[];
      const comment = created!;
      await this.attachments.adoptImages(trx, caller, taskId, comment.id, attachmentImagesIn(text));
      const base = { workspaceId: caller.workspaceId, actorId: caller.userId, taskId };
      await appendEvent(trx, { ...base, projectId: task.projectId, type: 'comment.created', payload: { comment: snapshot(comment), task: { id: task.id, title: task.title } } });
      await notify(trx, { ...base, recipients: mentioned, type: 'comment.mention', message: `${caller.name} mentioned you on "${task.title}"` });
      // The watchers hear of it (once: a mention already told the mentioned); the author and the mentioned watch from now on.
      const watchers = await watcherIds(trx, taskId);
      await watch(trx, caller.workspaceId, taskId, [caller.userId, ...mentioned]);
      await notify(trx, {
        ...base,
        recipients: watchers.filter((id) => !mentioned.includes(id)),
        type: 'comment.created',
        message: `${caller.name} commented on "${task.title}"`,
      });
      return comment;
    });
    return toCommentDto(row, caller, await this.extrasFor(caller, [row]));
  }

  /** Edits your own comment; members newly mentioned are notified. */
  async update(caller: Caller, taskId: number, id: number, text: string) {
    const row = await this.knex.transaction(async (trx) => {
      const task = await findVisibleTask(trx, caller, taskId);
      const existing = await this.findComment(trx, caller.workspaceId, taskId, id);
      if (!canEditComment(caller, existing)) throw forbidden('Only the author may edit a comment');
      const mentioned = await this.mentionsIn(trx, caller.workspaceId, text);
      const [updated] = (await TaskComment.rows(trx)
        .where({ workspaceId: caller.workspaceId, id })
        .update({ comment: text, commentHtml: await renderText(trx, caller.workspaceId, text), mentions: JSON.stringify(mentioned), updatedAt: new Date() })
        .returning(COMMENT_COLUMNS)) as CommentRow[];
      const comment = updated!;
      await this.attachments.adoptImages(trx, caller, taskId, comment.id, attachmentImagesIn(text));
      const base = { workspaceId: caller.workspaceId, actorId: caller.userId, taskId };
      await appendEvent(trx, { ...base, projectId: task.projectId, type: 'comment.updated', payload: { comment: snapshot(comment) } });
      await watch(trx, caller.workspaceId, taskId, mentioned);
      await notify(trx, {
        ...base,
        recipients: mentioned.filter((userId) => !existing.mentions.includes(userId)),
        type: 'comment.mention',
        message: `${caller.name} mentioned you on "${task.title}"`,
      });
      return comment;
    });
    return toCommentDto(row, caller, await this.extrasFor(caller, [row]));
  }

  async remove(caller: Caller, taskId: number, id: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const task = await findVisibleTask(trx, caller, taskId);
      const existing = await this.findComment(trx, caller.workspaceId, taskId, id);
      if (!canDeleteComment(caller, existing)) throw forbidden('Only the author, a manager or an admin may delete a comment');
      await TaskComment.rows(trx).where({ workspaceId: caller.workspaceId, id }).delete();
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        actorId: caller.userId,
        taskId,
        projectId: task.projectId,
        type: 'comment.deleted',
        payload: { comment: snapshot(existing) },
      });
    });
  }

  private async mentionsIn(trx: Knex, workspaceId: number, text: string): Promise<number[]> {
    if (!text.includes('@')) return [];
    const members = await User.rows(trx).where({ workspaceId, active: true }).select('id', 'name', 'email');
    return findMentions(text, members);
  }

  private async findComment(trx: Knex.Transaction, workspaceId: number, taskId: number, id: number): Promise<CommentRow> {
    const row = await TaskComment.rows(trx).where({ workspaceId, taskId, id }).forUpdate().first(COMMENT_COLUMNS);
    if (!row) throw notFound('Comment');
    return row as CommentRow;
  }
}
