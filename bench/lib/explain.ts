import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { CORE_API_CLI } from './paths.js';

/** One statement as knex sent it. */
export interface CapturedQuery {
  sql: string;
  bindings: unknown[];
}

export interface ListCaller {
  userId: number;
  workspaceId: number;
  role: 'admin' | 'manager' | 'member';
  name: string;
}

/**
 * Runs `GET /api/tasks` in this process through the built server's own
 * TaskService (the same dist/ the benchmark starts), on a knex that records
 * every statement: the SQL the API runs for a list, with its bindings, not a
 * copy of it that could drift from the code.
 */
export async function captureListSql(databaseUrl: string, caller: ListCaller, input: Record<string, unknown>): Promise<CapturedQuery[]> {
  const dist = dirname(CORE_API_CLI);
  const load = (path: string) => import(pathToFileURL(join(dist, path)).href);
  const [{ openDatabase }, { ProjectService }, { TaskService }] = await Promise.all([
    load('db/database.js'),
    load('services/projects.js'),
    load('services/tasks.js'),
  ]);
  const database = await openDatabase({ databaseUrl, poolMax: 1 });
  const captured: CapturedQuery[] = [];
  database.knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
    captured.push({ sql: database.knex.client.positionBindings(query.sql), bindings: query.bindings ?? [] });
  });
  try {
    const tasks = new TaskService(database.knex, new ProjectService(database.knex));
    await tasks.list({ ...caller, via: 'password' }, input);
    return captured;
  } finally {
    await database.close();
  }
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of a captured statement, as text lines. */
export async function explainAnalyze(databaseUrl: string, query: CapturedQuery): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.sql}`, query.bindings as unknown[]);
    return result.rows.map((row) => row['QUERY PLAN']);
  } finally {
    await client.end();
  }
}
