/**
 * GraphQL benchmark: the GraphQL equivalent of the REST task list (50 tasks
 * with their assignee) against GET /api/tasks?limit=50, in the same run, on
 * the same seeded PostgreSQL database and the same API process.
 *
 *   npm run bench:graphql [-- --tasks 20000 --comments 20000 --duration 10 --connections 50]
 */
import { registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad, type LoadOptions, type LoadResult } from './lib/load.js';
import { loadOptions, log, machineLoad, runBench, writeResults } from './lib/run.js';
import { inviteUsers, seedTasks } from './lib/seed.js';
import { startApiServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

/** GraphQL must reach this share of REST's requests per second (issue 20). */
const RATIO_BUDGET = 0.8;

const LIST_QUERY = `query List {
  tasks(first: 50) {
    nodes { id title description status priority dueDate position version createdAt updatedAt assignee { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Row {
  route: string;
  result: LoadResult;
  ratio?: number;
  verdict: string;
}

function parseOptions() {
  return loadOptions({ tasks: 20_000, comments: 20_000 });
}

/** One request as the load sends it: it must answer 2xx with 50 tasks, or the figures mean nothing. */
async function probe(load: Omit<LoadOptions, 'durationSeconds' | 'name'>, count: (body: any) => number): Promise<void> {
  const response = await fetch(load.url, {
    method: load.method ?? 'GET',
    headers: { ...load.headers, ...(load.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: load.body === undefined ? undefined : JSON.stringify(load.body),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as any;
  if (response.status !== 200 || body.errors || count(body) !== 50) {
    throw new Error(`${load.method ?? 'GET'} ${load.url} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
}

runBench('bench:graphql', 20, async (onCleanup) => {
  const options = parseOptions();
  const loadBefore = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  const api = await startApiServer({ databaseUrl: database.url, cpuProfile: options.cpuProfile });
  onCleanup(() => api.stop());
  log(`core-api listening on ${api.url} (pid ${api.pid})`);
  const session = await registerWorkspace(api.url, 'graphql');
  const userIds = await inviteUsers(api.url, session, options.users);
  await seedTasks(database.url, { workspaceId: session.workspace.id, userIds, tasks: options.tasks, comments: options.comments });

  const auth = { authorization: `Bearer ${session.accessToken}` };
  const scenarios: Array<{ route: string; load: Omit<LoadOptions, 'durationSeconds' | 'name'>; count: (body: any) => number }> = [
    { route: 'REST GET /api/tasks?limit=50', load: { url: `${api.url}/api/tasks?limit=50`, headers: auth }, count: (b) => b.data.length },
    {
      route: 'GraphQL tasks(first: 50) { … assignee { id name } }',
      load: { url: `${api.url}/graphql`, method: 'POST', headers: auth, body: { query: LIST_QUERY } },
      count: (b) => b.data.tasks.nodes.length,
    },
  ];
  const results: LoadResult[] = [];
  for (const scenario of scenarios) {
    await probe(scenario.load, scenario.count);
    const base = { ...scenario.load, name: scenario.route, connections: options.connections };
    await runLoad({ ...base, durationSeconds: options.warmupSeconds });
    const result = await runLoad({ ...base, durationSeconds: options.durationSeconds });
    log(`  ${scenario.route}: ${fmt.int(result.requestsPerSecond)} req/s, p99 ${fmt.ms(result.p99Ms)}`);
    results.push(result);
  }
  const [rest, graphql] = results as [LoadResult, LoadResult];
  const ratio = graphql.requestsPerSecond / rest.requestsPerSecond;
  const failures = graphql.non2xx + graphql.errors;
  const rows: Row[] = [
    { route: scenarios[0]!.route, result: rest, verdict: 'baseline' },
    {
      route: scenarios[1]!.route,
      result: graphql,
      ratio,
      verdict: ratio >= RATIO_BUDGET && failures === 0 ? 'pass' : `MISS (${failures ? `${failures} failed` : 'throughput'})`,
    },
  ];
  printTable(
    `GraphQL vs REST task list — ${options.tasks.toLocaleString('en-US')} tasks, ${options.connections} connections, ${options.durationSeconds} s each`,
    rows,
    [
      { header: 'route', value: (r) => r.route, align: 'left' },
      { header: 'req/s', value: (r) => fmt.int(r.result.requestsPerSecond) },
      { header: 'p50', value: (r) => fmt.ms(r.result.p50Ms) },
      { header: 'p99', value: (r) => fmt.ms(r.result.p99Ms) },
      { header: 'non-2xx/err', value: (r) => `${r.result.non2xx}/${r.result.errors}` },
      { header: 'x REST', value: (r) => fmt.ratio(r.ratio) },
      { header: 'budget', value: (r) => (r.ratio === undefined ? '-' : `>= ${RATIO_BUDGET}x REST`), align: 'left' },
      { header: 'result', value: (r) => r.verdict, align: 'left' },
    ],
  );
  log(`results written to ${writeResults('graphql', { options, loadBefore, rows })}`);
});
