import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task as DataTask } from '@lit/task';
import type { Comment, RealtimeMessage, RealtimeTopic, User } from '@taskbase/sdk';
import { TbElement } from '../shared/base.js';
import { ariaLevel } from '../shared/heading.js';
import { baseStyles } from '../shared/styles.js';
import { avatarColor, initials, usersOf } from '../shared/format.js';
import { avatarInitials } from '../shared/initials.js';
import { commentStyles } from './comments.styles.js';
import { insertMention, mentionQuery, suggest } from './mentions.js';
import { AttachmentUrls, markdown, taskRefClick } from '../shared/markdown.js';
import { MarkdownEditor } from '../shared/markdown-editor.js';
import { markdownStyles } from '../shared/markdown.styles.js';
import { applyReaction, renderReactions, type ReactionPicker } from './reactions.js';
import type {} from '../events/events.js';

/**
 * @summary A task's comment thread: author and time, Markdown (rendered by the server), reactions, post, edit and delete your own, @mention completion, images pasted or dropped into the box uploaded and shown inline.
 * @tag tb-comments
 * @event {CustomEvent<CommentChangeDetail>} tb-comment-change - A comment was posted, edited or deleted.
 * @event {CustomEvent<TaskOpenDetail>} tb-task-open - A task reference (`CRM-42`) in a comment was clicked; the host decides what to show.
 * @csspart comment - One comment.
 * @csspart markdown - A comment's rendered Markdown.
 * @csspart reactions - A comment's reactions row.
 * @csspart md-toolbar - The formatting toolbar above the box.
 * @csspart composer - The new-comment form.
 * @csspart suggestions - The @mention list.
 * @csspart connection - The "reconnecting" badge.
 */
export class TbComments extends TbElement {
  static override styles = [baseStyles, commentStyles, markdownStyles];

  /** Level of the element's headings (the thread's title), so they continue the host page's outline: 2 below the page's `h1`, 3 inside a section with an `h2`. Rendered as `role="heading"` with this `aria-level`. */
  @property({ attribute: 'heading-level', type: Number }) headingLevel = 2;

  /** The task whose comments are shown. */
  @property({ type: Number, attribute: 'task-id' }) taskId?: number;

  @state() private text = '';
  @state() private editing?: { id: number; text: string };
  @state() private mention?: { start: number; options: User[]; active: number };
  @state() private posting = false;
  /** The reaction picker open under a comment (its id), if any. */
  @state() private picker?: ReactionPicker;
  /** Whether closing the picker gives the focus back to its button. */
  private refocus = true;
  private users = new Map<number, User>();
  /** Signed URLs of the task's attachments, for images in comments (pasted ones belong to the task). */
  private readonly urls = new AttachmentUrls();
  private readonly editor = new MarkdownEditor({
    client: () => this.client,
    taskId: () => this.taskId,
    t: (key, vars) => this.t(key, vars),
    requestUpdate: () => this.requestUpdate(),
    failed: (error) => this.emit('tb-error', { error, action: 'upload' }),
  });

  /** A task reference clicked in a comment: `tb-task-open` with its id and identifier (the host shows it). */
  private readonly onMarkdownClick = taskRefClick(async (identifier) => {
    try {
      const task = await this.client!.tasks.get(identifier);
      this.emit('tb-task-open', { taskId: task.id, task, identifier }, true);
    } catch (error) {
      this.emit('tb-error', { error, action: 'open' });
    }
  });

  private data = new DataTask(this, {
    task: async ([client, id], { signal }) => {
      if (!client || !id) return undefined;
      const [page, users, files] = await Promise.all([
        client.comments.list(id, { limit: 100 }, { signal }),
        usersOf(client),
        client.attachments.list(id, { limit: 100 }, { signal }).catch(() => undefined),
      ]);
      this.users = users;
      if (files) this.urls.add(client, files.data);
      for (const comment of page.data) this.urls.add(client, comment.attachments);
      return page.data;
    },
    args: () => [this.client, this.taskId] as const,
  });

  protected override topics(): RealtimeTopic[] {
    return this.taskId ? [`task:${this.taskId}`] : [];
  }

  protected override refresh(): void {
    void this.data.run();
  }

  /** A reaction elsewhere changes its count in place; anything else reloads the thread. */
  protected override onRealtime(message: RealtimeMessage): void {
    if (message.type === 'event' && (message.event === 'comment.reaction_added' || message.event === 'comment.reaction_removed')) {
      const { comment, emoji, count } = message.data;
      const target = this.data.value?.find((c) => c.id === comment.id);
      if (target) {
        target.reactions = applyReaction(target.reactions, emoji, count);
        this.requestUpdate();
        return;
      }
    }
    super.onRealtime(message);
  }

  /** Toggles the caller's reaction; the answer is the comment's reactions after it. */
  private async react(comment: Comment, emoji: string): Promise<void> {
    if (!this.client || !this.taskId) return;
    this.picker = undefined;
    try {
      comment.reactions = (await this.client.comments.react(this.taskId, comment.id, emoji)).reactions;
      this.requestUpdate();
    } catch (error) {
      this.emit('tb-error', { error, action: 'react' });
    }
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('taskId')) this.resubscribe();
    // The picker takes the focus when it opens, and gives it back to its button when it closes by Escape or a
    // choice, not when the user went elsewhere.
    if (changed.has('picker')) {
      const was = changed.get('picker') as number | undefined;
      if (this.picker) this.renderRoot.querySelector<HTMLElement>('.picker button')?.focus();
      else if (was && this.refocus) this.renderRoot.querySelector<HTMLElement>(`.comment[data-id="${was}"] .reaction.add`)?.focus();
    }
  }

  private onInput(event: Event): void {
    const area = event.target as HTMLTextAreaElement;
    this.text = area.value;
    const found = mentionQuery(area.value, area.selectionStart);
    const options = found ? suggest(this.users.values(), found.query) : [];
    this.mention = found && options.length ? { start: found.start, options, active: 0 } : undefined;
  }

  private pick(user: User): void {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#composer')!;
    const next = insertMention(area.value, this.mention!.start, area.selectionStart, user);
    this.text = area.value = next.text;
    area.setSelectionRange(next.caret, next.caret);
    this.mention = undefined;
    area.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const m = this.mention;
    if (m) {
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in moves) {
        event.preventDefault();
        this.mention = { ...m, active: (m.active + moves[event.key]! + m.options.length) % m.options.length };
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.pick(m.options[m.active]!);
        return;
      }
      if (event.key === 'Escape') {
        this.mention = undefined;
        return;
      }
    }
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void this.post();
    else this.editor.keydown(event);
  }

  private async post(event?: Event): Promise<void> {
    event?.preventDefault();
    const text = this.text.trim();
    if (!text || !this.client || !this.taskId || this.editor.busy) return;
    this.posting = true;
    try {
      const comment = await this.client.comments.create(this.taskId, { comment: text });
      this.text = '';
      this.emit('tb-comment-change', { taskId: this.taskId, commentId: comment.id, action: 'create' });
      this.refresh();
    } catch (error) {
      this.emit('tb-error', { error, action: 'comment' });
    } finally {
      this.posting = false;
    }
  }

  private async saveEdit(): Promise<void> {
    const edit = this.editing;
    if (!edit || !this.client || !this.taskId) return;
    await this.client.comments.update(this.taskId, edit.id, { comment: edit.text });
    this.editing = undefined;
    this.emit('tb-comment-change', { taskId: this.taskId, commentId: edit.id, action: 'update' });
    this.refresh();
  }

  private async deleteComment(comment: Comment): Promise<void> {
    if (!this.client || !this.taskId) return;
    await this.client.comments.remove(this.taskId, comment.id);
    this.emit('tb-comment-change', { taskId: this.taskId, commentId: comment.id, action: 'delete' });
    this.refresh();
  }

  protected override render() {
    return html`<div class="thread-title" role="heading" aria-level=${ariaLevel(this.headingLevel)}>${this.t('comments')} ${this.renderConnection()}</div>
      ${this.renderData(this.data, (comments) => this.renderThread(comments ?? []))}
      <form class="composer" part="composer" @submit=${this.post}>
        ${this.mention ? html`<ul class="suggestions" part="suggestions" role="listbox" id="mentions" aria-label=${this.t('mentionSuggestions')}>
          ${this.mention.options.map((u, i) => html`<li role="option" id="mention-${u.id}" aria-selected=${i === this.mention!.active ? 'true' : 'false'}
            @mousedown=${(e: Event) => { e.preventDefault(); this.pick(u); }}>
            <span class="avatar" style="--_avatar:${avatarColor(u.id)}" aria-hidden="true">${avatarInitials(u, this.users)}</span>${u.name}</li>`)}
        </ul>` : nothing}
        ${this.editor.toolbar(() => this.renderRoot.querySelector<HTMLTextAreaElement>('#composer'))}
        <textarea id="composer" class="field" aria-label=${this.t('writeComment')} placeholder=${this.t('writeComment')} .value=${this.text}
          aria-autocomplete="list" aria-controls=${this.mention ? "mentions" : nothing}
          aria-activedescendant=${this.mention ? `mention-${this.mention.options[this.mention.active]!.id}` : nothing}
          @input=${this.onInput} @keydown=${this.onKey} @paste=${this.editor.paste} @drop=${this.editor.drop} @dragover=${this.editor.dragover}></textarea>
        ${this.editor.status()}
        <div class="row"><button class="btn primary" part="button" ?disabled=${this.posting || this.editor.busy || !this.text.trim()}>${this.t('post')}</button></div>
      </form>`;
  }

  private renderThread(comments: Comment[]) {
    if (!comments.length) return html`<p class="state">${this.t('noComments')}</p>`;
    return html`<ol class="thread">${comments.map((c) => {
      const author = this.users.get(c.userId);
      const name = author?.name ?? this.t('someone');
      const editing = this.editing?.id === c.id;
      return html`<li class="comment" part="comment" data-id=${c.id}>
        <span class="avatar" style="--_avatar:${avatarColor(c.userId)}" aria-hidden="true">${author ? avatarInitials(author, this.users) : initials(name)}</span>
        <div class="bubble">
          <div class="meta"><strong>${name}</strong>
            <time datetime=${c.createdAt}>${this.formatDate(c.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</time>
            ${c.edited ? html`<span class="edited">(${this.t('edited')})</span>` : nothing}
            <span class="actions">
              ${c.can.includes('update') && !editing ? html`<button class="btn ghost" @click=${() => (this.editing = { id: c.id, text: c.comment })}>${this.t('edit')}</button>` : nothing}
              ${c.can.includes('delete') ? html`<button class="btn ghost" @click=${() => this.deleteComment(c)}>${this.t('delete')}</button>` : nothing}
            </span>
          </div>
          ${editing ? html`<textarea class="field" aria-label=${this.t('edit')} .value=${this.editing!.text} @keydown=${this.editor.keydown}
              @paste=${this.editor.paste} @drop=${this.editor.drop} @dragover=${this.editor.dragover}
              @input=${(e: Event) => (this.editing = { id: c.id, text: (e.target as HTMLTextAreaElement).value })}></textarea>
              <div class="meta"><span class="actions"><button class="btn primary" @click=${this.saveEdit}>${this.t('save')}</button>
              <button class="btn ghost" @click=${() => (this.editing = undefined)}>${this.t('cancel')}</button></span></div>`
            : html`<div class="text">${markdown(c.commentHtml, this.urls, this.onMarkdownClick, () => this.data.run())}</div>
              ${renderReactions(c, {
                t: this.t.bind(this),
                picker: this.picker,
                toggle: (emoji) => void this.react(c, emoji),
                open: (picker, refocus = true) => {
                  if (picker === this.picker) return; // e.g. the focusout of a picker being removed
                  this.refocus = refocus;
                  this.picker = picker;
                },
              })}`}
        </div>
      </li>`;
    })}</ol>`;
  }
}
