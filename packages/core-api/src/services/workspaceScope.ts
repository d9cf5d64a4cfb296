import type { Knex } from 'knex';
import { fieldError, type DomainError } from '../domain/errors.js';
import { constraintOf } from './projectKeys.js';

/** Refuses a `projectIds` list naming a project outside the workspace (422 naming `projectIds`). */
export async function assertWorkspaceProjects(db: Knex, workspaceId: number, projectIds: readonly number[] | null | undefined): Promise<void> {
  if (!projectIds?.length) return;
  const found = new Set((await db('projects').where('workspaceId', workspaceId).whereIn('id', [...projectIds]).pluck('id')).map(Number));
  const missing = projectIds.find((projectId) => !found.has(projectId));
  if (missing !== undefined) throw fieldError('projectIds', `${missing} is not a project of this workspace`);
}

/** Runs a write in a transaction, answering a unique index's violation with the problem that names its field. */
export async function writeNaming<T>(knex: Knex, work: (trx: Knex.Transaction) => Promise<T>, uniques: Record<string, () => DomainError>): Promise<T> {
  try {
    return await knex.transaction(work);
  } catch (error) {
    const named = uniques[constraintOf(error) ?? ''];
    throw named ? named() : error;
  }
}
