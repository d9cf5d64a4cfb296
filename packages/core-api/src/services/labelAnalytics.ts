import type { Knex } from 'knex';
import type { ByLabelReportDto } from '../schemas/analytics.js';
import type { Scope } from './analytics.js';

const OPEN = "t.status_category not in ('completed', 'canceled')";

/**
 * Per label, the open, done and overdue tasks in scope (a task with two
 * labels counts under each), and the same for tasks without a label.
 */
export async function labelFigures(knex: Knex, scope: Scope, now: Date): Promise<Omit<ByLabelReportDto, 'scope' | 'generatedAt'>> {
  const figures = `count(*) filter (where ${OPEN}) as open,
    count(*) filter (where t.status_category = 'completed') as done,
    count(*) filter (where ${OPEN} and t.due_date < :now) as overdue`;
  const bindings = { ...scope.bindings, now: now.toISOString() };
  const labelled = (await knex.raw(
    `select l.id, l.name, l.color, ${figures} from tasks t join labels l on l.id = any(t.label_ids)
     where ${scope.sql} group by l.id, l.name, l.color order by open desc, done desc, l.id`,
    bindings,
  )) as { rows: Array<{ id: number; name: string; color: string; open: number; done: number; overdue: number }> };
  const unlabelled = (await knex.raw(`select ${figures} from tasks t where ${scope.sql} and cardinality(t.label_ids) = 0`, bindings)) as {
    rows: Array<{ open: number; done: number; overdue: number }>;
  };
  const counts = (row: { open: unknown; done: unknown; overdue: unknown } | undefined) => ({ open: Number(row?.open ?? 0), done: Number(row?.done ?? 0), overdue: Number(row?.overdue ?? 0) });
  return {
    data: labelled.rows.map((row) => ({ labelId: Number(row.id), name: row.name, color: row.color, ...counts(row) })),
    unlabeled: counts(unlabelled.rows[0]),
  };
}
