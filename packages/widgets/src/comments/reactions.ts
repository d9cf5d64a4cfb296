import { html, nothing } from 'lit';
import type { Comment, Reaction } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';

/** The picker's choices: GitHub's usual few. */
export const EMOJI = ['👍', '❤️', '😄', '🎉', '👀', '🚀'];

/** The comment whose reaction picker is open (its id). */
export type ReactionPicker = number | undefined;

/** A comment's reactions after someone's reaction changed one emoji's count (0 removes it); `me` stays as it was. */
export function applyReaction(reactions: Reaction[], emoji: string, count: number): Reaction[] {
  if (!count) return reactions.filter((r) => r.emoji !== emoji);
  return reactions.some((r) => r.emoji === emoji) ? reactions.map((r) => (r.emoji === emoji ? { ...r, count } : r)) : [...reactions, { emoji, count, me: false }];
}

interface ReactionsView {
  t(key: StringKey, vars?: Record<string, string | number>): string;
  picker: ReactionPicker;
  toggle(emoji: string): void;
  /** Opens or closes a picker; `refocus` false: the focus went elsewhere, leave it there. */
  open(picker: ReactionPicker, refocus?: boolean): void;
}

const smiley = html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><g fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round">
  <circle cx="8" cy="8" r="6.2"/><path d="M5.5 9.6a3 3 0 0 0 5 0"/></g><g fill="currentColor"><circle cx="6" cy="6.6" r=".9"/><circle cx="10" cy="6.6" r=".9"/></g></svg>`;

/** A comment's reactions as toggle chips (pressed: yours), and the "add reaction" button with its picker. */
export function renderReactions(comment: Comment, view: ReactionsView) {
  const { t } = view;
  const open = view.picker === comment.id;
  const mine = new Set(comment.reactions.filter((r) => r.me).map((r) => r.emoji));
  return html`<div class="reactions" part="reactions">
    ${comment.reactions.map((r) => html`<button type="button" class="reaction" data-emoji=${r.emoji} aria-pressed=${r.me ? 'true' : 'false'}
      aria-label=${t('reactionLabel', { emoji: r.emoji, count: r.count })} @click=${() => view.toggle(r.emoji)}>
      <span aria-hidden="true">${r.emoji}</span><span class="count" aria-hidden="true">${r.count}</span></button>`)}
    <span class="picker-anchor">
      <button type="button" class="reaction add" aria-label=${t('addReaction')} title=${t('addReaction')} aria-expanded=${open ? 'true' : 'false'}
        @click=${() => view.open(open ? undefined : comment.id)}>${smiley}<span aria-hidden="true">+</span></button>
      ${open ? html`<div class="picker" role="group" aria-label=${t('addReaction')}
        @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') view.open(undefined); }}
        @focusout=${(e: FocusEvent) => { if (!(e.currentTarget as Element).parentElement!.contains(e.relatedTarget as Node | null)) view.open(undefined, false); }}>
        ${EMOJI.map((emoji) => html`<button type="button" aria-label=${t('reactWith', { emoji })} aria-pressed=${mine.has(emoji) ? 'true' : 'false'} @click=${() => view.toggle(emoji)}>${emoji}</button>`)}
      </div>` : nothing}
    </span>
  </div>`;
}
