import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { conflict, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { CommentReaction } from '../models/Attachment.js';
import { TaskComment } from '../models/TaskComment.js';
import { assertTaskAction } from './policy.js';
import { findVisibleTask } from './visibleTask.js';

export interface ReactionDto {
  emoji: string;
  count: number;
  me: boolean;
}

/** Different emoji one comment may carry: a bound on what callers can make large. */
const MAX_EMOJI_PER_COMMENT = 20;

/** Emoji reactions to comments: one per (comment, user, emoji), toggled. */
export class ReactionService {
  constructor(private readonly knex: Knex) {}

  /** Adds the caller's reaction, or takes it back if it was there; answers the comment's reactions after. */
  async toggle(caller: Caller, taskId: number, commentId: number, emoji: string): Promise<{ reactions: ReactionDto[] }> {
    await this.knex.transaction(async (trx) => {
      const task = await findVisibleTask(trx, caller, taskId);
      assertTaskAction(caller, task, 'comment');
      // Locks the comment: concurrent toggles on it count one after the other.
      const comment = await TaskComment.rows(trx).where({ workspaceId: caller.workspaceId, taskId, id: commentId }).forNoKeyUpdate().first('id');
      if (!comment) throw notFound('Comment');
      const mine = { workspaceId: caller.workspaceId, commentId, userId: caller.userId, emoji };
      const removed = await CommentReaction.rows(trx).where(mine).delete().returning('emoji');
      if (removed.length === 0) {
        const kinds = (await CommentReaction.rows(trx).where({ commentId }).distinct('emoji')) as Array<{ emoji: string }>;
        if (kinds.length >= MAX_EMOJI_PER_COMMENT && !kinds.some((kind) => kind.emoji === emoji)) {
          throw conflict(`A comment carries at most ${MAX_EMOJI_PER_COMMENT} different emoji`, 'too_many_reactions');
        }
        await CommentReaction.rows(trx).insert(mine);
      }
      const [{ count }] = (await CommentReaction.rows(trx).where({ commentId, emoji }).count({ count: '*' })) as [{ count: string | number }];
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        actorId: caller.userId,
        taskId,
        projectId: task.projectId,
        type: removed.length === 0 ? 'comment.reaction_added' : 'comment.reaction_removed',
        payload: { comment: { id: commentId, taskId }, emoji, userId: caller.userId, count: Number(count) },
      });
    });
    return { reactions: (await this.forComments(this.knex, caller, [commentId])).get(commentId) ?? [] };
  }

  /** The reactions of some comments, by comment: each emoji once, in the order it was first used. */
  async forComments(db: Knex, caller: Caller, commentIds: readonly number[]): Promise<Map<number, ReactionDto[]>> {
    const byComment = new Map<number, ReactionDto[]>();
    if (commentIds.length === 0) return byComment;
    const rows = (await CommentReaction.rows(db)
      .where('workspaceId', caller.workspaceId)
      .whereIn('commentId', commentIds)
      .groupBy('commentId', 'emoji')
      .orderByRaw('min(created_at), emoji')
      .select('commentId', 'emoji', db.raw('count(*)::int as count'), db.raw('bool_or(user_id = ?) as me', [caller.userId]))) as Array<ReactionDto & { commentId: number }>;
    for (const { commentId, ...reaction } of rows) {
      const list = byComment.get(commentId) ?? [];
      list.push(reaction);
      byComment.set(commentId, list);
    }
    return byComment;
  }
}
