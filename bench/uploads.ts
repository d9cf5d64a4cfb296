/**
 * Attachments benchmark: uploads of a large file through
 * `POST /api/tasks/:id/attachments` (multipart/form-data, one part `file`)
 * and their download through the signed `url`, on the built core-api running
 * as its own process, whose resident memory (VmRSS) is sampled every 50 ms
 * while 20 uploads run at once: a server that streams the bytes to storage
 * grows by a few MB, one that buffers them by about 20 × the file.
 *
 * Scenarios: the embedded database (always) and PostgreSQL when DATABASE_URL
 * is set (a fresh database on that server, dropped afterwards); disk storage,
 * and with `--s3` also S3 storage against s3rver (a child process).
 *
 *   npm run bench:uploads [-- --runs 10 --concurrency 20 --size-mb 10 --s3]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { apiRequest, registerWorkspace } from './lib/api.js';
import { rss } from './lib/memory.js';
import { REPO_DIR } from './lib/paths.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { startApiServer, type ChildServer } from './lib/server.js';
import { printTable } from './lib/table.js';

/** MB here is 2^20 bytes, as in lib/inspector.ts. */
const MB = 1024 * 1024;
const UPLOAD_BUDGET_MB_S = 50; // median of the sequential uploads, disk storage
const MEMORY_BUDGET_MB = 100; // peak − baseline RSS during the concurrent uploads
const SAMPLE_MS = 50;
const CHUNK = 256 * 1024;

const options = flags({
  runs: { type: 'string', default: '10' },
  concurrency: { type: 'string', default: '20' },
  'size-mb': { type: 'string', default: '10' },
  s3: { type: 'boolean', default: false },
});
const RUNS = Math.floor(positiveNumber(options.runs, 'runs'));
const CONCURRENCY = Math.floor(positiveNumber(options.concurrency, 'concurrency'));
const SIZE = Math.round(positiveNumber(options['size-mb'], 'size-mb') * MB);

type Db = 'embedded' | 'postgres';
type Storage = 'disk' | 's3';

interface Timing {
  ms: number;
  mbPerSecond: number;
}

interface SequentialResult {
  runs: Timing[];
  medianMbS: number;
  p50Ms: number;
  p95Ms: number;
}

interface MemoryResult {
  rssAtStartMb: number;
  baselineMb: number;
  peakMb: number;
  deltaMb: number;
  afterMb: number;
  wallMs: number;
  totalMbS: number;
  p50Ms: number;
  maxMs: number;
  failures: string[];
  samples: [number, number][];
}

interface ScenarioResult {
  db: Db;
  storage: Storage;
  upload: SequentialResult;
  download: SequentialResult;
  downloadVerified: boolean;
  memory: MemoryResult;
  apiWarnings: string[];
}

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile (with 10 runs, p95 is the slowest run). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function summarize(runs: Timing[]): SequentialResult {
  const ms = runs.map((r) => r.ms);
  return { runs, medianMbS: median(runs.map((r) => r.mbPerSecond)), p50Ms: median(ms), p95Ms: percentile(ms, 95) };
}

// ---------------------------------------------------------------- HTTP client

/**
 * A multipart body made once: its framing around the file's bytes, written
 * as three buffers with a Content-Length, so the client costs next to
 * nothing per request (no FormData encoding on a machine shared with the API).
 */
function multipartBody(file: Buffer) {
  const boundary = `----taskbase-bench-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { parts: [head, file, tail], length: head.length + file.length + tail.length, contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Attachment {
  id: number;
  size: number;
  url: string;
  contentType: string;
}

function readAll(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
  });
}

/** One upload on a fresh connection; resolves with the attachment and the time to the whole answer. */
function upload(baseUrl: string, token: string, taskId: number, body: ReturnType<typeof multipartBody>): Promise<{ ms: number; attachment: Attachment }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(`${baseUrl}/api/tasks/${taskId}/attachments`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': body.contentType, 'content-length': String(body.length) },
      timeout: 120_000,
    });
    req.on('timeout', () => req.destroy(new Error('upload timed out after 120 s')));
    req.on('error', reject);
    req.on('response', (response) => {
      readAll(response).then((text) => {
        const ms = performance.now() - started;
        if (response.statusCode !== 201) return reject(new Error(`upload answered ${response.statusCode}: ${text.toString().slice(0, 300)}`));
        resolve({ ms, attachment: JSON.parse(text.toString()) as Attachment });
      }, reject);
    });
    // In 256 KB slices (no copies), waiting for 'drain': 20 uploads started at once share the
    // loop instead of each pushing 10 MB into its socket in one go.
    const slices = body.parts.flatMap((part) => Array.from({ length: Math.ceil(part.length / CHUNK) }, (_, i) => part.subarray(i * CHUNK, (i + 1) * CHUNK)));
    let next = 0;
    const pump = (): void => {
      while (next < slices.length) if (!req.write(slices[next++]!)) return void req.once('drain', pump);
      req.end();
    };
    pump();
  });
}

/** Downloads a signed URL; counts the bytes, and keeps them only when asked (to compare). */
function download(url: string, keep: boolean): Promise<{ ms: number; bytes: number; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: false, timeout: 120_000 });
    req.on('timeout', () => req.destroy(new Error('download timed out after 120 s')));
    req.on('error', reject);
    req.on('response', (response) => {
      if (response.statusCode !== 200) {
        void readAll(response).then((text) => reject(new Error(`download answered ${response.statusCode}: ${text.toString().slice(0, 300)}`)));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => resolve({ ms: performance.now() - started, bytes, body: keep ? Buffer.concat(chunks) : undefined }));
    });
    req.end();
  });
}

// ---------------------------------------------------------------- memory sampling

/**
 * VmRSS of one process every 50 ms, read in a worker thread so that a busy
 * moment of this process (20 uploads starting at once) cannot skip samples.
 * Times are ms since the sampler started.
 */
class RssSampler {
  readonly samples: [number, number][] = [];
  private readonly origin = performance.timeOrigin + performance.now();
  private readonly worker: Worker;

  constructor(pid: number) {
    this.worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const { readFileSync } = require('node:fs');
      const samples = [];
      const read = () => {
        try {
          const line = readFileSync('/proc/' + workerData.pid + '/status', 'utf8').split('\\n').find((l) => l.startsWith('VmRSS:'));
          if (line) samples.push([performance.timeOrigin + performance.now(), Number(line.split(/\\s+/)[1]) * 1024]);
        } catch {}
      };
      read();
      const timer = setInterval(read, workerData.interval);
      parentPort.on('message', (message) => {
        parentPort.postMessage(samples.splice(0));
        if (message === 'stop') { clearInterval(timer); parentPort.close(); }
      });
      `,
      { eval: true, workerData: { pid, interval: SAMPLE_MS } },
    );
  }

  now(): number {
    return performance.timeOrigin + performance.now() - this.origin;
  }

  /** Takes the worker's samples so far. */
  private collect(message: 'read' | 'stop' = 'read'): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once('message', (batch: [number, number][]) => {
        for (const [at, bytes] of batch) this.samples.push([at - this.origin, bytes / MB]);
        resolve();
      });
      this.worker.postMessage(message);
    });
  }

  async between(from: number, to: number): Promise<number[]> {
    await this.collect();
    return this.samples.filter(([t]) => t >= from && t <= to).map(([, mb]) => mb);
  }

  private stopped?: Promise<void>;
  stop(): Promise<void> {
    return (this.stopped ??= this.collect('stop').then(() => void this.worker.terminate()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- S3 and PostgreSQL

interface S3Server {
  endpoint: string;
  stop(): Promise<void>;
}

/** s3rver (core-api's devDependency, as its tests use it) in a child process, so its work is not this process's. */
async function startS3rver(): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'taskbase-bench-s3rver-'));
  const script = `
    const S3rver = require('s3rver');
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR, configureBuckets: [{ name: 'attachments' }] });
    server.run().then((address) => console.log(JSON.stringify({ port: address.port })), (error) => { console.error(error); process.exit(1); });
    process.on('SIGTERM', () => { server.close().finally(() => process.exit(0)); server.httpServer?.closeAllConnections(); });
  `;
  // -e resolves require() from the working folder: core-api's, whose dependency s3rver is.
  const child = spawn(process.execPath, ['-e', script], {
    cwd: join(REPO_DIR, 'packages/core-api'),
    env: { ...process.env, S3RVER_DIR: directory },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('s3rver did not start in 20 s')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A fresh database on DATABASE_URL's server (other tests use that database itself); `drop()` removes it. */
async function createDatabaseBeside(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `taskbase_bench_uploads_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(`drop database if exists "${name}" with (force)`);
    },
  };
}

// ---------------------------------------------------------------- one scenario

async function runScenario(
  db: Db,
  storage: Storage,
  file: Buffer,
  s3: S3Server | undefined,
  onCleanup: (fn: () => Promise<void>) => void,
): Promise<ScenarioResult> {
  log(`\n== ${db} database, ${storage} storage`);
  const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-bench-uploads-'));
  const removeDataDir = async () => rmSync(dataDir, { recursive: true, force: true });
  onCleanup(removeDataDir);
  const database = db === 'postgres' ? await createDatabaseBeside(process.env.DATABASE_URL!) : undefined;
  if (database) onCleanup(() => database.drop());
  const apiWarnings: string[] = [];
  const env: Record<string, string> = {
    TASKBASE_DATA_DIR: dataDir,
    ATTACHMENT_QUOTA_BYTES: String(10 * 1024 * MB),
    ATTACHMENT_MAX_BYTES: String(Math.max(25 * MB, SIZE + MB)),
    ALLOW_EMBEDDED_IN_PRODUCTION: 'true',
    WEBHOOK_WORKER: 'false',
    DUE_REMINDERS_INTERVAL: '0',
    ...(storage === 's3'
      ? { S3_ENDPOINT: s3!.endpoint, S3_BUCKET: 'attachments', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true' }
      : {}),
  };
  // An empty DATABASE_URL selects the embedded database (and hides the one this script was given).
  const api: ChildServer = await startApiServer({
    databaseUrl: database?.url ?? '',
    bcryptCost: 4,
    env,
    startTimeoutMs: 60_000,
    onOutput: (line) => {
      // LOG_LEVEL=warn: only warnings and errors are JSON lines; the start banner is not.
      if (line.startsWith('{') && apiWarnings.length < 20) apiWarnings.push(line.slice(0, 400));
    },
  });
  onCleanup(() => api.stop());
  const sampler = new RssSampler(api.pid!);
  onCleanup(() => sampler.stop());
  try {
    const session = await registerWorkspace(api.url, `uploads-${db}-${storage}`);
    const token = session.accessToken;
    const task = await apiRequest<{ id: number }>(api.url, 'POST', '/api/tasks', { token, body: { title: 'Uploads bench' } });
    const body = multipartBody(file);
    await sleep(1000);
    const rssAtStartMb = rss(api.pid!) / MB;

    // Warm-up: one upload and one download, not counted (first use of the route, the storage folder, the S3 client).
    const warm = await upload(api.url, token, task.id, body);
    await download(api.url + warm.attachment.url, false);

    // 1. Sequential uploads, then the downloads of what they stored.
    const uploads: Timing[] = [];
    const stored: Attachment[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { ms, attachment } = await upload(api.url, token, task.id, body);
      if (attachment.size !== file.length) throw new Error(`attachment ${attachment.id} has size ${attachment.size}, sent ${file.length}`);
      uploads.push({ ms, mbPerSecond: file.length / MB / (ms / 1000) });
      stored.push(attachment);
    }
    const upSummary = summarize(uploads);
    log(`  upload x${RUNS}: median ${upSummary.medianMbS.toFixed(1)} MB/s, p95 ${upSummary.p95Ms.toFixed(0)} ms`);
    const downloads: Timing[] = [];
    let downloadVerified = false;
    for (let i = 0; i < RUNS; i++) {
      const result = await download(api.url + stored[i]!.url, i === 0);
      if (result.bytes !== file.length) throw new Error(`download of ${stored[i]!.id} gave ${result.bytes} bytes, expected ${file.length}`);
      if (i === 0) {
        if (!result.body!.equals(file)) throw new Error(`download of ${stored[0]!.id} differs from the uploaded bytes`);
        downloadVerified = true;
      }
      downloads.push({ ms: result.ms, mbPerSecond: file.length / MB / (result.ms / 1000) });
    }
    const downSummary = summarize(downloads);
    log(`  download x${RUNS}: median ${downSummary.medianMbS.toFixed(1)} MB/s, p95 ${downSummary.p95Ms.toFixed(0)} ms, bytes identical: ${downloadVerified}`);

    // 2. Memory during concurrent uploads: 2 s idle (the last second is the baseline), all at once, 3 s after.
    await sleep(2000);
    const baselineFrom = sampler.now() - 1000;
    const baselineMb = median(await sampler.between(baselineFrom, sampler.now()));
    const loadStart = sampler.now();
    const wallStart = performance.now();
    const failures: string[] = [];
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        upload(api.url, token, task.id, body).then(
          ({ ms }) => latencies.push(ms),
          (error: Error) => failures.push(error.message),
        ),
      ),
    );
    const wallMs = performance.now() - wallStart;
    const loadEnd = sampler.now();
    await sleep(3000);
    const peakMb = Math.max(...(await sampler.between(loadStart, sampler.now())));
    const afterMb = median(await sampler.between(sampler.now() - 500, sampler.now()));
    const memory: MemoryResult = {
      rssAtStartMb,
      baselineMb,
      peakMb,
      deltaMb: peakMb - baselineMb,
      afterMb,
      wallMs,
      totalMbS: (latencies.length * file.length) / MB / (wallMs / 1000),
      p50Ms: latencies.length ? median(latencies) : Number.NaN,
      maxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
      failures,
      samples: sampler.samples
        .filter(([t]) => t >= baselineFrom)
        .map(([t, mb]) => [Math.round(t - loadStart), Number(mb.toFixed(1))] as [number, number]),
    };
    log(
      `  ${CONCURRENCY} at once: ${memory.totalMbS.toFixed(1)} MB/s total in ${(wallMs / 1000).toFixed(1)} s, RSS ${baselineMb.toFixed(0)} → peak ${peakMb.toFixed(0)} MB (+${memory.deltaMb.toFixed(0)}), ${afterMb.toFixed(0)} MB 3 s after, ${failures.length} failed (load ${((loadEnd - loadStart) / 1000).toFixed(1)} s)`,
    );
    for (const failure of failures.slice(0, 3)) log(`    failed: ${failure}`);
    return { db, storage, upload: upSummary, download: downSummary, downloadVerified, memory, apiWarnings };
  } finally {
    await sampler.stop();
    await api.stop();
    await database?.drop();
    await removeDataDir();
  }
}

// ---------------------------------------------------------------- main

runBench('uploads', 15, async (onCleanup) => {
  const machine = machineLoad();
  const dbs: Db[] = process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];
  const storages: Storage[] = options.s3 ? ['disk', 's3'] : ['disk'];
  log(`file ${(SIZE / MB).toFixed(1)} MB of random bytes; ${RUNS} sequential runs; ${CONCURRENCY} concurrent; databases: ${dbs.join(', ')}; storage: ${storages.join(', ')}`);
  const file = randomBytes(SIZE);
  let s3: S3Server | undefined;
  if (options.s3) {
    s3 = await startS3rver();
    onCleanup(() => s3!.stop());
  }
  const results: ScenarioResult[] = [];
  for (const db of dbs) for (const storage of storages) results.push(await runScenario(db, storage, file, s3, onCleanup));

  const name = (r: ScenarioResult) => `${r.db} / ${r.storage}`;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const mb = (value: number) => `${value.toFixed(1)} MB`;
  const uploadVerdict = (r: ScenarioResult) =>
    r.storage === 'disk' ? (r.upload.medianMbS >= UPLOAD_BUDGET_MB_S ? 'PASS' : 'MISS') : 'report only';
  const memoryVerdict = (r: ScenarioResult) => (r.memory.failures.length > 0 ? 'MISS (failures)' : r.memory.deltaMb <= MEMORY_BUDGET_MB ? 'PASS' : 'MISS');

  printTable(
    `Sequential, ${(SIZE / MB).toFixed(0)} MB file, ${RUNS} runs each (p95 = nearest rank; with 10 runs, the slowest)`,
    results.flatMap((r) => [
      { r, dir: 'upload', s: r.upload, budget: r.storage === 'disk' ? `>= ${UPLOAD_BUDGET_MB_S} MB/s` : '-', verdict: uploadVerdict(r) },
      { r, dir: `download${r.downloadVerified ? ' (bytes identical)' : ''}`, s: r.download, budget: '-', verdict: '-' },
    ]),
    [
      { header: 'db / storage', value: (x) => name(x.r), align: 'left' },
      { header: 'direction', value: (x) => x.dir, align: 'left' },
      { header: 'median MB/s', value: (x) => x.s.medianMbS.toFixed(1) },
      { header: 'p50', value: (x) => ms(x.s.p50Ms) },
      { header: 'p95', value: (x) => ms(x.s.p95Ms) },
      { header: 'budget', value: (x) => x.budget, align: 'left' },
      { header: 'verdict', value: (x) => x.verdict, align: 'left' },
    ],
  );
  printTable(
    `API memory (VmRSS every ${SAMPLE_MS} ms) during ${CONCURRENCY} concurrent ${(SIZE / MB).toFixed(0)} MB uploads`,
    results,
    [
      { header: 'db / storage', value: name, align: 'left' },
      { header: 'at start', value: (r) => mb(r.memory.rssAtStartMb) },
      { header: 'baseline', value: (r) => mb(r.memory.baselineMb) },
      { header: 'peak', value: (r) => mb(r.memory.peakMb) },
      { header: 'peak − base', value: (r) => mb(r.memory.deltaMb) },
      { header: '3 s after', value: (r) => mb(r.memory.afterMb) },
      { header: 'total MB/s', value: (r) => r.memory.totalMbS.toFixed(1) },
      { header: 'wall', value: (r) => ms(r.memory.wallMs) },
      { header: 'p50 / max', value: (r) => `${ms(r.memory.p50Ms)} / ${ms(r.memory.maxMs)}` },
      { header: 'failed', value: (r) => String(r.memory.failures.length) },
      { header: 'budget', value: () => `<= ${MEMORY_BUDGET_MB} MB`, align: 'left' },
      { header: 'verdict', value: memoryVerdict, align: 'left' },
    ],
  );
  for (const r of results) {
    if (r.apiWarnings.length) log(`${name(r)}: the API logged ${r.apiWarnings.length} warning/error line(s), e.g. ${r.apiWarnings[0]}`);
  }
  const file_ = writeResults('uploads', { machine, sizeBytes: SIZE, runs: RUNS, concurrency: CONCURRENCY, results });
  const verdicts = results.flatMap((r) => [uploadVerdict(r), memoryVerdict(r)]).filter((v) => v !== 'report only');
  log(`${verdicts.filter((v) => v === 'PASS').length}/${verdicts.length} budgets met; results in ${file_}`);
});
