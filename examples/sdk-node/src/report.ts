import type { AnalyticsSummary, TaskbaseClient } from '@taskbase/sdk';
import type { ImportSummary } from './import-tasks.js';

/** The import's outcome, one line per refused row. */
export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.rows} rows: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.skipped.length} skipped, ${summary.failed.length} failed`,
  ];
  const problems = [...summary.skipped.map((p) => ({ ...p, what: 'skipped' })), ...summary.failed.map((p) => ({ ...p, what: 'failed' }))];
  for (const { line, what, reason } of problems.sort((a, b) => a.line - b.line)) lines.push(`  line ${line}: ${what}: ${reason}`);
  return lines.join('\n');
}

/** Who has how much open work, from the analytics API. */
export async function workloadReport(client: TaskbaseClient): Promise<string> {
  return formatWorkload(await client.analytics.summary());
}

export function formatWorkload(summary: AnalyticsSummary): string {
  const { counts, byAssignee, completion } = summary;
  const rows = [
    ...byAssignee.data.map((person) => [person.name, person.open, person.overdue, person.done] as const),
    ['(unassigned)', byAssignee.unassigned.open, byAssignee.unassigned.overdue, byAssignee.unassigned.done] as const,
  ];
  const width = Math.max(8, ...rows.map(([name]) => name.length));
  const status = Object.entries(counts.byStatus)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return [
    `Workload (${summary.scope === 'own' ? 'your tasks' : 'whole workspace'}): ${counts.open} open, ${counts.overdue} overdue, ${counts.dueThisWeek} due this week`,
    `By status: ${status}`,
    `Last ${summary.trend.length} days: ${completion.created} created, ${completion.completed} completed`,
    '',
    `${'assignee'.padEnd(width)}  open  overdue  done`,
    ...rows.map(([name, open, overdue, done]) => `${name.padEnd(width)}  ${String(open).padStart(4)}  ${String(overdue).padStart(7)}  ${String(done).padStart(4)}`),
  ].join('\n');
}
