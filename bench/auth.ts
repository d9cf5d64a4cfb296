/**
 * Auth benchmark: how fast is an authenticated request (GET /api/auth/me), and
 * how much do concurrent sign-ins (bcrypt at the production cost, 12) hurt it?
 *
 *   npm run bench:auth [-- --duration 10 --connections 50 --login-concurrency 4]
 */
import { BENCH_PASSWORD, apiRequest, registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { runLoad, runLoop, type LoadResult, type LoopResult } from './lib/load.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { startApiServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

const BCRYPT_COST = 12;

interface Row {
  scenario: string;
  me: LoadResult;
  logins?: LoopResult & { p50Ms: number; p99Ms: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Signs in continuously with `concurrency` parallel requests until `signal` aborts. */
async function loginLoop(url: string, email: string, concurrency: number, maxSeconds: number, signal: AbortSignal) {
  const latencies: number[] = [];
  const loop = await runLoop({
    concurrency,
    maxSeconds,
    maxCount: 100_000,
    signal,
    task: async () => {
      const started = performance.now();
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: BENCH_PASSWORD }),
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      if (response.status !== 200) return false;
      latencies.push(performance.now() - started);
      return true;
    },
  });
  latencies.sort((a, b) => a - b);
  return { ...loop, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

function printResults(rows: Row[], options: { connections: number; loginConcurrency: number }) {
  printTable(
    `GET /api/auth/me, ${options.connections} connections (BCRYPT_COST=${BCRYPT_COST}; logins: ${options.loginConcurrency} in parallel)`,
    rows,
    [
      { header: 'scenario', value: (r) => r.scenario, align: 'left' },
      { header: '/me req/s', value: (r) => fmt.int(r.me.requestsPerSecond) },
      { header: '/me p50', value: (r) => fmt.ms(r.me.p50Ms) },
      { header: '/me p99', value: (r) => fmt.ms(r.me.p99Ms) },
      { header: 'non-2xx/errors', value: (r) => `${r.me.non2xx}/${r.me.errors}` },
      { header: 'logins/s', value: (r) => (r.logins ? fmt.perSecond(r.logins.perSecond) : '-') },
      { header: 'login p50', value: (r) => (r.logins ? fmt.ms(r.logins.p50Ms) : '-') },
      { header: 'login p99', value: (r) => (r.logins ? fmt.ms(r.logins.p99Ms) : '-') },
      { header: 'failed logins', value: (r) => (r.logins ? String(r.logins.failed) : '-') },
    ],
  );
}

runBench('bench:auth', 10, async (onCleanup) => {
  const options = flags({
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'login-concurrency': { type: 'string', default: '4' },
    'cpu-prof': { type: 'boolean', default: false },
  });
  const durationSeconds = positiveNumber(options.duration, 'duration');
  const connections = positiveNumber(options.connections, 'connections');
  const loginConcurrency = positiveNumber(options['login-concurrency'], 'login-concurrency');

  const loadBefore = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  log(`database ${database.name} created`);
  const server = await startApiServer({ databaseUrl: database.url, bcryptCost: BCRYPT_COST, cpuProfile: options['cpu-prof'] });
  onCleanup(() => server.stop());
  log(`core-api listening on ${server.url} (pid ${server.pid})`);

  const session = await registerWorkspace(server.url, 'auth');
  const me = await apiRequest<{ user: { email: string } }>(server.url, 'GET', '/api/auth/me', { token: session.accessToken });
  const authHeaders = { authorization: `Bearer ${session.accessToken}` };
  const meLoad = (name: string, seconds: number) =>
    runLoad({ name, url: `${server.url}/api/auth/me`, headers: authHeaders, connections, durationSeconds: seconds });

  log('warming up (2 s)…');
  await meLoad('warm-up', 2);

  log(`(a) GET /api/auth/me alone, ${durationSeconds} s…`);
  const alone = await meLoad('me', durationSeconds);

  log(`(b) GET /api/auth/me while signing in ${loginConcurrency} at a time, ${durationSeconds} s…`);
  const stopLogins = new AbortController();
  const logins = loginLoop(server.url, me.user.email, loginConcurrency, durationSeconds + 5, stopLogins.signal);
  const during = await meLoad('me during logins', durationSeconds);
  stopLogins.abort();

  const rows: Row[] = [
    { scenario: '(a) /me alone', me: alone },
    { scenario: '(b) /me during logins', me: during, logins: await logins },
  ];
  printResults(rows, { connections, loginConcurrency });
  const file = writeResults('auth', { loadBefore, bcryptCost: BCRYPT_COST, connections, loginConcurrency, durationSeconds, rows });
  log(`results written to ${file}`);
});
