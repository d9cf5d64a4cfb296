import type { Task, TaskStatus } from '@taskbase/sdk';
import { STATUSES } from '../shared/format.js';

export type Columns = Record<TaskStatus, Task[]>;

/** Where a card lands: its column and index among the *other* cards of that column. */
export interface Placement {
  status: TaskStatus;
  index: number;
}

/** Empty columns, one per status. */
export function emptyColumns(): Columns {
  return { todo: [], in_progress: [], in_review: [], done: [] };
}

/** The column and index of a card. */
export function locate(columns: Columns, id: number): Placement | undefined {
  for (const status of STATUSES) {
    const index = columns[status].findIndex((task) => task.id === id);
    if (index >= 0) return { status, index };
  }
  return undefined;
}

/** A copy of the columns with the card moved to `to` (a local preview; the server decides the final order). */
export function place(columns: Columns, id: number, to: Placement): Columns {
  const from = locate(columns, id);
  if (!from) return columns;
  const task = columns[from.status][from.index]!;
  const next = { ...columns, [from.status]: columns[from.status].filter((t) => t.id !== id) } as Columns;
  const target = [...next[to.status]];
  target.splice(Math.max(0, Math.min(to.index, target.length)), 0, { ...task, status: to.status });
  next[to.status] = target;
  return next;
}

/** The neighbours to send to POST /api/tasks/:id/move for a card now at `at` in `columns`. */
export function neighbours(columns: Columns, at: Placement): { afterId: number | null; beforeId: number | null } {
  const column = columns[at.status];
  return { afterId: column[at.index - 1]?.id ?? null, beforeId: column[at.index + 1]?.id ?? null };
}

/** The placement after pressing an arrow key while a card is picked up, or undefined at an edge. */
export function step(columns: Columns, at: Placement, key: string): Placement | undefined {
  const col = STATUSES.indexOf(at.status);
  if (key === 'ArrowUp') return at.index > 0 ? { ...at, index: at.index - 1 } : undefined;
  if (key === 'ArrowDown') return at.index < columns[at.status].length - 1 ? { ...at, index: at.index + 1 } : undefined;
  const nextCol = key === 'ArrowLeft' ? col - 1 : key === 'ArrowRight' ? col + 1 : -1;
  const status = STATUSES[nextCol];
  if (nextCol < 0 || !status) return undefined;
  return { status, index: Math.min(at.index, columns[status].length) };
}

/** The drop index in a column from the pointer's Y and the cards' boxes (the dragged card excluded). */
export function dropIndex(cards: Element[], clientY: number): number {
  const index = cards.findIndex((card) => {
    const box = card.getBoundingClientRect();
    return clientY < box.top + box.height / 2;
  });
  return index < 0 ? cards.length : index;
}
