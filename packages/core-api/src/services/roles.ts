import type { Role } from '../domain/caller.js';

const RANK: Record<Role, number> = { member: 0, manager: 1, admin: 2 };

/** Whether `role` grants at least what `atLeast` grants. */
export function roleAtLeast(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}

/** The lesser of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}
