import type { Caller } from '../domain/caller.js';
import { DomainError } from '../domain/errors.js';
import type { TaskRow } from '../models/Task.js';
import type { StatusCategory } from '../schemas/projects.js';
import type { TaskUpdateInput } from '../schemas/tasks.js';
import { toTaskDto } from './taskRows.js';

/** A change of one field, as `task.updated` events carry it. */
export type Change = { from: unknown; to: unknown };

/** Keeps `statusCategory` and `completedAt` true to a new status. */
export function setCategory(row: TaskRow, category: StatusCategory, changes: Record<string, Change>, patch: Record<string, unknown>): void {
  if (category === row.statusCategory) return;
  patch.statusCategory = category;
  changes.statusCategory = { from: row.statusCategory, to: category };
  if (category === 'completed') patch.completedAt = new Date();
  else if (row.statusCategory === 'completed') patch.completedAt = null;
}

export function staleVersion(row: TaskRow, caller: Caller): DomainError {
  return new DomainError(412, {
    code: 'version_conflict',
    detail: `The task has changed since version you sent; it is now at version ${row.version}`,
    extra: { currentVersion: row.version, current: toTaskDto(row, caller) },
  });
}

/** The fields whose value the input really changes, with before and after. */
export function diff(row: TaskRow, input: TaskUpdateInput): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const [field, to] of Object.entries(input)) {
    if (to === undefined) continue;
    const from = row[field as keyof TaskRow];
    if (field === 'dueDate') {
      const before = (from as Date | null)?.toISOString() ?? null;
      const after = to === null ? null : new Date(to as string).toISOString();
      if (before !== after) changes.dueDate = { from: before, to: after };
    } else {
      const value = field === 'title' ? String(to).trim() : to;
      if (value !== from) changes[field] = { from, to: value };
    }
  }
  return changes;
}
