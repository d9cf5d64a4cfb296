/** A workspace member as mention matching needs them. */
export interface Mentionable {
  id: number;
  name: string;
  email: string | null;
}

/**
 * Finds the members a comment mentions. `@Ada Lovelace`, `@AdaLovelace`,
 * `@ada` (first name, when only one member has it) and `@ada.l` (the
 * email's local part) all count; matching ignores case.
 */
export function findMentions(text: string, members: Mentionable[]): number[] {
  const lower = text.toLowerCase();
  if (!lower.includes('@')) return [];
  const firstNames = new Map<string, number>();
  for (const member of members) {
    const first = member.name.trim().split(/\s+/)[0]!.toLowerCase();
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  const found = new Set<number>();
  for (const member of members) {
    const name = member.name.trim().toLowerCase();
    const first = name.split(/\s+/)[0]!;
    const handles = [name, name.replace(/\s+/g, '')];
    if (firstNames.get(first) === 1) handles.push(first);
    const local = member.email?.split('@')[0]?.toLowerCase();
    if (local) handles.push(local);
    if (handles.some((handle) => mentions(lower, handle))) found.add(member.id);
  }
  return [...found];
}

function mentions(text: string, handle: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(`@${handle}`, from);
    if (at < 0) return false;
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = text[at + handle.length + 1] ?? ' ';
    // Not part of an email address, and the handle ends at a word boundary.
    if (!/[\p{L}\p{N}._-]/u.test(before) && !/[\p{L}\p{N}_-]/u.test(after)) return true;
    from = at + 1;
  }
}
