import type { User } from '@taskbase/sdk';

/** The `@query` being typed right before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|\s)@([\p{L}\p{N}._-]*)$/u.exec(text.slice(0, caret));
  return match ? { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() } : undefined;
}

/** People whose name or email starts with the query (any word of the name). */
export function suggest(users: Iterable<User>, query: string, limit = 6): User[] {
  const matches = [...users].filter(
    (user) => user.active && (user.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(query)) || user.name.toLowerCase().startsWith(query) || (user.email ?? '').toLowerCase().startsWith(query)),
  );
  return matches.slice(0, limit);
}

/** The text with the mention at `start` replaced by `@Full Name `. */
export function insertMention(text: string, start: number, caret: number, user: User): { text: string; caret: number } {
  const inserted = `@${user.name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}
