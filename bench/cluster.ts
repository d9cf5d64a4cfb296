/**
 * What a second API process gives on this machine (`taskbase cluster --api 2`
 * starts the same two processes): list, get and create with the load on one
 * process, then split evenly over two, on one PostgreSQL database. It prints
 * the gain; it has no budget (the answer depends on the cores the database
 * and the load generator leave free).
 *
 *   npm run bench:cluster [-- --tasks 20000 --duration 10 --connections 50]
 */
import { registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad, type LoadOptions, type LoadResult } from './lib/load.js';
import { pick, seededRandom } from './lib/random.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { PRIORITIES, inviteUsers, seedTasks } from './lib/seed.js';
import { startApiServer, type ChildServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

type Route = 'list' | 'get' | 'create';

interface Row {
  route: Route;
  one: LoadResult;
  two: { requestsPerSecond: number; p99Ms: number; failed: number };
}

runBench('bench:cluster', 20, async (onCleanup) => {
  const options = flags({
    tasks: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
  });
  const durationSeconds = positiveNumber(options.duration, 'duration');
  const connections = positiveNumber(options.connections, 'connections');
  const loadBefore = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  // Each process sends its own webhooks in production too; nothing subscribes here.
  const servers: ChildServer[] = [];
  for (let i = 0; i < 2; i++) {
    const server = await startApiServer({ databaseUrl: database.url, bcryptCost: 4 });
    onCleanup(() => server.stop());
    servers.push(server);
  }
  const session = await registerWorkspace(servers[0]!.url, 'cluster');
  const userIds = await inviteUsers(servers[0]!.url, session, 10);
  const taskIds = await seedTasks(database.url, { workspaceId: session.workspace.id, userIds, tasks: positiveNumber(options.tasks, 'tasks'), comments: 0 });
  const random = seededRandom(5);
  const headers = { authorization: `Bearer ${session.accessToken}` };
  const loadFor = (route: Route, base: string): Omit<LoadOptions, 'durationSeconds'> => {
    if (route === 'list') return { name: route, url: `${base}/api/tasks?status=todo&limit=50`, headers };
    if (route === 'get') return { name: route, url: `${base}/api/tasks/1`, headers, vary: () => ({ path: `/api/tasks/${pick(random, taskIds)}` }) };
    return {
      name: route,
      url: `${base}/api/tasks`,
      method: 'POST',
      headers,
      vary: () => ({ body: { title: 'cluster bench', status: 'todo', priority: pick(random, PRIORITIES), assignedTo: pick(random, userIds) } }),
    };
  };

  const rows: Row[] = [];
  for (const route of ['list', 'get', 'create'] as const) {
    await runLoad({ ...loadFor(route, servers[0]!.url), connections, durationSeconds: 2 });
    const one = await runLoad({ ...loadFor(route, servers[0]!.url), connections, durationSeconds });
    const halves = await Promise.all(servers.map((server) => runLoad({ ...loadFor(route, server.url), connections: Math.ceil(connections / 2), durationSeconds })));
    const two = {
      requestsPerSecond: halves.reduce((sum, half) => sum + half.requestsPerSecond, 0),
      p99Ms: Math.max(...halves.map((half) => half.p99Ms)),
      failed: halves.reduce((sum, half) => sum + half.non2xx + half.errors, 0),
    };
    log(`  ${route}: one process ${fmt.int(one.requestsPerSecond)} req/s, two ${fmt.int(two.requestsPerSecond)} req/s`);
    rows.push({ route, one, two });
  }
  printTable(`One API process against two, ${connections} connections in all, ${durationSeconds} s per run`, rows, [
    { header: 'route', value: (row) => row.route, align: 'left' },
    { header: 'one: req/s', value: (row) => fmt.int(row.one.requestsPerSecond) },
    { header: 'p99', value: (row) => fmt.ms(row.one.p99Ms) },
    { header: 'two: req/s', value: (row) => fmt.int(row.two.requestsPerSecond) },
    { header: 'p99 (slower)', value: (row) => fmt.ms(row.two.p99Ms) },
    { header: 'failed', value: (row) => String(row.one.non2xx + row.one.errors + row.two.failed) },
    { header: 'two / one', value: (row) => fmt.ratio(row.two.requestsPerSecond / row.one.requestsPerSecond) },
  ]);
  log(`results: ${writeResults('cluster', { options, loadBefore, rows })}`);
});
