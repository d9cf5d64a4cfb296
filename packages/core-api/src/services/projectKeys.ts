import type { Knex } from 'knex';
import { DomainError } from '../domain/errors.js';

// Project keys: made from names, unique in a workspace together with every former key.

/** A key made from a name (`Acme Corp` → `AC`, then `AC2`, …) that no project of the workspace uses. */
export async function freeKey(knex: Knex, workspaceId: number, name: string): Promise<string> {
  const letters = name.toUpperCase().normalize('NFKD').replace(/[^A-Z0-9 ]/g, '').trim();
  const words = letters.split(/\s+/).filter(Boolean);
  let base = (words.length > 1 ? words.map((word) => word[0]).join('') : (words[0] ?? '')).replace(/^[0-9]+/, '').slice(0, 6);
  if (base.length < 2) base = `P${base}X`.slice(0, 2);
  const taken = new Set(
    ((await knex.raw(`select key from projects where workspace_id = ? and key like ? union select key from project_key_aliases where workspace_id = ? and key like ?`, [workspaceId, `${base}%`, workspaceId, `${base}%`])).rows as Array<{ key: string }>).map((r) => r.key),
  );
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The unique index a violation names (the driver's error, or the one Objection wraps). */
export function constraintOf(error: unknown): string | undefined {
  const pg = ((error as { nativeError?: { constraint?: string } }).nativeError ?? error) as { constraint?: string };
  return pg.constraint;
}

/** Refuses a key another project uses now or used before (a 409 naming `key`). */
export async function assertKeyFree(db: Knex, workspaceId: number, key: string, projectId?: number): Promise<void> {
  const owners = (await db.raw(`select project_id as owner from project_key_aliases where workspace_id = ? and key = ? union all select id from projects where workspace_id = ? and key = ?`, [workspaceId, key, workspaceId, key])).rows as Array<{ owner: number }>;
  if (owners.some((row) => Number(row.owner) !== projectId)) {
    throw new DomainError(409, { code: 'project_key_taken', detail: `The key ${key} is used by another project (now or before)`, errors: [{ path: 'key', in: 'body', message: 'is already used by another project' }] });
  }
}
