import { html } from 'lit';
import type { Task } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';

const IDENTIFIER = /^[a-z][a-z0-9]{1,9}-[1-9][0-9]{0,8}$/i;

/**
 * Tasks for a search text: the words (title, description) and, for a text
 * like `CRM-42`, that task itself; the most recent ones for no text.
 */
export async function searchTasks(client: AnyClient, query: string, options: { project?: number; exclude?: ReadonlySet<number> } = {}): Promise<Task[]> {
  const project = options.project === undefined ? undefined : String(options.project);
  const [page, exact] = await Promise.all([
    client.tasks.list({ q: query || undefined, project, limit: 10 }),
    IDENTIFIER.test(query) ? client.tasks.get(query.toUpperCase()).catch(() => undefined) : undefined,
  ]);
  const found = exact && (options.project === undefined || exact.projectId === options.project) ? [exact, ...page.data.filter((t) => t.id !== exact.id)] : page.data;
  return found.filter((task) => !options.exclude?.has(task.id));
}

/** One task in a list of choices: identifier, then title. */
export const taskOption = (task: Pick<Task, 'identifier' | 'title'>) => html`<span class="ident">${task.identifier}</span> ${task.title}`;
