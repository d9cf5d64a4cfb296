/**
 * Profiles one route of the tasks API: seeds a workspace, starts the API
 * with --cpu-prof, drives the route alone, then prints where the API
 * process spent its CPU (self time by function, and by area). It explains
 * a bench:tasks figure; it has no budget of its own.
 *
 *   npm run bench:profile -- --route list|get|create|update [--tasks 20000 --duration 10 --connections 50]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad } from './lib/load.js';
import { ensureResultsDir } from './lib/paths.js';
import { pick, seededRandom } from './lib/random.js';
import { flags, log, machineLoad, positiveNumber, runBench } from './lib/run.js';
import { PRIORITIES, inviteUsers, seedTasks } from './lib/seed.js';
import { startApiServer } from './lib/server.js';
import { fmt } from './lib/table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, in a few words: our code, a dependency, or Node itself. */
function areaOf(url: string): string {
  if (!url) return 'native / V8';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const ours = /core-api\/dist\/([^/]+)/.exec(url);
  if (ours) return `core-api ${ours[1]!.replace(/\.js$/, '')}`;
  return url.startsWith('node:') ? 'node' : url;
}

function summarize(profile: CpuProfile, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
    busy += delta;
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*core-api\/dist\//, 'core-api/')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    const area = areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + time);
  }
  const share = (time: number) => `${((time / busy) * 100).toFixed(1).padStart(5)} %`;
  log(`\nbusy CPU ${fmt.int(busy / 1000)} ms; by area:`);
  for (const [area, time] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`  ${share(time)}  ${area}`);
  log(`\nby function (self time):`);
  for (const [name, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) log(`  ${share(time)}  ${name}`);
}

runBench('bench:profile', 20, async (onCleanup) => {
  const options = flags({
    route: { type: 'string', default: 'list' },
    tasks: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    top: { type: 'string', default: '30' },
    'keep-database': { type: 'boolean', default: false },
  });
  const route = options.route as string;
  if (!['list', 'get', 'create', 'update'].includes(route)) throw new Error(`--route must be list, get, create or update, got "${route}"`);
  machineLoad();
  const database = await createBenchDatabase();
  if (options['keep-database']) log(`database kept: ${database.url}`);
  else onCleanup(() => database.drop());
  const api = await startApiServer({ databaseUrl: database.url, cpuProfile: true, bcryptCost: 4 });
  let stopped = false;
  onCleanup(async () => {
    if (!stopped) await api.stop();
  });
  const session = await registerWorkspace(api.url, 'profile');
  const userIds = await inviteUsers(api.url, session, 5);
  const taskIds = await seedTasks(database.url, { workspaceId: session.workspace.id, userIds, tasks: positiveNumber(options.tasks, 'tasks'), comments: 0 });
  const random = seededRandom(11);
  const auth = { authorization: `Bearer ${session.accessToken}` };
  const load = {
    list: { url: `${api.url}/api/tasks?status=todo&limit=50` },
    get: { url: `${api.url}/api/tasks/1`, vary: () => ({ path: `/api/tasks/${pick(random, taskIds)}` }) },
    create: {
      url: `${api.url}/api/tasks`,
      method: 'POST' as const,
      vary: () => ({ body: { title: 'profiled', status: 'todo', priority: pick(random, PRIORITIES), assignedTo: pick(random, userIds) } }),
    },
    update: {
      url: `${api.url}/api/tasks/1`,
      method: 'PATCH' as const,
      vary: () => ({ path: `/api/tasks/${pick(random, taskIds)}`, body: { priority: pick(random, PRIORITIES) } }),
    },
  }[route]!;
  const connections = positiveNumber(options.connections, 'connections');
  await runLoad({ ...load, headers: auth, name: route, connections, durationSeconds: 2 });
  const result = await runLoad({ ...load, headers: auth, name: route, connections, durationSeconds: positiveNumber(options.duration, 'duration') });
  log(`${route}: ${fmt.int(result.requestsPerSecond)} req/s, p50 ${fmt.ms(result.p50Ms)}, p99 ${fmt.ms(result.p99Ms)}, ${result.non2xx + result.errors} failed`);
  const startedAt = Date.now();
  await api.stop();
  stopped = true;
  const dir = ensureResultsDir();
  const newest = readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile') && statSync(join(dir, file)).mtimeMs >= startedAt - 1000)
    .sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0];
  if (!newest) throw new Error(`no CPU profile was written to ${dir}`);
  log(`profile: ${join(dir, newest)} (open it in Chrome DevTools for the call tree)`);
  summarize(JSON.parse(readFileSync(join(dir, newest), 'utf8')) as CpuProfile, positiveNumber(options.top, 'top'));
});
