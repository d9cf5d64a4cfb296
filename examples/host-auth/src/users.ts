import { createHash, timingSafeEqual } from 'node:crypto';

/** A user of the host app: its own id, its own sign-in. Taskbase knows it only by `externalId`. */
export interface HostUser {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'manager' | 'member';
}

// The host's user store, hard-coded for the example (a real app has a database
// and hashed passwords). `id` becomes the Taskbase user's externalId.
const USERS: Array<HostUser & { username: string; password: string }> = [
  { id: 'host-user-1', username: 'grace', password: 'grace-password', name: 'Grace Hopper', email: 'grace@host.example', role: 'manager' },
  { id: 'host-user-2', username: 'alan', password: 'alan-password', name: 'Alan Turing', email: 'alan@host.example', role: 'member' },
];

/** The user with that username and password, or undefined. */
export function checkPassword(username: string, password: string): HostUser | undefined {
  const user = USERS.find((u) => u.username === username);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  // Compare digests in constant time, and do the same work for an unknown username.
  const ok = timingSafeEqual(digest(password), digest(user?.password ?? '\0'));
  if (!user || !ok) return undefined;
  const { username: _u, password: _p, ...hostUser } = user;
  return hostUser;
}
