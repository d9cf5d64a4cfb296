/**
 * bench:deletes — what the foreign-key indexes of migration 0011 do for
 * deletes, and what ANALYZE does for the list plan on the embedded database.
 *
 * 1. PostgreSQL (a fresh database, migrated by the built server's code): one
 *    workspace with --tasks tasks, 3 comments and 1 notification per task
 *    (like bench:tasks' 100k/300k), then `delete from tasks where
 *    workspace_id = $1` (comments and notifications cascade), then the same
 *    load again and `delete from workspaces where id = $1` (everything,
 *    users included). Once with 0011's indexes dropped ("before"), once with
 *    them ("after").
 * 2. Embedded (PGlite, in memory, in this process): --embedded-tasks tasks
 *    loaded by SQL, then the API's list (`TaskService.list`, status=todo,
 *    limit 50, its SQL recorded and explained) timed before and after `ANALYZE`.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createBenchDatabase } from './lib/db.js';
import { CORE_API_CLI } from './lib/paths.js';
import { seedTasks } from './lib/seed.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { fmt, printTable } from './lib/table.js';

const options = flags({
  tasks: { type: 'string', default: '20000' },
  'embedded-tasks': { type: 'string', default: '20000' },
  'skip-before': { type: 'boolean', default: false },
});
const TASKS = Math.floor(positiveNumber(options.tasks, 'tasks'));
const EMBEDDED_TASKS = Math.floor(positiveNumber(options['embedded-tasks'], 'embedded-tasks'));
const USERS = 20;
/** Budget for deleting the tasks (or the workspace) with their comments and notifications: 5 s per 20k tasks. */
const BUDGET_MS = (5_000 * TASKS) / 20_000;

const dist = dirname(CORE_API_CLI);
const load = (path: string): Promise<any> => import(pathToFileURL(join(dist, path)).href);

interface Row {
  indexes: 'before (no 0011 indexes)' | 'after (0011)';
  what: string;
  ms: number;
  comments: number;
  notifications: number;
}

/** A workspace, its users, its default project; returns what seedTasks needs. */
async function makeWorkspace(client: pg.Client, workflow: unknown, name: string) {
  const { rows } = await client.query<{ id: string }>('insert into workspaces (name) values ($1) returning id', [name]);
  const workspaceId = Number(rows[0]!.id);
  const users = await client.query<{ id: string }>(
    `insert into users (workspace_id, name, role) select $1, 'User ' || n, 'member' from generate_series(1, $2) n returning id`,
    [workspaceId, USERS],
  );
  await client.query(`insert into projects (workspace_id, key, name, is_default, workflow) values ($1, 'BEN', 'Bench', true, $2)`, [
    workspaceId,
    JSON.stringify(workflow),
  ]);
  return { workspaceId, userIds: users.rows.map((row) => Number(row.id)) };
}

async function loadWorkspace(url: string, client: pg.Client, workflow: unknown, name: string): Promise<number> {
  const { workspaceId, userIds } = await makeWorkspace(client, workflow, name);
  await seedTasks(url, { workspaceId, userIds, tasks: TASKS, comments: TASKS * 3 });
  // One notification per task, to a user who did not create it (as an assignment would).
  await client.query(
    `insert into notifications (workspace_id, user_id, task_id, actor_id, type, message)
     select t.workspace_id, coalesce(t.assigned_to, t.created_by), t.id, t.created_by, 'task.assigned', 'assigned to you'
     from tasks t where t.workspace_id = $1`,
    [workspaceId],
  );
  await client.query('analyze');
  return workspaceId;
}

async function counts(client: pg.Client): Promise<{ comments: number; notifications: number }> {
  const { rows } = await client.query<{ comments: string; notifications: string }>(
    'select (select count(*) from task_comments) as comments, (select count(*) from notifications) as notifications',
  );
  return { comments: Number(rows[0]!.comments), notifications: Number(rows[0]!.notifications) };
}

async function timed(client: pg.Client, sql: string, params: unknown[]): Promise<number> {
  const started = performance.now();
  await client.query(sql, params);
  return performance.now() - started;
}

async function postgresDeletes(onCleanup: (fn: () => Promise<void>) => void): Promise<Row[]> {
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  const [{ openDatabase, migrateLatest }, fkIndexes, { DEFAULT_WORKFLOW }] = await Promise.all([
    load('db/database.js'),
    load('db/migrations/0011_foreign_key_indexes.js'),
    load('services/workflow.js'),
  ]);
  const api = await openDatabase({ databaseUrl: database.url, poolMax: 1 });
  try {
    const applied = (await migrateLatest(api.knex)) as string[];
    if (!applied.includes('0011_foreign_key_indexes')) throw new Error(`the build at ${dist} has no migration 0011: build core-api first`);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rows: Row[] = [];
    try {
      const phases = options['skip-before'] ? (['after'] as const) : (['before', 'after'] as const);
      for (const phase of phases) {
        if (phase === 'before') await fkIndexes.down(api.knex);
        else await fkIndexes.up(api.knex);
        const indexes = phase === 'before' ? 'before (no 0011 indexes)' : 'after (0011)';
        for (const what of ['delete from tasks where workspace_id = $1', 'delete from workspaces where id = $1']) {
          const workspaceId = await loadWorkspace(database.url, client, DEFAULT_WORKFLOW, `deletes ${phase}`);
          const before = await counts(client);
          log(`${indexes}: ${what} (${fmt.int(TASKS)} tasks, ${fmt.int(before.comments)} comments, ${fmt.int(before.notifications)} notifications)…`);
          const ms = await timed(client, what, [workspaceId]);
          log(`  ${fmt.ms(ms)}`);
          rows.push({ indexes, what, ms, comments: before.comments, notifications: before.notifications });
          await client.query('delete from workspaces where id = $1', [workspaceId]);
        }
      }
    } finally {
      await client.end();
    }
    return rows;
  } finally {
    await api.close();
  }
}

interface PlanRow {
  when: string;
  ms: number;
  plan: string[];
}

/** The API's task list on the embedded database after a bulk load, before and after ANALYZE. */
async function embeddedListPlan(): Promise<PlanRow[]> {
  const [{ openDatabase, migrateLatest }, { DEFAULT_WORKFLOW }, { ProjectService }, { TaskService }] = await Promise.all([
    load('db/database.js'),
    load('services/workflow.js'),
    load('services/projects.js'),
    load('services/tasks.js'),
  ]);
  const database = await openDatabase({});
  try {
    const { knex } = database;
    // Migrations analyze the (empty) tables: the statistics say "no rows" until the next ANALYZE.
    await migrateLatest(knex);
    const [{ id: workspaceId }] = await knex('workspaces').insert({ name: 'embedded' }).returning('id');
    const [{ id: userId }] = await knex('users').insert({ workspaceId, name: 'Owner', role: 'admin' }).returning('id');
    const [{ id: projectId }] = await knex('projects')
      .insert({ workspaceId, key: 'EMB', name: 'Embedded', isDefault: true, workflow: JSON.stringify(DEFAULT_WORKFLOW) })
      .returning('id');
    log(`embedded: loading ${fmt.int(EMBEDDED_TASKS)} tasks…`);
    await knex.raw(
      `insert into tasks (workspace_id, project_id, number, identifier, title, description, status, status_category, priority, created_by, position, created_at)
       select ?, ?, n, 'EMB-' || n, 'Task ' || n, 'words words words', s.status,
              (case s.status when 'done' then 'completed' when 'todo' then 'unstarted' else 'started' end)::status_category,
              'medium', ?, n * 1024, now() - n * interval '1 minute'
       from generate_series(1, ?) n
       cross join lateral (select (array['todo', 'in_progress', 'in_review', 'done'])[1 + n % 4] as status) s`,
      [workspaceId, projectId, userId, EMBEDDED_TASKS],
    );
    // The API's own list (GET /api/tasks?status=todo&limit=50) through the built TaskService, its SQL recorded.
    const tasks = new TaskService(knex, new ProjectService(knex));
    const caller = { userId, workspaceId, role: 'admin', name: 'Owner', via: 'password' };
    const input = { status: ['todo'], limit: 50 };
    const captured: Array<{ sql: string; bindings: unknown[] }> = [];
    const record = (query: { sql: string; bindings?: unknown[] }) => captured.push({ sql: query.sql, bindings: query.bindings ?? [] });
    const measure = async (when: string): Promise<PlanRow> => {
      captured.length = 0;
      knex.on('query', record);
      await tasks.list(caller, input);
      knex.off('query', record);
      const plan: string[] = [];
      for (const query of captured.filter((q) => /\bfrom "tasks"/.test(q.sql))) {
        // Already numbered ($1…): straight to PGlite, not through knex's `?` bindings.
        const explained = (await database.pglite.query(`explain ${query.sql}`, query.bindings)) as { rows: Array<{ 'QUERY PLAN': string }> };
        plan.push(...explained.rows.map((row) => row['QUERY PLAN']));
      }
      const runs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        await tasks.list(caller, input);
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      return { when, ms: runs[Math.floor(runs.length / 2)]!, plan };
    };
    const before = await measure('after the bulk load, no ANALYZE');
    const started = performance.now();
    await knex.raw('analyze');
    const analyzeMs = performance.now() - started;
    const after = await measure(`after ANALYZE (${fmt.ms(analyzeMs)})`);
    return [before, after];
  } finally {
    await database.close();
  }
}

runBench('bench:deletes', 30, async (onCleanup) => {
  const machine = machineLoad();
  const deletes = await postgresDeletes(onCleanup);
  printTable(`Deletes on PostgreSQL, ${fmt.int(TASKS)} tasks (budget ≤ ${fmt.ms(BUDGET_MS)})`, deletes, [
    { header: 'indexes', value: (row) => row.indexes, align: 'left' },
    { header: 'statement', value: (row) => row.what, align: 'left' },
    { header: 'comments', value: (row) => fmt.int(row.comments) },
    { header: 'notifications', value: (row) => fmt.int(row.notifications) },
    { header: 'time', value: (row) => fmt.ms(row.ms) },
    { header: 'budget', value: (row) => (row.indexes.startsWith('after') ? (row.ms <= BUDGET_MS ? 'PASS' : 'MISS') : '(reference)') },
  ]);
  const plans = await embeddedListPlan();
  printTable(`Embedded GET /api/tasks?status=todo&limit=50 (TaskService.list) over ${fmt.int(EMBEDDED_TASKS)} tasks`, plans, [
    { header: 'statistics', value: (row) => row.when, align: 'left' },
    { header: 'median of 20', value: (row) => fmt.ms(row.ms) },
  ]);
  for (const row of plans) log(`${row.when}:\n  ${row.plan.join('\n  ')}\n`);
  const file = writeResults('deletes', { tasks: TASKS, budgetMs: BUDGET_MS, machine, deletes, embeddedTasks: EMBEDDED_TASKS, plans });
  log(`results: ${file}`);
  const missed = deletes.filter((row) => row.indexes.startsWith('after') && row.ms > BUDGET_MS).length;
  if (missed) process.exitCode = 1;
});
