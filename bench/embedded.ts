/**
 * The embedded database (PGlite, what the API uses when DATABASE_URL is
 * unset) against PostgreSQL: the same API, seeded the same way through its
 * own bulk route, under the same load — list, get, create and update; then
 * the embedded API's cold start on its already-seeded data folder and its
 * memory right after. Budgets are printed as pass/MISS, never asserted.
 *
 *   npm run bench:embedded [-- --tasks 20000 --duration 10 --warmup 2 --connections 50 --restarts 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRequest, registerWorkspace, type Session } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad, type LoadOptions, type LoadResult } from './lib/load.js';
import { rss } from './lib/memory.js';
import { pick, seededRandom, words } from './lib/random.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { PRIORITIES, STATUSES, inviteUsers } from './lib/seed.js';
import { startApiServer, startApiServerUntilReady, type ApiServerOptions, type ChildServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

type Route = 'list' | 'get' | 'create' | 'update';
type Target = 'embedded' | 'postgres';

const ROUTES: Route[] = ['list', 'get', 'create', 'update'];
/** Every route on the embedded database: a person waits on each of these requests. */
const P99_BUDGET_MS = 300;
/** The reads must keep at least half of PostgreSQL's throughput; writes are only reported. */
const RATIO_BUDGET: Partial<Record<Route, number>> = { list: 0.5, get: 0.5 };
/** `taskbase start` on an existing data folder, until /readyz is 200 (budget on the median). */
const COLD_START_BUDGET_MS = 3000;
const RSS_BUDGET_BYTES = 350 * 1024 * 1024;
const MB = 1024 * 1024;
/** The bulk route's limit, and how many bulk calls are in flight while seeding. */
const BULK_ITEMS = 100;
const BULK_IN_FLIGHT = 4;
const MEMBERS = 10;

interface Seeded {
  session: Session;
  /** The invited members (not the admin): the assignees of created tasks. */
  memberIds: number[];
  taskIds: number[];
  seedSeconds: number;
}

interface RouteRow {
  route: Route;
  path: string;
  embedded: LoadResult;
  postgres: LoadResult;
  ratio: number;
  budget: string;
  verdict: string;
}

interface Restart {
  readyMs: number;
  rssReady: number;
  rssIdle: number;
}

function parseOptions() {
  const options = flags({
    tasks: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    restarts: { type: 'string', default: '3' },
  });
  return {
    tasks: Math.floor(positiveNumber(options.tasks, 'tasks')),
    durationSeconds: positiveNumber(options.duration, 'duration'),
    warmupSeconds: Math.min(positiveNumber(options.warmup, 'warmup'), positiveNumber(options.duration, 'duration')),
    connections: Math.floor(positiveNumber(options.connections, 'connections')),
    restarts: Math.floor(positiveNumber(options.restarts, 'restarts')),
  };
}
type Options = ReturnType<typeof parseOptions>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registers a workspace, invites members and creates the tasks through
 * `POST /api/tasks/bulk`: PGlite cannot be written with `pg` as lib/seed.ts
 * does, and both databases must hold the same rows written the same way.
 */
async function seed(api: ChildServer, label: Target, tasks: number): Promise<Seeded> {
  const started = performance.now();
  const session = await registerWorkspace(api.url, `embedded-${label}`);
  const userIds = await inviteUsers(api.url, session, MEMBERS);
  // The same seed on both databases: the same titles, statuses, priorities and assignees (by position).
  const random = seededRandom(42);
  const batches: object[][] = [];
  for (let start = 0; start < tasks; start += BULK_ITEMS) {
    batches.push(
      Array.from({ length: Math.min(BULK_ITEMS, tasks - start) }, () => ({
        title: words(random, 2 + Math.floor(random() * 4)),
        description: words(random, 8 + Math.floor(random() * 20)),
        status: pick(random, STATUSES),
        priority: pick(random, PRIORITIES),
        assignedTo: random() < 0.8 ? pick(random, userIds) : null,
      })),
    );
  }
  const taskIds: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const items = batches[next++]!;
      const answer = await apiRequest<{ results: { status: string; task?: { id: number }; error?: { detail: string } }[] }>(
        api.url,
        'POST',
        '/api/tasks/bulk',
        { token: session.accessToken, body: { items }, expect: 200 },
      );
      for (const result of answer.results) {
        if (result.status !== 'created' || !result.task) throw new Error(`bulk item not created: ${result.error?.detail ?? result.status}`);
        taskIds.push(result.task.id);
      }
    }
  };
  await Promise.all(Array.from({ length: BULK_IN_FLIGHT }, worker));
  const seedSeconds = (performance.now() - started) / 1000;
  log(`  ${label}: ${taskIds.length.toLocaleString('en-US')} tasks + ${MEMBERS} members seeded through the API in ${seedSeconds.toFixed(1)} s`);
  return { session, memberIds: userIds.slice(1), taskIds, seedSeconds };
}

/** The four routes' load; the random sequence restarts per target so both get the same ids and bodies. */
function loadFor(route: Route, api: ChildServer, seeded: Seeded): Omit<LoadOptions, 'durationSeconds' | 'connections'> {
  const random = seededRandom(7);
  const headers = { authorization: `Bearer ${seeded.session.accessToken}` };
  const randomId = () => pick(random, seeded.taskIds);
  let created = 0;
  switch (route) {
    case 'list':
      return { name: route, url: `${api.url}/api/tasks?status=todo&limit=50`, headers };
    case 'get':
      return { name: route, url: `${api.url}/api/tasks/1`, headers, vary: () => ({ path: `/api/tasks/${randomId()}` }) };
    case 'create':
      return {
        name: route,
        url: `${api.url}/api/tasks`,
        method: 'POST',
        headers,
        vary: () => ({ body: { title: `bench task ${++created}`, status: 'todo', priority: pick(random, PRIORITIES), assignedTo: pick(random, seeded.memberIds) } }),
      };
    case 'update':
      return { name: route, url: `${api.url}/api/tasks/1`, method: 'PATCH', headers, vary: () => ({ path: `/api/tasks/${randomId()}`, body: { priority: pick(random, PRIORITIES) } }) };
  }
}

const ROUTE_PATHS: Record<Route, string> = {
  list: 'GET /api/tasks?status=todo&limit=50',
  get: 'GET /api/tasks/:id',
  create: 'POST /api/tasks',
  update: 'PATCH /api/tasks/:id',
};

/** Starts one API, seeds it and drives each route (warm-up, then the measured run); stops it after. */
async function measureTarget(target: Target, server: ApiServerOptions, options: Options): Promise<Record<Route, LoadResult>> {
  const api = await startApiServer(server);
  try {
    log(`${target}: core-api on ${api.url} (pid ${api.pid})`);
    const seeded = await seed(api, target, options.tasks);
    const results = {} as Record<Route, LoadResult>;
    for (const route of ROUTES) {
      const load = { ...loadFor(route, api, seeded), connections: options.connections };
      await runLoad({ ...load, durationSeconds: options.warmupSeconds });
      results[route] = await runLoad({ ...load, durationSeconds: options.durationSeconds });
      log(`  ${route}: ${fmt.int(results[route].requestsPerSecond)} req/s, p99 ${fmt.ms(results[route].p99Ms)}`);
    }
    return results;
  } finally {
    // One API at a time: the other one's process must not share the machine with the load.
    await api.stop();
  }
}

function routeRow(route: Route, embedded: LoadResult, postgres: LoadResult): RouteRow {
  const ratio = embedded.requestsPerSecond / postgres.requestsPerSecond;
  const minRatio = RATIO_BUDGET[route];
  const misses: string[] = [];
  const failed = embedded.non2xx + embedded.errors;
  if (failed > 0) misses.push(`${failed} failed requests`);
  if (embedded.p99Ms > P99_BUDGET_MS) misses.push('p99');
  if (minRatio !== undefined && ratio < minRatio) misses.push('throughput');
  const budget = [`p99 <= ${P99_BUDGET_MS} ms`, ...(minRatio !== undefined ? [`>= ${minRatio}x postgres`] : [])].join(', ');
  return { route, path: ROUTE_PATHS[route], embedded, postgres, ratio, budget, verdict: misses.length ? `MISS (${misses.join(', ')})` : 'pass' };
}

/**
 * Restarts the embedded API on its seeded folder: time from the spawn until
 * /readyz is 200, its RSS at that moment and after 2 s of idling (what a
 * fresh process settles at before any request).
 */
async function coldStarts(server: ApiServerOptions, restarts: number): Promise<Restart[]> {
  const runs: Restart[] = [];
  for (let i = 0; i < restarts; i++) {
    const api = await startApiServerUntilReady(server);
    try {
      const rssReady = rss(api.pid!);
      await sleep(2000);
      const rssIdle = rss(api.pid!);
      runs.push({ readyMs: api.readyMs, rssReady, rssIdle });
      log(`  restart ${i + 1}: ready in ${fmt.ms(api.readyMs)}, RSS ${(rssReady / MB).toFixed(0)} MB, after 2 s ${(rssIdle / MB).toFixed(0)} MB`);
    } finally {
      await api.stop();
    }
  }
  return runs;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function printResults(rows: RouteRow[], restarts: Restart[], options: Options): void {
  printTable(
    `Tasks API on the embedded database (PGlite) vs PostgreSQL — ${options.tasks.toLocaleString('en-US')} tasks, ` +
      `${options.connections} connections, ${options.durationSeconds} s per route`,
    rows,
    [
      { header: 'route', value: (r) => r.path, align: 'left' },
      { header: 'embedded req/s', value: (r) => fmt.int(r.embedded.requestsPerSecond) },
      { header: 'p50', value: (r) => fmt.ms(r.embedded.p50Ms) },
      { header: 'p99', value: (r) => fmt.ms(r.embedded.p99Ms) },
      { header: 'non-2xx/err', value: (r) => `${r.embedded.non2xx}/${r.embedded.errors}` },
      { header: 'postgres req/s', value: (r) => fmt.int(r.postgres.requestsPerSecond) },
      { header: 'postgres p99', value: (r) => fmt.ms(r.postgres.p99Ms) },
      { header: 'x postgres', value: (r) => fmt.ratio(r.ratio) },
      { header: 'budget', value: (r) => r.budget, align: 'left' },
      { header: 'result', value: (r) => r.verdict, align: 'left' },
    ],
  );
  printTable(
    'Embedded API restarted on its seeded data folder (`node dist/cli.js start` → /readyz 200)',
    restarts.map((run, i) => ({ ...run, n: i + 1 })),
    [
      { header: 'restart', value: (r) => String(r.n), align: 'left' },
      { header: 'ready', value: (r) => fmt.ms(r.readyMs) },
      { header: 'RSS at ready', value: (r) => `${(r.rssReady / MB).toFixed(0)} MB` },
      { header: 'RSS after 2 s', value: (r) => `${(r.rssIdle / MB).toFixed(0)} MB` },
    ],
  );
  const readyMedian = median(restarts.map((run) => run.readyMs));
  const readyMax = Math.max(...restarts.map((run) => run.readyMs));
  const rssMax = Math.max(...restarts.flatMap((run) => [run.rssReady, run.rssIdle]));
  const verdict = (ok: boolean) => (ok ? 'pass' : 'MISS');
  log(`cold start: median ${fmt.ms(readyMedian)}, max ${fmt.ms(readyMax)} (budget median <= ${COLD_START_BUDGET_MS} ms): ${verdict(readyMedian <= COLD_START_BUDGET_MS)}`);
  // NaN (the process gone before it was read) must not pass.
  log(`RSS: max ${(rssMax / MB).toFixed(0)} MB at ready and after 2 s (budget <= ${RSS_BUDGET_BYTES / MB} MB): ${verdict(rssMax <= RSS_BUDGET_BYTES)}`);
  const passed = rows.filter((row) => row.verdict === 'pass').length;
  log(`${passed} of ${rows.length} routes within budget on the embedded database.`);
}

runBench('bench:embedded', 30, async (onCleanup) => {
  const options = parseOptions();
  const loadBefore = machineLoad();
  const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-bench-embedded-'));
  onCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  log(`embedded data folder ${dataDir}; database ${database.name} created`);

  // bcrypt cost 4: the invites are set-up, not what is measured. No webhooks or reminders run: nothing subscribes.
  const common = { bcryptCost: 4, startTimeoutMs: 60_000 };
  const embeddedServer: ApiServerOptions = { ...common, env: { TASKBASE_DATA_DIR: dataDir } };
  const postgresServer: ApiServerOptions = { ...common, databaseUrl: database.url };

  log(`measuring (${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per route)…`);
  const embedded = await measureTarget('embedded', embeddedServer, options);
  log(`embedded: ${options.restarts} cold starts on the seeded folder…`);
  const restarts = await coldStarts(embeddedServer, options.restarts);
  const postgres = await measureTarget('postgres', postgresServer, options);

  const rows = ROUTES.map((route) => routeRow(route, embedded[route], postgres[route]));
  printResults(rows, restarts, options);
  log(`results: ${writeResults('embedded', { options, loadBefore, rows, restarts })}`);
});
