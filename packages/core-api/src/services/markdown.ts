import type { Knex } from 'knex';
import { NO_LINKS, renderMarkdown, type MarkdownContext } from '../markdown/render.js';
import { Project } from '../models/Project.js';
import { User } from '../models/User.js';

const MAYBE_TASK_REFERENCE = /[A-Z][A-Z0-9]{1,9}-\d/;

/**
 * Renders a text of a workspace to sanitized HTML, linking its @mentions and
 * task references. The members and project keys are read only when the text
 * could hold one, so a plain description costs no query.
 */
export async function renderText(trx: Knex, workspaceId: number, source: string): Promise<string> {
  return renderMarkdown(source, await contextFor(trx, workspaceId, source));
}

async function contextFor(trx: Knex, workspaceId: number, source: string): Promise<MarkdownContext> {
  const wantsMembers = source.includes('@');
  const wantsKeys = MAYBE_TASK_REFERENCE.test(source);
  if (!wantsMembers && !wantsKeys) return NO_LINKS;
  // One after the other: inside a transaction both would queue on one connection anyway.
  const members = wantsMembers ? ((await User.rows(trx).where({ workspaceId, active: true }).select('id', 'name')) as Array<{ id: number; name: string }>) : [];
  const keys = wantsKeys ? ((await Project.rows(trx).where({ workspaceId }).select('key')) as Array<{ key: string }>) : [];
  return { members, projectKeys: new Set(keys.map((row) => row.key)) };
}
