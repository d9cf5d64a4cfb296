/**
 * Tasks benchmark: seeds one workspace with many tasks and comments, then
 * measures the tasks API (list, get, create, update, analytics) against a
 * raw node:http + pg baseline answering the same queries, and checks budgets.
 *
 *   npm run bench:tasks [-- --tasks 100000 --comments 300000 --duration 10 --connections 50 --cpu-prof]
 */
import { join } from 'node:path';
import { registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad, type LoadOptions, type LoadResult } from './lib/load.js';
import { BENCH_DIR } from './lib/paths.js';
import { pick, seededRandom } from './lib/random.js';
import { loadOptions, log, machineLoad, runBench, writeResults } from './lib/run.js';
import { PRIORITIES, inviteUsers, seedTasks } from './lib/seed.js';
import { startApiServer, startScriptServer, type ChildServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

type Kind = 'list' | 'get' | 'create' | 'update' | 'analytics';

interface Scenario {
  kind: Kind;
  target: 'api' | 'raw';
  load: Omit<LoadOptions, 'durationSeconds' | 'connections' | 'name'>;
}

interface Row {
  route: string;
  kind: Kind;
  target: 'api' | 'raw';
  /** Undefined when the route could not be measured (e.g. 404 before it exists). */
  result?: LoadResult;
  skipped?: string;
  ratioToRaw?: number;
  budget: string;
  verdict: string;
}

/** Minimum API throughput as a fraction of the raw baseline's. */
/** Issue 20's: ahead of Feathers 5 (0.80x, 0.68x, 0.47x in the issue's side-by-side run). */
const RATIO_BUDGET: Partial<Record<Kind, number>> = { list: 0.85, get: 0.7, create: 0.5, update: 0.45 };
/** The raw route a kind is compared with: an update against the raw insert (raw has no update). */
const RAW_OF: Partial<Record<Kind, Kind>> = { update: 'create' };
const P99_BUDGET_MS = 100;
const ANALYTICS_P99_BUDGET_MS = 50;

function parseOptions() {
  return loadOptions({ tasks: 100_000, comments: 300_000 });
}

/** The same list/get/create on both servers; update and analytics only exist on the API. */
function scenarios(api: ChildServer, raw: ChildServer, token: string, taskIds: number[], userIds: number[]): Scenario[] {
  const random = seededRandom(7);
  const randomId = () => pick(random, taskIds);
  let created = 0;
  const newTask = () => ({
    title: `bench task ${++created}`,
    description: 'created by bench/tasks.ts',
    status: 'todo',
    priority: pick(random, PRIORITIES),
    assignedTo: pick(random, userIds),
  });
  const auth = { authorization: `Bearer ${token}` };
  return [
    { kind: 'list', target: 'api', load: { url: `${api.url}/api/tasks?status=todo&limit=50`, headers: auth } },
    { kind: 'list', target: 'raw', load: { url: `${raw.url}/tasks?status=todo&limit=50` } },
    { kind: 'get', target: 'api', load: { url: `${api.url}/api/tasks/1`, headers: auth, vary: () => ({ path: `/api/tasks/${randomId()}` }) } },
    { kind: 'get', target: 'raw', load: { url: `${raw.url}/tasks/1`, vary: () => ({ path: `/tasks/${randomId()}` }) } },
    { kind: 'create', target: 'api', load: { url: `${api.url}/api/tasks`, method: 'POST', headers: auth, vary: () => ({ body: newTask() }) } },
    { kind: 'create', target: 'raw', load: { url: `${raw.url}/tasks`, method: 'POST', vary: () => ({ body: newTask() }) } },
    {
      kind: 'update',
      target: 'api',
      load: {
        url: `${api.url}/api/tasks/1`,
        method: 'PATCH',
        headers: auth,
        vary: () => ({ path: `/api/tasks/${randomId()}`, body: { priority: pick(random, PRIORITIES) } }),
      },
    },
    { kind: 'analytics', target: 'api', load: { url: `${api.url}/api/analytics/summary`, headers: auth } },
  ];
}

function routeName(scenario: Scenario): string {
  const { method = 'GET', url } = scenario.load;
  const path = new URL(url).pathname.replace(/\/1$/, '/:id');
  const query = scenario.kind === 'list' ? '?status=todo&limit=50' : '';
  return `${scenario.target === 'raw' ? 'raw ' : ''}${method} ${path}${query}`;
}

/** Sends one request as the load would; returns why the route cannot be measured, if it cannot. */
async function probe(scenario: Scenario): Promise<string | undefined> {
  const next = scenario.load.vary?.() ?? {};
  const url = new URL(scenario.load.url);
  const body = next.body ?? scenario.load.body;
  try {
    const response = await fetch(new URL(next.path ?? url.pathname + url.search, url.origin), {
      method: scenario.load.method ?? 'GET',
      headers: { ...scenario.load.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) return undefined;
    return `HTTP ${response.status}${response.status === 404 ? ' (route not there yet?)' : `: ${text.slice(0, 120)}`}`;
  } catch (error) {
    return (error as Error).message;
  }
}

function budgetFor(kind: Kind, target: 'api' | 'raw'): string {
  if (target === 'raw') return 'baseline';
  const parts: string[] = [];
  if (RATIO_BUDGET[kind]) parts.push(`>= ${RATIO_BUDGET[kind]}x raw${RAW_OF[kind] ? ` ${RAW_OF[kind]}` : ''}`);
  parts.push(`p99 <= ${kind === 'analytics' ? ANALYTICS_P99_BUDGET_MS : P99_BUDGET_MS} ms`);
  return parts.join(', ');
}

/** Pass/miss against the budgets; raw rows are the baseline. */
function verdict(row: Omit<Row, 'verdict'>): string {
  if (!row.result) return `not run: ${row.skipped}`;
  if (row.target === 'raw') return '-';
  const misses: string[] = [];
  const failures = row.result.non2xx + row.result.errors;
  if (failures > 0) misses.push(`${failures} failed requests`);
  const minRatio = RATIO_BUDGET[row.kind];
  if (minRatio !== undefined && (row.ratioToRaw === undefined || row.ratioToRaw < minRatio)) misses.push('throughput');
  const maxP99 = row.kind === 'analytics' ? ANALYTICS_P99_BUDGET_MS : P99_BUDGET_MS;
  if (row.result.p99Ms > maxP99) misses.push('p99');
  return misses.length ? `MISS (${misses.join(', ')})` : 'pass';
}

async function measure(list: Scenario[], options: ReturnType<typeof parseOptions>): Promise<Row[]> {
  const results = new Map<Scenario, { result?: LoadResult; skipped?: string }>();
  for (const scenario of list) {
    const name = routeName(scenario);
    const skipped = await probe(scenario);
    if (skipped) {
      log(`  ${name}: skipped, ${skipped}`);
      results.set(scenario, { skipped });
      continue;
    }
    const base = { ...scenario.load, name, connections: options.connections };
    await runLoad({ ...base, durationSeconds: options.warmupSeconds });
    const result = await runLoad({ ...base, durationSeconds: options.durationSeconds });
    log(`  ${name}: ${fmt.int(result.requestsPerSecond)} req/s, p99 ${fmt.ms(result.p99Ms)}`);
    results.set(scenario, { result });
  }
  return list.map((scenario) => {
    const { result, skipped } = results.get(scenario)!;
    const raw = list.find((s) => s.target === 'raw' && s.kind === (RAW_OF[scenario.kind] ?? scenario.kind));
    const rawResult = raw && raw !== scenario ? results.get(raw)?.result : undefined;
    const ratioToRaw = result && rawResult ? result.requestsPerSecond / rawResult.requestsPerSecond : undefined;
    const row = { route: routeName(scenario), kind: scenario.kind, target: scenario.target, result, skipped, ratioToRaw };
    const full = { ...row, budget: budgetFor(scenario.kind, scenario.target) };
    return { ...full, verdict: verdict(full) };
  });
}

function printResults(rows: Row[], options: ReturnType<typeof parseOptions>): void {
  const dash = (fn: (r: LoadResult) => string) => (row: Row) => (row.result ? fn(row.result) : '-');
  printTable(
    `Tasks API vs raw node:http + pg — ${options.tasks.toLocaleString('en-US')} tasks, ${options.comments.toLocaleString('en-US')} comments, ` +
      `${options.connections} connections, ${options.durationSeconds} s per route`,
    rows,
    [
      { header: 'route', value: (r) => r.route, align: 'left' },
      { header: 'req/s', value: dash((r) => fmt.int(r.requestsPerSecond)) },
      { header: 'p50', value: dash((r) => fmt.ms(r.p50Ms)) },
      { header: 'p99', value: dash((r) => fmt.ms(r.p99Ms)) },
      { header: 'non-2xx/err', value: dash((r) => `${r.non2xx}/${r.errors}`) },
      { header: 'x raw', value: (r) => fmt.ratio(r.ratioToRaw) },
      { header: 'budget', value: (r) => r.budget, align: 'left' },
      { header: 'result', value: (r) => r.verdict, align: 'left' },
    ],
  );
  const judged = rows.filter((r) => r.target === 'api');
  const passed = judged.filter((r) => r.verdict === 'pass').length;
  const notRun = judged.filter((r) => !r.result).length;
  log(`${passed} of ${judged.length} API routes within budget${notRun ? ` (${notRun} not run)` : ''}.`);
}

runBench('bench:tasks', 45, async (onCleanup) => {
  const options = parseOptions();
  const loadBefore = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  log(`database ${database.name} created`);

  const api = await startApiServer({ databaseUrl: database.url, cpuProfile: options.cpuProfile });
  onCleanup(() => api.stop());
  log(`core-api listening on ${api.url} (pid ${api.pid})${options.cpuProfile ? ', CPU profile → bench/results/' : ''}`);

  const session = await registerWorkspace(api.url, 'tasks');
  const userIds = await inviteUsers(api.url, session, options.users);
  log(`workspace ${session.workspace.id}: admin + ${userIds.length - 1} members invited through the API`);
  const taskIds = await seedTasks(database.url, {
    workspaceId: session.workspace.id,
    userIds,
    tasks: options.tasks,
    comments: options.comments,
  });

  const raw = await startScriptServer('raw baseline', join(BENCH_DIR, 'lib/raw-server.ts'), {
    DATABASE_URL: database.url,
    RAW_WORKSPACE_ID: String(session.workspace.id),
    RAW_USER_ID: String(session.user.id),
  });
  onCleanup(() => raw.stop());
  log(`raw baseline listening on ${raw.url} (pid ${raw.pid})`);

  log(`measuring (${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per route)…`);
  const rows = await measure(scenarios(api, raw, session.accessToken, taskIds, userIds), options);
  printResults(rows, options);
  const file = writeResults('tasks', { options, loadBefore, rows });
  log(`results written to ${file}`);
});
