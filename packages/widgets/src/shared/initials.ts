/** Someone with a name, as avatars need them. */
interface Named {
  id: number;
  name: string;
}

/** Two initials for an avatar ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]!.toUpperCase()).join('');
}

/** The initials to try for a person, best first: "MM", then "Ma", "Me", "Mi"… from the letters of their names. */
function candidates(name: string): string[] {
  const [first = '?', ...rest] = name.split(/\s+/).filter(Boolean);
  const last = rest.at(-1) ?? '';
  const head = first[0]!.toUpperCase();
  const tried = [initials(name), ...[...first.slice(1), ...last.slice(1)].map((letter) => head + letter.toLowerCase())];
  return [...new Set(tried)];
}

const cache = new WeakMap<object, Map<number, string>>();

/**
 * Initials that tell the people of a workspace apart: when two share "MM",
 * the later ones (by id) take the next letters of their names ("Ma", "Mi").
 * Computed once per users map.
 */
export function distinctInitials(users: Map<number, Named>): Map<number, string> {
  let chosen = cache.get(users);
  if (chosen) return chosen;
  chosen = new Map();
  const taken = new Set<string>();
  for (const user of [...users.values()].sort((a, b) => a.id - b.id)) {
    const options = candidates(user.name);
    const pick = options.find((option) => !taken.has(option)) ?? options[0]!;
    taken.add(pick);
    chosen.set(user.id, pick);
  }
  cache.set(users, chosen);
  return chosen;
}

/** A person's avatar initials among `users` (plain initials when they are not in it). */
export function avatarInitials(user: Named, users: Map<number, Named>): string {
  return distinctInitials(users).get(user.id) ?? initials(user.name);
}
