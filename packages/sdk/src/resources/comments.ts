import type { RequestOptions } from '../core/http.js';
import { DEFAULT_ITERATE_PAGE_SIZE } from '../core/constants.js';
import { paginate } from '../core/pagination.js';
import { path } from '../internal/path.js';
import type { Comment, CommentListQuery, CreateCommentInput, Page, ReactionList, UpdateCommentInput } from '../types.js';
import { APIResource } from './resource.js';

/** `/api/tasks/:id/comments`: the comments of a task. */
export class Comments extends APIResource {
  /** One page of a task's comments, oldest first. */
  list(taskId: number, query?: CommentListQuery, options?: RequestOptions): Promise<Page<Comment>> {
    return this.http.request({ method: 'GET', path: path`/api/tasks/${taskId}/comments`, query, options });
  }

  /** Every comment of a task. */
  iterate(taskId: number, query: CommentListQuery = {}, options?: RequestOptions): AsyncGenerator<Comment, void, undefined> {
    return paginate((q) => this.list(taskId, q, options), { limit: DEFAULT_ITERATE_PAGE_SIZE, ...query });
  }

  /** Comments on a task; `@Name` mentions notify people. */
  create(taskId: number, input: CreateCommentInput, options?: RequestOptions): Promise<Comment> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${taskId}/comments`, body: input, options });
  }

  /** Edits your comment. */
  update(taskId: number, commentId: number, input: UpdateCommentInput, options?: RequestOptions): Promise<Comment> {
    return this.http.request({ method: 'PATCH', path: path`/api/tasks/${taskId}/comments/${commentId}`, body: input, options });
  }

  /** Toggles your reaction (one emoji) to a comment; answers the comment's reactions after it. */
  react(taskId: number, commentId: number, emoji: string, options?: RequestOptions): Promise<ReactionList> {
    return this.http.request({ method: 'POST', path: path`/api/tasks/${taskId}/comments/${commentId}/reactions`, body: { emoji }, options });
  }

  /** Deletes a comment. */
  remove(taskId: number, commentId: number, options?: RequestOptions): Promise<void> {
    return this.http.request({ method: 'DELETE', path: path`/api/tasks/${taskId}/comments/${commentId}`, options });
  }
}
