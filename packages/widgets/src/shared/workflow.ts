import type { Project, ProjectRef, StatusCategory, Task, WorkflowStatus } from '@taskbase/sdk';
import type { AnyClient } from './client.js';
import type { StringKey } from './locale.js';

type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/**
 * The workflow every project starts with (the server's defaults). Used when
 * no workflow is at hand, e.g. before a project is loaded.
 */
export const DEFAULT_WORKFLOW: readonly WorkflowStatus[] = [
  { key: 'todo', name: 'To do', color: '#64748b', category: 'unstarted' },
  { key: 'in_progress', name: 'In progress', color: '#2563eb', category: 'started' },
  { key: 'in_review', name: 'In review', color: '#9333ea', category: 'started' },
  { key: 'done', name: 'Done', color: '#16a34a', category: 'completed' },
];

const DEFAULT_BY_KEY = new Map(DEFAULT_WORKFLOW.map((status) => [status.key, status]));

/**
 * A status's label: the workflow's name for it; the widgets' own (translated)
 * string for a default status still carrying its default name (so an
 * untouched workflow reads "À faire" in French); the key made readable when
 * nothing is known about it.
 */
export function statusLabel(key: string, t: Translate, workflow?: readonly WorkflowStatus[]): string {
  const status = workflow?.find((s) => s.key === key);
  const fallback = DEFAULT_BY_KEY.get(key);
  if (status && (!fallback || status.name !== fallback.name)) return status.name;
  if (fallback) return t(`status.${key}` as StringKey);
  const readable = key.replace(/_/g, ' ');
  return readable.charAt(0).toUpperCase() + readable.slice(1);
}

/** A status's colour: the workflow's, else the default workflow's, else grey. */
export function statusColor(key: string, workflow?: readonly WorkflowStatus[]): string {
  return workflow?.find((s) => s.key === key)?.color ?? DEFAULT_BY_KEY.get(key)?.color ?? '#64748b';
}

/** Whether a status (by category) means the task is closed: completed or canceled. */
export function isClosedCategory(category: StatusCategory | undefined): boolean {
  return category === 'completed' || category === 'canceled';
}

/** Whether a task ref is a project reference naming this project (its id, key or `ext:<externalId>`). */
export function matchesRef(project: Pick<Project, 'id' | 'key' | 'externalId'>, ref: ProjectRef | undefined | null): boolean {
  if (ref === undefined || ref === null || ref === '') return false;
  const text = String(ref).trim();
  if (text === String(project.id)) return true;
  if (text.startsWith('ext:')) return project.externalId !== null && text.slice(4) === project.externalId;
  return text.toUpperCase() === project.key.toUpperCase();
}

const projectCache = new WeakMap<object, Promise<Project[]>>();

/** Every project the client can see (not archived), loaded once per client and shared by the elements. */
export function projectsOf(client: AnyClient): Promise<Project[]> {
  let projects = projectCache.get(client);
  if (!projects) {
    projects = (async () => {
      const all: Project[] = [];
      for await (const project of client.projects.iterate()) all.push(project);
      return all;
    })();
    projects.catch(() => projectCache.delete(client));
    projectCache.set(client, projects);
  }
  return projects;
}

/** Forgets the cached projects (after a project.* event). */
export function forgetProjects(client: object): void {
  projectCache.delete(client);
}

/**
 * The project a widget shows: the one named by `ref` (read afresh, so its
 * workflow is current), or without a ref the workspace's default project.
 */
export async function resolveProject(client: AnyClient, ref: string | undefined, signal?: AbortSignal): Promise<Project> {
  if (ref) return client.projects.get(ref, { signal });
  const page = await client.projects.list({ limit: 100 }, { signal });
  const project = page.data.find((p) => p.isDefault) ?? page.data[0];
  if (!project) throw new Error('No project is visible to this token.');
  return project;
}

/** The workflow of a task's project among known projects. */
export function workflowOfTask(projects: readonly Project[] | undefined, task: Pick<Task, 'projectId'>): readonly WorkflowStatus[] | undefined {
  return projects?.find((p) => p.id === task.projectId)?.statuses;
}

/** Every status key known across projects, with the first name and colour seen (for feeds spanning projects). */
export function unionWorkflow(projects: readonly Project[] | undefined): WorkflowStatus[] {
  const seen = new Map<string, WorkflowStatus>();
  for (const status of DEFAULT_WORKFLOW) seen.set(status.key, status);
  for (const project of projects ?? []) for (const status of project.statuses) if (!seen.has(status.key) || project.isDefault) seen.set(status.key, status);
  return [...seen.values()];
}
