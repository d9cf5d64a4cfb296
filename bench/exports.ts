/**
 * Exports benchmark: a workspace of 100,000 tasks (+ comments) exported by
 * the built core-api, as a background job (`POST /api/exports`, JSON zip and
 * CSV, written to disk storage) and as `GET /api/tasks.csv` streamed to this
 * process. For each: the time (the job's own startedAt → finishedAt, and the
 * wall time seen here), the file's size, and the API process's resident
 * memory (VmRSS sampled every 50 ms) at its peak against before: an export
 * that streams stays near flat; one that held the tasks would grow by
 * hundreds of MB. RSS also counts garbage V8 has not collected yet: with
 * `--live-heap` the live heap (after a forced full GC, over the inspector
 * protocol, every second) is reported beside it, what the export really
 * holds (the forced GCs slow the exports, so times are not comparable then).
 *
 *   npm run bench:exports -w @taskbase/bench [-- --tasks 100000 --comments 100000 --live-heap]
 */
import { apiRequest, registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { connectInspector, type HeapInspector } from './lib/inspector.js';
import { rss } from './lib/memory.js';
import { inviteUsers, seedTasks } from './lib/seed.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { HOST, freePort, startApiServer } from './lib/server.js';
import { printTable } from './lib/table.js';

const MB = 1024 * 1024;
const SAMPLE_MS = 50;

/**
 * Budgets, at 100k tasks on this 2-core machine:
 * - memory: peak − before ≤ 100 MB for every scenario (the uploads benchmark's budget): the export reads 500 tasks a
 *   page and streams them out, so only a page (≈ 1 MB of rows) and the zip's buffers are held; holding the 100k tasks'
 *   DTOs would take ≈ 200-300 MB.
 * - time: the JSON archive ≤ 60 s (≥ 1,700 tasks/s with their comments: a background job someone waits for with a
 *   progress bar, once), the CSV ≤ 30 s and GET /api/tasks.csv ≤ 30 s (one row per task, no comments or files; the
 *   latter is a request a person waits on).
 */
const BUDGETS = { memoryMb: 100, jsonSeconds: 60, csvSeconds: 30, quickCsvSeconds: 30 };

const options = flags({
  tasks: { type: 'string', default: '100000' },
  comments: { type: 'string', default: '100000' },
  // A full GC every second slows the exports (about 3x): time them without it.
  'live-heap': { type: 'boolean', default: false },
});
const LIVE_HEAP = options['live-heap'] === true;
const TASKS = Math.floor(positiveNumber(options.tasks, 'tasks'));
const COMMENTS = Math.floor(Number(options.comments));

interface Job {
  id: number;
  status: string;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  result: { size?: number } | null;
  progress: { done: number; total: number | null; phase: string };
  download: { url: string } | null;
}

interface Row {
  scenario: string;
  liveBeforeMb: number;
  livePeakMb: number;
  seconds: number;
  wallSeconds: number;
  sizeMb: number;
  beforeMb: number;
  peakMb: number;
  deltaMb: number;
  budgetSeconds: number;
}

/** Samples a process's RSS every 50 ms, and its live heap every second, until stopped; answers the peaks. */
function sample(pid: number, heap: HeapInspector | undefined): { stop(): Promise<{ rssMb: number; liveMb: number }> } {
  let peak = rss(pid);
  let livePeak = 0;
  let stopped = false;
  const timer = setInterval(() => {
    const now = rss(pid);
    if (now > peak) peak = now;
  }, SAMPLE_MS);
  const live = (async () => {
    while (heap && !stopped) {
      livePeak = Math.max(livePeak, await heap.liveHeapMb());
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await live;
      return { rssMb: Math.max(peak, rss(pid)) / MB, liveMb: livePeak };
    },
  };
}

runBench('bench:exports', 30, async (onCleanup) => {
  const load = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  const inspectPort = await freePort();
  const api = await startApiServer({
    databaseUrl: database.url,
    bcryptCost: 4,
    env: { DATA_JOBS_INTERVAL: '1' },
    nodeFlags: LIVE_HEAP ? [`--inspect=${HOST}:${inspectPort}`] : [],
  });
  onCleanup(() => api.stop());
  const heap = LIVE_HEAP ? await connectInspector(inspectPort) : undefined;
  onCleanup(async () => heap?.close());
  const liveHeap = async () => (heap ? heap.liveHeapMb() : NaN);
  const session = await registerWorkspace(api.url, 'exports');
  const userIds = await inviteUsers(api.url, session, 10);
  await seedTasks(database.url, { workspaceId: session.workspace.id, userIds, tasks: TASKS, comments: COMMENTS });
  const token = session.accessToken;
  const pid = api.pid!;
  const rows: Row[] = [];

  const job = async (format: 'json' | 'csv', budgetSeconds: number) => {
    // Settled after seeding: the baseline is the idle process.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const liveBeforeMb = await liveHeap();
    const beforeMb = rss(pid) / MB;
    const sampler = sample(pid, heap);
    const started = Date.now();
    const created = await apiRequest<Job>(api.url, 'POST', '/api/exports', { token, body: { format }, expect: 202 });
    let current = created;
    let lastPhase = '';
    while (current.status === 'queued' || current.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      current = await apiRequest<Job>(api.url, 'GET', `/api/exports/${created.id}`, { token });
      const phase = `${current.progress.phase} ${current.progress.done}/${current.progress.total ?? '?'}`;
      if (phase.split(' ')[0] !== lastPhase.split(' ')[0]) log(`  ${format}: ${phase}`);
      lastPhase = phase;
    }
    const wallSeconds = (Date.now() - started) / 1000;
    const { rssMb: peakMb, liveMb: livePeakMb } = await sampler.stop();
    if (current.status !== 'succeeded') throw new Error(`the ${format} export ${current.status}: ${current.error}`);
    const seconds = (Date.parse(current.finishedAt!) - Date.parse(current.startedAt!)) / 1000;
    // The download streams from storage: read it through to check it is whole.
    const response = await fetch(api.url + current.download!.url);
    let bytes = 0;
    for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
    if (bytes !== current.result?.size) throw new Error(`downloaded ${bytes} bytes of ${current.result?.size}`);
    rows.push({ scenario: `export job, ${format}`, liveBeforeMb, livePeakMb, seconds, wallSeconds, sizeMb: bytes / MB, beforeMb, peakMb, deltaMb: peakMb - beforeMb, budgetSeconds });
  };

  await job('json', BUDGETS.jsonSeconds);
  await job('csv', BUDGETS.csvSeconds);

  await new Promise((resolve) => setTimeout(resolve, 2000));
  const liveBeforeMb = await liveHeap();
  const beforeMb = rss(pid) / MB;
  const sampler = sample(pid, heap);
  const started = Date.now();
  const response = await fetch(`${api.url}/api/tasks.csv`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/tasks.csv answered ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
  const seconds = (Date.now() - started) / 1000;
  const { rssMb: peakMb, liveMb: livePeakMb } = await sampler.stop();
  rows.push({ scenario: 'GET /api/tasks.csv', liveBeforeMb, livePeakMb, seconds, wallSeconds: seconds, sizeMb: bytes / MB, beforeMb, peakMb, deltaMb: peakMb - beforeMb, budgetSeconds: BUDGETS.quickCsvSeconds });

  const verdict = (row: Row) => (row.seconds <= row.budgetSeconds && row.deltaMb <= BUDGETS.memoryMb ? 'pass' : 'MISS');
  printTable(`Exports of ${TASKS.toLocaleString('en-US')} tasks + ${COMMENTS.toLocaleString('en-US')} comments (PostgreSQL, disk storage)`, rows, [
    { header: 'scenario', value: (r) => r.scenario, align: 'left' },
    { header: 'time', value: (r) => `${r.seconds.toFixed(1)} s` },
    { header: 'wall', value: (r) => `${r.wallSeconds.toFixed(1)} s` },
    { header: 'tasks/s', value: (r) => Math.round(TASKS / r.seconds).toLocaleString('en-US') },
    { header: 'size', value: (r) => `${r.sizeMb.toFixed(1)} MB` },
    { header: 'RSS before', value: (r) => `${r.beforeMb.toFixed(0)} MB` },
    { header: 'peak', value: (r) => `${r.peakMb.toFixed(0)} MB` },
    { header: 'peak − before', value: (r) => `${r.deltaMb.toFixed(0)} MB` },
    ...(LIVE_HEAP ? [{ header: 'live heap before → peak', value: (r: Row) => `${r.liveBeforeMb.toFixed(0)} → ${r.livePeakMb.toFixed(0)} MB` }] : []),
    { header: 'budget', value: (r) => `≤ ${r.budgetSeconds} s, ≤ ${BUDGETS.memoryMb} MB` },
    { header: '', value: verdict, align: 'left' },
  ]);
  const passed = rows.filter((row) => verdict(row) === 'pass').length;
  log(`${passed}/${rows.length} within budget`);
  log(`results: ${writeResults('exports', { tasks: TASKS, comments: COMMENTS, liveHeap: LIVE_HEAP, load, budgets: BUDGETS, rows })}`);
});
