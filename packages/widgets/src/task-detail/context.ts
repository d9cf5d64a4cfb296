import { ConflictError, type Project, type Task, type UpdateTaskInput, type User } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';
import type { StringKey } from '../shared/locale.js';

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/**
 * What the detail's sections (labels, parent and subtasks, relations, custom
 * fields, watchers) use of the element: each section is a small controller
 * with its own state, rendered into the element's template.
 */
export interface DetailContext {
  client(): AnyClient | undefined;
  /** The task as the server last answered it. */
  task(): Task | undefined;
  /** The task's project (its workflow: statuses and categories). */
  project(): Project | undefined;
  users(): Map<number, User>;
  t: Translate;
  /** A status key's label in the task's workflow. */
  statusName(key: string): string;
  /** A day (`YYYY-MM-DD` or an instant) in the widget's locale. */
  day(iso: string): string;
  /**
   * PATCHes the task. With `rebuild`, the patch is made against the version on
   * screen (If-Match) and, if someone changed the task meanwhile, made again
   * once from their version (for whole lists such as `labelIds`).
   */
  patch(input: UpdateTaskInput, rebuild?: (task: Task) => UpdateTaskInput): Promise<Task>;
  /** Reloads the task and every section (after a change made elsewhere than on the task itself). */
  reload(): void;
  /** Asks to show another task (`tb-task-open`; unless the host cancels it, the detail shows that task). */
  open(taskId: number): void;
  /** Announces a change this widget made to another task, e.g. a subtask (`tb-task-change`). */
  changed(task: Task, action: 'create' | 'update', changes?: Partial<Task>): void;
  /** Reports a failed call (`tb-error`). */
  failed(error: unknown, action: string): void;
  /** Re-renders the element. */
  requestUpdate(): void;
  /** Focuses an element of the shadow tree after the next render. */
  focus(selector: string): void;
  /** The `aria-level` of section headings. */
  headingLevel(): number;
  /** Whether the caller may edit the task. */
  canUpdate(): boolean;
  /** The locale in force (numbers, sizes). */
  locale(): string;
}

/** A section's data: loading (first time only), loaded, or failed with a message. */
export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** The message of a failed call, as a section shows it. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * PATCHes a task; with `rebuild`, against the version on screen (If-Match) and,
 * after a 412, once more made from the server's current version. Answers the
 * saved task and the patch that was sent.
 */
export async function updateTask(client: AnyClient, before: Task, input: UpdateTaskInput, rebuild?: (task: Task) => UpdateTaskInput): Promise<{ saved: Task; sent: UpdateTaskInput }> {
  try {
    return { saved: await client.tasks.update(before.id, input, rebuild ? { ifMatch: before.version } : undefined), sent: input };
  } catch (error) {
    const current = rebuild && error instanceof ConflictError ? (error.problem as { current?: Task } | undefined)?.current : undefined;
    if (!current) throw error;
    const sent = rebuild!(current);
    return { saved: await client.tasks.update(before.id, sent, { ifMatch: current.version }), sent };
  }
}
