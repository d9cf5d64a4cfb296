import type { Task, TaskStatus } from '@taskbase/sdk';

/** The board's cards per status key, in the workflow's order (the keys' insertion order is the column order). */
export type Columns = Record<TaskStatus, Task[]>;

/** Where a card lands: its column and index among the *other* cards of that column. */
export interface Placement {
  status: TaskStatus;
  index: number;
}

/** Empty columns, one per status key, in this order. */
export function emptyColumns(keys: readonly string[] = []): Columns {
  return Object.fromEntries(keys.map((key) => [key, [] as Task[]]));
}

/** The cards of one column (none for a status the board does not show). */
export function cardsOf(columns: Columns, status: TaskStatus): Task[] {
  return columns[status] ?? [];
}

/** The column and index of a card. */
export function locate(columns: Columns, id: number): Placement | undefined {
  for (const status of Object.keys(columns)) {
    const index = cardsOf(columns, status).findIndex((task) => task.id === id);
    if (index >= 0) return { status, index };
  }
  return undefined;
}

/** A copy of the columns with the card moved to `to` (a local preview; the server decides the final order). */
export function place(columns: Columns, id: number, to: Placement): Columns {
  const from = locate(columns, id);
  if (!from) return columns;
  const task = cardsOf(columns, from.status)[from.index]!;
  const next: Columns = { ...columns, [from.status]: cardsOf(columns, from.status).filter((t) => t.id !== id) };
  const target = [...cardsOf(next, to.status)];
  target.splice(Math.max(0, Math.min(to.index, target.length)), 0, { ...task, status: to.status });
  next[to.status] = target;
  return next;
}

/** The neighbours to send to POST /api/tasks/:id/move for a card now at `at` in `columns`. */
export function neighbours(columns: Columns, at: Placement): { afterId: number | null; beforeId: number | null } {
  const column = cardsOf(columns, at.status);
  return { afterId: column[at.index - 1]?.id ?? null, beforeId: column[at.index + 1]?.id ?? null };
}

/** The placement after pressing an arrow key while a card is picked up, or undefined at an edge. */
export function step(columns: Columns, at: Placement, key: string): Placement | undefined {
  const order = Object.keys(columns);
  const col = order.indexOf(at.status);
  if (key === 'ArrowUp') return at.index > 0 ? { ...at, index: at.index - 1 } : undefined;
  if (key === 'ArrowDown') return at.index < cardsOf(columns, at.status).length - 1 ? { ...at, index: at.index + 1 } : undefined;
  const nextCol = key === 'ArrowLeft' ? col - 1 : key === 'ArrowRight' ? col + 1 : -1;
  const status = order[nextCol];
  if (nextCol < 0 || !status) return undefined;
  return { status, index: Math.min(at.index, cardsOf(columns, status).length) };
}

/** The drop index in a column from the pointer's Y and the cards' boxes (the dragged card excluded). */
export function dropIndex(cards: Element[], clientY: number): number {
  const index = cards.findIndex((card) => {
    const box = card.getBoundingClientRect();
    return clientY < box.top + box.height / 2;
  });
  return index < 0 ? cards.length : index;
}
