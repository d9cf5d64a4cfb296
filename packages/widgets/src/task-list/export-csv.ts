import type { TasksCsvQuery } from '@taskbase/sdk';
import type { AnyClient } from '../shared/client.js';

/** What `GET /api/tasks.csv` takes: the list's filters (no paging, no order). */
export type CsvQuery = Record<string, unknown>;

/**
 * The tasks of a view as CSV, through the client (`client.tasks.csv`): its
 * auth header and token renewal. A bare link would carry no credentials, and
 * a token in the URL would end up in logs and history.
 */
async function fetchCsv(client: AnyClient, query: CsvQuery): Promise<Blob> {
  const text = await client.tasks.csv(query as TasksCsvQuery);
  // A byte-order mark: spreadsheets (Excel) then read the file as UTF-8.
  return new Blob([text.startsWith('\uFEFF') ? text : `\uFEFF${text}`], { type: 'text/csv;charset=utf-8' });
}

/** `tasks-CRM-2026-12-03.csv` (the project's key, else `all`). */
export function csvFilename(project: string, now = new Date()): string {
  const scope = project.replace(/[^\w.-]+/g, '_').slice(0, 40) || 'all';
  return `tasks-${scope}-${now.toISOString().slice(0, 10)}.csv`;
}

/** Fetches the view's CSV and hands it to the browser as a download. */
export async function downloadCsv(client: AnyClient, query: CsvQuery, filename: string, doc: Document = document): Promise<void> {
  const url = URL.createObjectURL(await fetchCsv(client, query));
  const link = Object.assign(doc.createElement('a'), { href: url, download: filename });
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by now; it is freed a little later, for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
