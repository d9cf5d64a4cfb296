/**
 * Soak test: a fixed-rate mixed workload against two API processes, with
 * realtime subscribers and webhook endpoints attached, for minutes. Prints
 * throughput, p50/p99 per route, errors, realtime and webhook lag, memory
 * per process, and draws latency, lag and memory over time as an SVG.
 *
 *   npm run bench:soak -w @taskbase/bench -- [--rate 100] [--duration 300] [--subscribers 500] [--endpoints 5]
 *
 * Mix: 70 % reads (task lists with filters 25, get 30, comments 15), 20 %
 * PATCH with If-Match, 10 % creates (tasks 5, comments 5), alternating
 * between the two API processes. Webhooks are sent by a separate `worker`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_PASSWORD, apiRequest, registerWorkspace, type Session } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { Histogram, LagMatcher, eventKey, type HistogramJson } from './lib/histogram.js';
import { connectInspector, type HeapInspector } from './lib/inspector.js';
import { runOpenLoop } from './lib/load.js';
import { rss, scrapeMetrics } from './lib/memory.js';
import { pick, seededRandom, words } from './lib/random.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { PRIORITIES, STATUSES, inviteMembers, seedTasks } from './lib/seed.js';
import { HOST, freePort, startApiServer, startApiWorker } from './lib/server.js';
import { renderChart } from './lib/svg-chart.js';
import { fmt, printTable } from './lib/table.js';
import { startWebhookReceiver } from './lib/webhook-receiver.js';

const WINDOW_MS = 5000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Unanswered requests past which new ones are not sent (and count as errors): the server has fallen over by then. */
const MAX_IN_FLIGHT = 2000;
/** After the load, how long realtime and webhooks may take to catch up. */
const DRAIN_SECONDS = 60;
/** One delivery per write: each write produces exactly one of these (plus, sometimes, status_changed/assigned). */
const WEBHOOK_TYPES = ['task.created', 'task.updated', 'comment.created'];
const SUBSCRIBERS_SCRIPT = fileURLToPath(new URL('./lib/soak-subscribers.ts', import.meta.url));
const MB = 1024 * 1024;

type RouteName = 'list' | 'get' | 'comments' | 'update' | 'create task' | 'create comment';
const MIX: { route: RouteName; label: string; share: number; write: boolean }[] = [
  { route: 'list', label: 'GET /api/tasks?<filters>', share: 0.25, write: false },
  { route: 'get', label: 'GET /api/tasks/:id', share: 0.3, write: false },
  { route: 'comments', label: 'GET /api/tasks/:id/comments', share: 0.15, write: false },
  { route: 'update', label: 'PATCH /api/tasks/:id (If-Match)', share: 0.2, write: true },
  { route: 'create task', label: 'POST /api/tasks', share: 0.05, write: true },
  { route: 'create comment', label: 'POST /api/tasks/:id/comments', share: 0.05, write: true },
];

interface TaskState {
  id: number;
  version: number;
  createdBy: number;
  /** False once a PATCH ended without a definite answer: its version is unknown, so it is not patched again. */
  patchable: boolean;
}

interface Planned {
  route: RouteName;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Called with the status (0 for a network error or timeout) and the body once the request ends. */
  settle?: (status: number, text: string, at: number) => void;
}

class RouteStats {
  readonly latency = new Histogram();
  ok = 0;
  non2xx = 0;
  networkErrors = 0;
}

interface SubscriberSample {
  p50: number | null;
  p99: number | null;
  count: number;
  minReceived: number;
  closed: number;
}

interface SubscriberFinal {
  lag: HistogramJson;
  early: number;
  unmatched: number;
  received: number[];
  outOfOrder: number;
  closed: number;
  closeCodes: Record<string, number>;
}

/** A promise with a deadline; resolves `undefined` when it passes. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const orNaN = (value: number | null | undefined) => (value === null || value === undefined ? Number.NaN : value);

/** The subscribers process (lib/soak-subscribers.ts) and its line protocol. */
function startSubscribers(config: { urls: string[]; tokens: string[]; clients: number }) {
  const child = spawn(process.execPath, ['--import', 'tsx', SUBSCRIBERS_SCRIPT, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  // Writes after the child is gone fail with EPIPE; its exit is what gets reported.
  child.stdin!.on('error', () => {});
  let exited = false;
  let onReady: () => void = () => {};
  let onExit: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onExit = reject;
  });
  const samples = new Map<number, (sample: SubscriberSample) => void>();
  let onFinal: (final: SubscriberFinal) => void = () => {};
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.ready !== undefined) onReady();
    else if (message.sample !== undefined) samples.get(message.sample)?.(message as SubscriberSample);
    else if (message.final !== undefined) onFinal(message.final as SubscriberFinal);
  });
  child.once('exit', (code) => {
    exited = true;
    onExit(new Error(`the subscribers process exited with code ${code}`));
  });
  const write = (message: object) => void child.stdin!.write(`${JSON.stringify(message)}\n`);
  // Answer times go over in small batches: one line per write would be thousands of tiny pipe writes.
  let answered: [string, number][] = [];
  const flush = () => {
    if (answered.length === 0) return;
    write({ op: 'answered', items: answered });
    answered = [];
  };
  const flusher = setInterval(flush, 50);
  let nextSample = 0;
  return {
    ready,
    get exited() {
      return exited;
    },
    answered: (key: string, at: number) => void answered.push([key, at]),
    baseline: (id: number) => write({ op: 'baseline', id }),
    sample(): Promise<SubscriberSample | undefined> {
      flush();
      const n = nextSample++;
      const reply = new Promise<SubscriberSample>((resolve) => samples.set(n, resolve));
      write({ op: 'sample', n });
      return within(reply, 5000).finally(() => samples.delete(n));
    },
    finish(): Promise<SubscriberFinal | undefined> {
      flush();
      const reply = new Promise<SubscriberFinal>((resolve) => (onFinal = resolve));
      write({ op: 'finish' });
      return within(reply, 30_000);
    },
    stop() {
      clearInterval(flusher);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/**
 * Start, end and max of a process's RSS, and how much it still climbed in
 * the second half of the load: a process that has found its working size is
 * flat there, a leak keeps going. The slope (least squares over that half)
 * is for reading.
 */
function memoryTrend(points: [number, number][]) {
  const valid = points.filter(([, mb]) => Number.isFinite(mb));
  const start = valid[0]?.[1] ?? Number.NaN;
  const end = valid.at(-1)?.[1] ?? Number.NaN;
  const max = Math.max(...valid.map(([, mb]) => mb));
  const lastT = valid.at(-1)?.[0] ?? 0;
  const half = valid.filter(([t]) => t >= lastT / 2);
  const secondHalfGrowth = half.length > 0 ? end - half[0]![1] : Number.NaN;
  let slope = Number.NaN;
  if (half.length >= 3) {
    const mx = half.reduce((sum, [t]) => sum + t, 0) / half.length;
    const my = half.reduce((sum, [, mb]) => sum + mb, 0) / half.length;
    const sxy = half.reduce((sum, [t, mb]) => sum + (t - mx) * (mb - my), 0);
    const sxx = half.reduce((sum, [t]) => sum + (t - mx) ** 2, 0);
    slope = sxx === 0 ? 0 : (sxy / sxx) * 60; // MB per minute
  }
  return { startMb: start, endMb: end, maxMb: max, secondHalfGrowthMb: secondHalfGrowth, slopeMbPerMin: slope };
}

/** Counts and keeps a few examples of the warnings and errors a process logs (pino JSON lines). */
function logWatcher() {
  const counts = { warn: 0, error: 0 };
  const examples: string[] = [];
  return {
    counts,
    examples,
    line(text: string) {
      if (!text.startsWith('{')) return;
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(text);
      } catch {
        return;
      }
      if ((entry.level ?? 0) < 40) return;
      if (entry.level! >= 50) counts.error += 1;
      else counts.warn += 1;
      const detail = `${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`.replace(/\s+/g, ' ');
      if (examples.length < 5) examples.push(`${entry.level! >= 50 ? 'error' : 'warn'}: ${detail}`);
    },
  };
}

const options = flags({
  rate: { type: 'string', default: '100' },
  duration: { type: 'string', default: '300' },
  subscribers: { type: 'string', default: '500' },
  endpoints: { type: 'string', default: '5' },
  tasks: { type: 'string', default: '5000' },
  comments: { type: 'string', default: '15000' },
  users: { type: 'string', default: '10' },
});
const rate = positiveNumber(options.rate, 'rate');
const durationSeconds = positiveNumber(options.duration, 'duration');
const subscriberCount = Math.floor(positiveNumber(options.subscribers, 'subscribers'));
const endpointCount = Math.floor(positiveNumber(options.endpoints, 'endpoints'));
const taskCount = Math.floor(positiveNumber(options.tasks, 'tasks'));
const commentCount = Math.floor(positiveNumber(options.comments, 'comments'));
const userCount = Math.floor(positiveNumber(options.users, 'users'));
if (endpointCount > 20) throw new Error('--endpoints: a workspace has at most 20 webhook endpoints');

// The run, plus set-up, drain and a margin.
runBench('soak', Math.ceil(durationSeconds / 60) + 15, async (onCleanup) => {
  const load = machineLoad();

  // --- Processes: two APIs without a webhook worker, and one worker, on one fresh database.
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  log(`database ${database.name}`);
  const sharedEnv = {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Reminders would add writes the load did not ask for.
    DUE_REMINDERS_INTERVAL: '0',
    // Sockets are closed when their token expires: outlive the run.
    ACCESS_TOKEN_TTL: String(Math.min(86_400, Math.max(3600, Math.ceil(durationSeconds) + 1800))),
  };
  const logs = { 'api-1': logWatcher(), 'api-2': logWatcher(), worker: logWatcher() };
  // Each process opens the inspector on 127.0.0.1 so its V8 heap can be read (see lib/inspector.ts).
  const inspectPorts = [await freePort(), await freePort(), await freePort()];
  const inspect = (i: number) => [`--inspect=${HOST}:${inspectPorts[i]}`];
  // The first API migrates the database alone; then the second and the worker find it ready.
  const apiOptions = { databaseUrl: database.url, bcryptCost: 4, env: { ...sharedEnv, WEBHOOK_WORKER: 'false' } };
  const api1 = await startApiServer({ ...apiOptions, nodeFlags: inspect(0), onOutput: logs['api-1'].line });
  onCleanup(() => api1.stop());
  const [api2, worker] = await Promise.all([
    startApiServer({ ...apiOptions, nodeFlags: inspect(1), onOutput: logs['api-2'].line }),
    startApiWorker({ databaseUrl: database.url, bcryptCost: 4, env: sharedEnv, nodeFlags: inspect(2), onOutput: logs.worker.line }),
  ]);
  onCleanup(() => api2.stop());
  onCleanup(() => worker.stop());
  const apis = [api1, api2];
  const inspectors: HeapInspector[] = await Promise.all(inspectPorts.map((port) => connectInspector(port)));
  // Registered after the processes, so closed before they are stopped: an attached debugger can hold up an exit.
  onCleanup(async () => inspectors.forEach((inspector) => inspector.close()));
  const processes = [
    { name: 'api-1', pid: api1.pid!, inspector: inspectors[0]! },
    { name: 'api-2', pid: api2.pid!, inspector: inspectors[1]! },
    { name: 'worker', pid: worker.pid!, inspector: inspectors[2]! },
  ];
  const liveHeaps = () => Promise.all(processes.map((p) => p.inspector.liveHeapMb().catch(() => Number.NaN)));
  log(`api-1 ${api1.url} (pid ${api1.pid}), api-2 ${api2.url} (pid ${api2.pid}), worker pid ${worker.pid}`);

  // --- Data: a workspace, members signed in (each request runs as some user), seeded tasks and comments.
  const admin = await registerWorkspace(api1.url, 'soak');
  const members = await inviteMembers(api1.url, admin, userCount);
  const tokens = new Map<number, string>([[admin.user.id, admin.accessToken]]);
  for (const member of members) {
    const session = await apiRequest<Session>(api1.url, 'POST', '/api/auth/login', { body: { email: member.email, password: BENCH_PASSWORD }, expect: 200 });
    tokens.set(member.id, session.accessToken);
  }
  const userIds = [...tokens.keys()];
  await seedTasks(database.url, { workspaceId: admin.workspace.id, userIds, tasks: taskCount, comments: commentCount });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  onCleanup(() => client.end());
  const seeded = await client.query<{ id: string; version: number; created_by: string }>(
    'select id, version, created_by from tasks where workspace_id = $1',
    [admin.workspace.id],
  );
  const tasks: TaskState[] = seeded.rows.map((row) => ({ id: Number(row.id), version: row.version, createdBy: Number(row.created_by), patchable: true }));

  // --- Webhook endpoints: local receivers; lag is measured from the write's 2xx.
  const webhookLag = new LagMatcher();
  const delivered: number[] = new Array(endpointCount).fill(0);
  const deliveryIds = new Set<string>();
  let duplicateDeliveries = 0;
  for (let i = 0; i < endpointCount; i += 1) {
    const receiver = await startWebhookReceiver((body, at, headers) => {
      // Delivery is at least once: a repeated webhook-id is a retry, not a new event.
      const id = `${i}:${String(headers['webhook-id'])}`;
      if (deliveryIds.has(id)) return void (duplicateDeliveries += 1);
      deliveryIds.add(id);
      delivered[i]! += 1;
      const event = JSON.parse(body) as { type: string; data: unknown };
      const key = eventKey(event.type, event.data);
      if (key !== undefined) webhookLag.received(key, at);
    }, Date.now);
    onCleanup(() => receiver.close());
    await apiRequest(api1.url, 'POST', '/api/webhooks', { token: admin.accessToken, body: { url: receiver.url, eventTypes: WEBHOOK_TYPES } });
  }

  // --- Realtime subscribers, half on each API process.
  log(`connecting ${subscriberCount} realtime subscribers`);
  const subscribers = startSubscribers({ urls: apis.map((api) => `${api.url.replace('http', 'ws')}/ws`), tokens: [...tokens.values()], clients: subscriberCount });
  onCleanup(async () => subscribers.stop());
  if (!(await within(subscribers.ready.then(() => true), 120_000))) throw new Error('the subscribers did not connect within 120 s');
  const baseline = Number((await client.query<{ id: string }>('select coalesce(max(id), 0) as id from events')).rows[0]!.id);
  subscribers.baseline(baseline);
  await subscribers.sample(); // a round trip: the baseline is in place before the first write

  const answered = (key: string | undefined, at: number) => {
    if (key === undefined) return;
    webhookLag.answered(key, at);
    subscribers.answered(key, at);
  };

  // --- The request mix.
  const random = seededRandom(7);
  const patching = new Set<number>();
  let serial = 0;
  let updateFallbacks = 0;
  const tokenOf = (userId: number) => tokens.get(userId)!;
  const listPaths = [
    () => '/api/tasks?status=todo&limit=50',
    () => '/api/tasks?status=in_progress,in_review&sort=-updatedAt&limit=20',
    () => '/api/tasks?assignee=me&limit=50',
    () => '/api/tasks?priority=high,urgent&sort=dueDate&limit=50',
    () => `/api/tasks?q=${words(random, 1)}&limit=20`,
  ];

  function plan(): Planned {
    let roll = random();
    const entry = MIX.find((item) => (roll -= item.share) < 0) ?? MIX[0]!;
    const user = pick(random, userIds);
    const task = pick(random, tasks);
    switch (entry.route) {
      case 'list':
        return { route: 'list', method: 'GET', path: pick(random, listPaths)(), token: tokenOf(user) };
      case 'get':
        return { route: 'get', method: 'GET', path: `/api/tasks/${task.id}`, token: tokenOf(user) };
      case 'comments':
        return { route: 'comments', method: 'GET', path: `/api/tasks/${task.id}/comments?limit=20`, token: tokenOf(user) };
      case 'update': {
        // One PATCH per task at a time, so If-Match always carries the current version and a 412 means a real conflict.
        let target: TaskState | undefined;
        for (let tries = 0; tries < 20 && !target; tries += 1) {
          const candidate = pick(random, tasks);
          if (candidate.patchable && !patching.has(candidate.id)) target = candidate;
        }
        if (!target) {
          updateFallbacks += 1;
          return { route: 'get', method: 'GET', path: `/api/tasks/${task.id}`, token: tokenOf(user) };
        }
        const chosen = target;
        patching.add(chosen.id);
        serial += 1;
        // Always a new description, so every PATCH changes something and produces its event.
        const body: Record<string, unknown> = { description: `soak update ${serial}: ${words(random, 12)}` };
        if (random() < 0.3) body.priority = pick(random, PRIORITIES);
        if (random() < 0.15) body.status = pick(random, STATUSES);
        if (random() < 0.1) body.assignedTo = pick(random, userIds);
        return {
          route: 'update',
          method: 'PATCH',
          path: `/api/tasks/${chosen.id}`,
          // Members may change the tasks they created: act as the creator.
          token: tokenOf(chosen.createdBy),
          headers: { 'if-match': `"v${chosen.version}"` },
          body,
          settle(status, text, at) {
            patching.delete(chosen.id);
            if (status === 200) {
              const updated = JSON.parse(text) as { version: number };
              chosen.version = updated.version;
              answered(eventKey('task.updated', { task: updated }), at);
            } else if (status === 412) {
              chosen.version = (JSON.parse(text) as { currentVersion: number }).currentVersion;
            } else {
              chosen.patchable = false;
            }
          },
        };
      }
      case 'create task':
        serial += 1;
        return {
          route: 'create task',
          method: 'POST',
          path: '/api/tasks',
          token: tokenOf(user),
          body: {
            title: `Soak ${serial} ${words(random, 3)}`,
            description: words(random, 20),
            priority: pick(random, PRIORITIES),
            ...(random() < 0.5 ? { assignedTo: pick(random, userIds) } : {}),
          },
          settle(status, text, at) {
            if (status !== 201) return;
            const created = JSON.parse(text) as { id: number; version: number };
            tasks.push({ id: created.id, version: created.version, createdBy: user, patchable: true });
            answered(eventKey('task.created', { task: created }), at);
          },
        };
      case 'create comment':
        return {
          route: 'create comment',
          method: 'POST',
          path: `/api/tasks/${task.id}/comments`,
          token: tokenOf(user),
          body: { comment: words(random, 15) },
          settle(status, text, at) {
            if (status === 201) answered(eventKey('comment.created', { comment: JSON.parse(text) }), at);
          },
        };
    }
  }

  // --- Measuring.
  const routes = new Map(MIX.map((item) => [item.route, new RouteStats()]));
  const failures = new Map<string, number>();
  const failureExamples: string[] = [];
  let windowAll = new Histogram();
  let windowWrites = new Histogram();
  let windowAnswered = 0;
  let windowFailed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let notSent = 0;

  const fail = (route: RouteName, what: string, detail: string) => {
    failures.set(`${route}: ${what}`, (failures.get(`${route}: ${what}`) ?? 0) + 1);
    if (failureExamples.length < 10) failureExamples.push(`${route} ${what} ${detail.slice(0, 200)}`);
    windowFailed += 1;
  };

  async function send(planned: Planned, baseUrl: string, dueAt: number): Promise<void> {
    const stats = routes.get(planned.route)!;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let status = 0;
    let text = '';
    try {
      const response = await fetch(baseUrl + planned.path, {
        method: planned.method,
        headers: {
          authorization: `Bearer ${planned.token}`,
          ...(planned.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...planned.headers,
        },
        body: planned.body === undefined ? undefined : JSON.stringify(planned.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
      status = response.status;
      // From the slot the request was due in, not from when it got sent: the generator's own delay counts too.
      const latency = performance.now() - dueAt;
      if (response.ok) {
        stats.ok += 1;
        stats.latency.record(latency);
        windowAll.record(latency);
        if (planned.method !== 'GET') windowWrites.record(latency);
        windowAnswered += 1;
      } else {
        stats.non2xx += 1;
        fail(planned.route, String(status), text);
      }
    } catch (error) {
      stats.networkErrors += 1;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      fail(planned.route, cause, (error as Error).message);
    } finally {
      inFlight -= 1;
    }
    try {
      planned.settle?.(status, text, Date.now());
    } catch (error) {
      fail(planned.route, 'bad answer', (error as Error).message);
    }
  }

  interface Window {
    t: number;
    answered: number;
    failed: number;
    p50: number;
    p99: number;
    writesP99: number;
    realtimeP50: number;
    realtimeP99: number;
    webhookP50: number;
    webhookP99: number;
    inFlight: number;
    rssMb: Record<string, number>;
    heapUsedMb: Record<string, number>;
    metrics: Record<string, Record<string, number>>;
  }
  const windows: Window[] = [];
  let loadStarted = 0;

  async function sampleWindow(print = false): Promise<void> {
    const t = loadStarted === 0 ? 0 : (performance.now() - loadStarted) / 1000;
    const all = windowAll;
    const writes = windowWrites;
    const counts = { answered: windowAnswered, failed: windowFailed };
    windowAll = new Histogram();
    windowWrites = new Histogram();
    windowAnswered = 0;
    windowFailed = 0;
    const webhooks = webhookLag.takeWindow();
    const rssMb = Object.fromEntries(processes.map((p) => [p.name, rss(p.pid) / MB]));
    const [realtime, heaps, ...metrics] = await Promise.all([
      subscribers.sample(),
      Promise.all(processes.map((p) => p.inspector.heapUsedMb().catch(() => Number.NaN))),
      ...apis.map((api) => scrapeMetrics(`${api.url}/metrics`).catch(() => ({}) as Record<string, number>)),
    ]);
    windows.push({
      t: Number(t.toFixed(1)),
      ...counts,
      p50: all.percentile(50),
      p99: all.percentile(99),
      writesP99: writes.percentile(99),
      realtimeP50: orNaN(realtime?.p50),
      realtimeP99: orNaN(realtime?.p99),
      webhookP50: webhooks.percentile(50),
      webhookP99: webhooks.percentile(99),
      inFlight,
      rssMb,
      heapUsedMb: Object.fromEntries(processes.map((p, i) => [p.name, heaps[i]!])),
      metrics: { 'api-1': metrics[0]!, 'api-2': metrics[1]! },
    });
    if (!print) return;
    const w = windows.at(-1)!;
    process.stdout.write(
      `  ${String(Math.round(w.t)).padStart(4)} s  ${fmt.perSecond(w.answered / (WINDOW_MS / 1000))} req/s  p50 ${fmt.ms(w.p50)}  p99 ${fmt.ms(w.p99)}` +
        `  failed ${w.failed}  in flight ${w.inFlight}  realtime p99 ${fmt.ms(w.realtimeP99)}  webhook p99 ${fmt.ms(w.webhookP99)}` +
        `  RSS ${processes.map((p) => Math.round(w.rssMb[p.name]!)).join(' / ')} MB\n`,
    );
  }

  // --- The run.
  const liveHeapStart = await liveHeaps(); // after a full GC, sockets connected, before any load
  await sampleWindow(); // memory at the start
  log(
    `load: ${rate} req/s for ${durationSeconds} s over 2 API processes, ${subscriberCount} subscribers, ${endpointCount} webhook endpoints ` +
      `(${fmt.int(tasks.length)} tasks, ${userIds.length} users)`,
  );
  loadStarted = performance.now();
  log(`every ${WINDOW_MS / 1000} s: answered/s, latency, failures, requests in flight, push lag, RSS ${processes.map((p) => p.name).join(' / ')}`);
  const sampler = setInterval(() => void sampleWindow(true), WINDOW_MS);
  onCleanup(async () => clearInterval(sampler));
  const openLoop = await runOpenLoop({
    rate,
    durationSeconds,
    fire(index, dueAt) {
      if (inFlight >= MAX_IN_FLIGHT) {
        notSent += 1;
        windowFailed += 1;
        return;
      }
      void send(plan(), apis[index % apis.length]!.url, dueAt);
    },
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  clearInterval(sampler);
  const settleDeadline = performance.now() + REQUEST_TIMEOUT_MS + 1000;
  while (inFlight > 0 && performance.now() < settleDeadline) await sleep(20);
  await sampleWindow(true); // memory and latency at the end of the load

  // --- Drain: every subscriber should get every task/comment event, every endpoint every subscribed event.
  const countEvents = async (typeFilter: string, values: unknown[]) =>
    Number(
      (await client.query<{ n: string }>(`select count(*) as n from events where workspace_id = $1 and id > $2 and user_id is null and ${typeFilter}`, [
        admin.workspace.id,
        baseline,
        ...values,
      ])).rows[0]!.n,
    );
  const realtimeExpected = await countEvents(`(type like 'task.%' or type like 'comment.%')`, []);
  const webhookExpectedPerEndpoint = await countEvents('type = any($3)', [WEBHOOK_TYPES]);
  const webhookExpected = webhookExpectedPerEndpoint * endpointCount;
  log(`draining: waiting up to ${DRAIN_SECONDS} s for ${fmt.int(realtimeExpected)} events per subscriber and ${fmt.int(webhookExpected)} webhook deliveries`);
  const drainStarted = performance.now();
  let minReceived = 0;
  while (performance.now() - drainStarted < DRAIN_SECONDS * 1000) {
    minReceived = (await subscribers.sample())?.minReceived ?? minReceived;
    const webhooksDone = delivered.every((count) => count >= webhookExpectedPerEndpoint);
    if (minReceived >= realtimeExpected && webhooksDone) break;
    if (subscribers.exited) break;
    await sleep(500);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const liveHeapEnd = await liveHeaps(); // after a full GC, sockets still connected
  const metricsEnd = await Promise.all(apis.map((api) => scrapeMetrics(`${api.url}/metrics`).catch(() => ({}) as Record<string, number>)));
  const final = await subscribers.finish();
  if (!final) throw new Error('the subscribers process did not report its results');
  const deliveryRows = await client.query<{ status: string; n: string; attempts: string }>(
    `select status, count(*) as n, sum(attempt_count) as attempts from webhook_deliveries where workspace_id = $1 group by status order by status`,
    [admin.workspace.id],
  );

  // --- Figures.
  const answeredTotal = [...routes.values()].reduce((sum, r) => sum + r.ok, 0);
  const non2xx = [...routes.values()].reduce((sum, r) => sum + r.non2xx, 0);
  const networkErrors = [...routes.values()].reduce((sum, r) => sum + r.networkErrors, 0);
  const errors = non2xx + networkErrors + notSent;
  const throughput = {
    targetPerSecond: rate,
    scheduled: openLoop.scheduled,
    answered2xx: answeredTotal,
    achievedPerSecond: answeredTotal / loadSeconds,
    loadSeconds,
    notSent,
    maxInFlight,
    generatorLatenessP99Ms: openLoop.lateness.percentile(99),
    updateFallbacks,
  };
  const routeRows = MIX.map((item) => {
    const stats = routes.get(item.route)!;
    return {
      route: item.label,
      share: item.share,
      answered: stats.ok,
      perSecond: stats.ok / loadSeconds,
      p50Ms: stats.latency.percentile(50),
      p99Ms: stats.latency.percentile(99),
      maxMs: stats.latency.max,
      errors: stats.non2xx + stats.networkErrors,
    };
  });
  const realtimeLag = Histogram.from(final.lag);
  const realtimeReceived = final.received.reduce((sum, n) => sum + n, 0);
  const missed = final.received.reduce((sum, n) => sum + Math.max(0, realtimeExpected - n), 0);
  const realtime = {
    subscribers: subscriberCount,
    socketsAtEnd: metricsEnd.map((m) => m.taskbase_realtime_sockets ?? Number.NaN),
    eventsPerSubscriber: realtimeExpected,
    expected: realtimeExpected * subscriberCount,
    received: realtimeReceived,
    missed,
    outOfOrder: final.outOfOrder,
    socketsClosed: final.closed,
    closeCodes: final.closeCodes,
    serverDrops: metricsEnd.reduce((sum, m) => sum + (m.taskbase_realtime_drops_total ?? 0), 0),
    p50Ms: realtimeLag.percentile(50),
    p99Ms: realtimeLag.percentile(99),
    maxMs: realtimeLag.max,
    beforeWriterAnswer: final.early,
    unmatched: final.unmatched,
  };
  const webhookDelivered = delivered.reduce((sum, n) => sum + n, 0);
  const webhooks = {
    endpoints: endpointCount,
    types: WEBHOOK_TYPES,
    expected: webhookExpected,
    delivered: webhookDelivered,
    duplicates: duplicateDeliveries,
    p50Ms: webhookLag.total.percentile(50),
    p99Ms: webhookLag.total.percentile(99),
    maxMs: webhookLag.total.max,
    unmatched: webhookLag.unmatched,
    deliveryRows: deliveryRows.rows.map((row) => ({ status: row.status, deliveries: Number(row.n), attempts: Number(row.attempts) })),
  };
  const memory = processes.map((p, i) => {
    const rssTrend = memoryTrend(windows.map((w) => [w.t, w.rssMb[p.name]!] as [number, number]));
    const liveStart = liveHeapStart[i]!;
    const liveEnd = liveHeapEnd[i]!;
    // What survives a full GC is the verdict: RSS also holds garbage and V8's spare room.
    // Without heap figures, fall back to RSS still climbing in the second half.
    const growing = Number.isFinite(liveStart) && Number.isFinite(liveEnd)
      ? liveEnd - liveStart > Math.max(5, 0.1 * liveStart)
      : rssTrend.secondHalfGrowthMb > Math.max(10, 0.05 * rssTrend.startMb);
    const heapUsed = windows.map((w) => w.heapUsedMb[p.name]!).filter(Number.isFinite);
    return { process: p.name, ...rssTrend, heapUsedMaxMb: Math.max(...heapUsed), liveHeapStartMb: liveStart, liveHeapEndMb: liveEnd, growing };
  });

  printTable(`Throughput (${fmt.int(durationSeconds)} s, open loop, 2 API processes)`, [throughput], [
    { header: 'target/s', value: (r) => fmt.perSecond(r.targetPerSecond) },
    { header: 'scheduled', value: (r) => fmt.int(r.scheduled) },
    { header: '2xx', value: (r) => fmt.int(r.answered2xx) },
    { header: 'achieved/s', value: (r) => fmt.perSecond(r.achievedPerSecond) },
    { header: 'max in flight', value: (r) => fmt.int(r.maxInFlight) },
    { header: 'not sent', value: (r) => fmt.int(r.notSent) },
    { header: 'generator lateness p99', value: (r) => fmt.ms(r.generatorLatenessP99Ms) },
  ]);
  printTable('Latency per route (from the request’s due time to its answer)', routeRows, [
    { header: 'route', value: (r) => r.route, align: 'left' },
    { header: 'share', value: (r) => `${Math.round(r.share * 100)} %` },
    { header: '2xx', value: (r) => fmt.int(r.answered) },
    { header: '/s', value: (r) => fmt.perSecond(r.perSecond) },
    { header: 'p50', value: (r) => fmt.ms(r.p50Ms) },
    { header: 'p99', value: (r) => fmt.ms(r.p99Ms) },
    { header: 'max', value: (r) => fmt.ms(r.maxMs) },
    { header: 'errors', value: (r) => fmt.int(r.errors) },
  ]);
  log(`errors: ${errors} (non-2xx ${non2xx}, network/timeouts ${networkErrors}, not sent ${notSent}) — must be 0: ${errors === 0 ? 'pass' : 'FAIL'}`);
  for (const [what, count] of failures) log(`  ${what}: ${count}`);
  for (const example of failureExamples) log(`  e.g. ${example}`);
  printTable('Realtime (write answered 2xx → frame received)', [realtime], [
    { header: 'subscribers', value: (r) => fmt.int(r.subscribers) },
    { header: 'sockets at end', value: (r) => r.socketsAtEnd.map(fmt.int).join(' + ') },
    { header: 'events each', value: (r) => fmt.int(r.eventsPerSubscriber) },
    { header: 'received', value: (r) => `${fmt.int(r.received)} / ${fmt.int(r.expected)}` },
    { header: 'missed', value: (r) => fmt.int(r.missed) },
    { header: 'order differs', value: (r) => fmt.int(r.outOfOrder) },
    { header: 'closed', value: (r) => fmt.int(r.socketsClosed) },
    { header: 'before 2xx', value: (r) => `${((100 * r.beforeWriterAnswer) / Math.max(1, r.received)).toFixed(0)} %` },
    { header: 'p50', value: (r) => fmt.ms(r.p50Ms) },
    { header: 'p99', value: (r) => fmt.ms(r.p99Ms) },
    { header: 'max', value: (r) => fmt.ms(r.maxMs) },
  ]);
  printTable('Webhooks (write answered 2xx → delivery received)', [webhooks], [
    { header: 'endpoints', value: (r) => fmt.int(r.endpoints) },
    { header: 'delivered', value: (r) => `${fmt.int(r.delivered)} / ${fmt.int(r.expected)}` },
    { header: 'duplicates', value: (r) => fmt.int(r.duplicates) },
    { header: 'p50', value: (r) => fmt.ms(r.p50Ms) },
    { header: 'p99', value: (r) => fmt.ms(r.p99Ms) },
    { header: 'max', value: (r) => fmt.ms(r.maxMs) },
    { header: 'delivery rows', value: (r) => r.deliveryRows.map((d) => `${d.status} ${fmt.int(d.deliveries)} (${fmt.int(d.attempts)} attempts)`).join(', '), align: 'left' },
  ]);
  const signed = (value: number, unit: string) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} ${unit}`;
  printTable('Memory (start: subscribers connected, before the load; end: RSS when the load stopped, live heap after the drain)', memory, [
    { header: 'process', value: (r) => r.process, align: 'left' },
    { header: 'RSS start', value: (r) => `${r.startMb.toFixed(0)} MB` },
    { header: 'end', value: (r) => `${r.endMb.toFixed(0)} MB` },
    { header: 'max', value: (r) => `${r.maxMb.toFixed(0)} MB` },
    { header: '2nd half', value: (r) => signed(r.secondHalfGrowthMb, 'MB') },
    { header: 'heap used max', value: (r) => `${r.heapUsedMaxMb.toFixed(0)} MB` },
    { header: 'live heap start → end', value: (r) => `${r.liveHeapStartMb.toFixed(1)} → ${r.liveHeapEndMb.toFixed(1)} MB` },
    { header: '', value: (r) => (r.growing ? 'GROWING' : 'flat'), align: 'left' },
  ]);
  for (const [name, watcher] of Object.entries(logs)) {
    if (watcher.counts.warn + watcher.counts.error === 0) continue;
    log(`${name} logged ${watcher.counts.warn} warnings and ${watcher.counts.error} errors, e.g.:`);
    for (const example of watcher.examples) log(`  ${example}`);
  }
  log(`drain after the load: ${drainSeconds.toFixed(1)} s`);

  // --- Files: the JSON, and the chart beside it.
  const checks = {
    noErrors: errors === 0,
    noMissedEvents: missed === 0 && final.outOfOrder === 0,
    allWebhooksDelivered: webhookDelivered >= webhookExpected,
    memoryFlat: memory.every((m) => !m.growing),
  };
  const jsonPath = writeResults('soak', {
    load,
    settings: { rate, durationSeconds, subscribers: subscriberCount, endpoints: endpointCount, tasks: taskCount, comments: commentCount, users: userIds.length },
    throughput,
    routes: routeRows,
    errors: { total: errors, non2xx, networkErrors, notSent, byKind: Object.fromEntries(failures), examples: failureExamples },
    realtime,
    webhooks,
    memory,
    logs: Object.fromEntries(Object.entries(logs).map(([name, w]) => [name, { ...w.counts, examples: w.examples }])),
    drainSeconds,
    checks,
    windows,
  });
  const svgPath = jsonPath.replace(/\.json$/, '.svg');
  const series = (of: (w: Window) => number) => windows.filter((w) => w.t > 0).map((w) => [w.t, of(w)] as [number, number]);
  writeFileSync(
    svgPath,
    renderChart(
      `Taskbase soak: ${rate} req/s, 2 API processes + worker, ${subscriberCount} subscribers, ${endpointCount} webhook endpoints`,
      `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${fmt.int(answeredTotal)} answered · ${errors} errors · ` +
        `realtime missed ${missed} · webhooks ${fmt.int(webhookDelivered)}/${fmt.int(webhookExpected)} · load average ${load.loadAverage} on ${load.cores} cores`,
      [
        {
          title: `HTTP latency per ${WINDOW_MS / 1000} s window (from due time)`,
          yLabel: 'ms',
          series: [
            { name: 'p50, all routes', color: '#1f77b4', points: series((w) => w.p50) },
            { name: 'p99, all routes', color: '#d62728', points: series((w) => w.p99) },
            { name: 'p99, writes', color: '#ff7f0e', points: series((w) => w.writesP99), dashed: true },
          ],
        },
        {
          title: 'Push lag after the write’s 2xx, per window',
          yLabel: 'ms',
          series: [
            { name: 'realtime p50', color: '#2ca02c', points: series((w) => w.realtimeP50) },
            { name: 'realtime p99', color: '#2ca02c', points: series((w) => w.realtimeP99), dashed: true },
            { name: 'webhook p50', color: '#9467bd', points: series((w) => w.webhookP50) },
            { name: 'webhook p99', color: '#9467bd', points: series((w) => w.webhookP99), dashed: true },
          ],
        },
        {
          title: 'Memory per process: RSS (solid), V8 heap in use incl. garbage (dashed)',
          yLabel: 'MB',
          series: processes.flatMap((p, i) => {
            const color = ['#1f77b4', '#ff7f0e', '#2ca02c'][i]!;
            return [
              { name: `${p.name} RSS`, color, points: windows.map((w) => [w.t, w.rssMb[p.name]!] as [number, number]) },
              { name: `${p.name} heap`, color, dashed: true, points: windows.map((w) => [w.t, w.heapUsedMb[p.name]!] as [number, number]) },
            ];
          }),
        },
      ],
      Math.max(...windows.map((w) => w.t)),
    ),
  );
  log(`results: ${jsonPath}`);
  log(`chart:   ${svgPath}`);
  if (!checks.memoryFlat) log('memory: a process kept more live heap at the end than at the start — look at the chart (a short run may not have settled yet)');
  const failed = Object.entries(checks).filter(([name, ok]) => !ok && name !== 'memoryFlat');
  if (failed.length > 0) throw new Error(`soak failed: ${failed.map(([name]) => name).join(', ')}`);
});
