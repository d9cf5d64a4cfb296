/**
 * Realtime fan-out: 1,000 subscribed clients in a separate process, 200 task
 * updates; latency from commit to receipt (p50, p99) and server memory per
 * idle socket — against a bare `ws` broadcast of the same number of
 * messages to the same number of clients.
 *
 *   npm run bench:fanout -w @taskbase/bench -- [--clients 1000] [--updates 200]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apiRequest, registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { rss } from './lib/memory.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { startApiServer, startScriptServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

const options = flags({ clients: { type: 'string', default: '1000' }, updates: { type: 'string', default: '200' } });
const clients = positiveNumber(options.clients, 'clients');
const updates = positiveNumber(options.updates, 'updates');
const CLIENTS_SCRIPT = fileURLToPath(new URL('./lib/fanout-clients.ts', import.meta.url));
const RAW_SCRIPT = fileURLToPath(new URL('./lib/raw-ws.ts', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Starts the clients process; resolves `ready` once connected and `result` with the latencies. */
function startClients(url: string, mode: 'taskbase' | 'raw', token = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENTS_SCRIPT, url, mode, String(clients), String(updates), token], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<number[]>((resolve, reject) => {
    lines.on('line', (line) => {
      const message = JSON.parse(line);
      if (message.ready) onReady();
      if (message.latencies) resolve(message.latencies);
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`clients process exited with ${code}`)));
  });
  return { ready, result, kill: () => child.kill('SIGKILL') };
}

interface Row {
  server: string;
  p50: number;
  p99: number;
  max: number;
  received: number;
  perSocketKb: number;
}

function summarize(server: string, latencies: number[], perSocketKb: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { server, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, received: sorted.length, perSocketKb };
}

runBench('fanout', 15, async (onCleanup) => {
  const load = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  const api = await startApiServer({ databaseUrl: database.url, bcryptCost: 4, env: { WEBHOOK_WORKER: 'false', DUE_REMINDERS_INTERVAL: '0' } });
  onCleanup(() => api.stop());
  const session = await registerWorkspace(api.url, 'fanout');
  const task = await apiRequest<{ id: number }>(api.url, 'POST', '/api/tasks', { token: session.accessToken, body: { title: 'Fan-out' } });

  // Taskbase: memory before and after the sockets connect, then the updates.
  const before = rss(api.pid!);
  const taskbase = startClients(`${api.url.replace('http', 'ws')}/ws`, 'taskbase', session.accessToken);
  onCleanup(async () => void taskbase.kill());
  await taskbase.ready;
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the server settle before reading memory
  const perSocketTaskbase = (rss(api.pid!) - before) / clients / 1024;
  log(`${clients} clients subscribed; sending ${updates} updates`);
  for (let i = 0; i < updates; i += 1) {
    await apiRequest(api.url, 'PATCH', `/api/tasks/${task.id}`, { token: session.accessToken, body: { description: `update ${i} ${'x'.repeat(150)}` } });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const taskbaseRow = summarize('Taskbase /ws', await taskbase.result, perSocketTaskbase);

  // The baseline: a bare ws broadcast, same clients, same number of messages, same pacing.
  const raw = await startScriptServer('raw-ws', RAW_SCRIPT, {});
  onCleanup(() => raw.stop());
  const rawBefore = rss(raw.pid!);
  const rawClients = startClients(`${raw.url.replace('http', 'ws')}/ws`, 'raw');
  onCleanup(async () => void rawClients.kill());
  await rawClients.ready;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const perSocketRaw = (rss(raw.pid!) - rawBefore) / clients / 1024;
  for (let i = 0; i < updates; i += 1) {
    await fetch(`${raw.url}/broadcast`, { method: 'POST' }).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const rawRow = summarize('raw ws broadcast', await rawClients.result, perSocketRaw);

  const rows = [taskbaseRow, rawRow];
  printTable(`Fan-out: ${clients} clients × ${updates} messages`, rows, [
    { header: 'server', value: (r) => r.server, align: 'left' },
    { header: 'received', value: (r) => fmt.int(r.received) },
    { header: 'p50', value: (r) => fmt.ms(r.p50) },
    { header: 'p99', value: (r) => fmt.ms(r.p99) },
    { header: 'max', value: (r) => fmt.ms(r.max) },
    { header: 'memory/socket', value: (r) => `${r.perSocketKb.toFixed(1)} KB` },
  ]);
  const latencyBudget = 2 * rawRow.p99 + 20;
  log(`budget p99 ≤ 2 × raw p99 + 20 ms = ${fmt.ms(latencyBudget)}: ${taskbaseRow.p99 <= latencyBudget ? 'pass' : 'MISS'}`);
  log(`budget ≤ 50 KB per idle socket: ${perSocketTaskbase <= 50 ? 'pass' : 'MISS'}`);
  log(`results: ${writeResults('fanout', { load, clients, updates, rows, latencyBudget })}`);
});
