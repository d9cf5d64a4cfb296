import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { CORE_API_CLI, ensureResultsDir } from './paths.js';

export const HOST = '127.0.0.1';

/** Asks the OS for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

interface SpawnOptions {
  name: string;
  /** Node arguments: flags, then the script and its arguments. */
  args: string[];
  /** Merged over this process's environment; an undefined value removes the variable. */
  env: Record<string, string | undefined>;
  port: number;
  startTimeoutMs?: number;
  onOutput?: (line: string) => void;
  /** What to wait for: `GET /healthz` answering at all (the default), or `/readyz` answering 200. */
  ready?: { path: '/readyz'; pollMs: number };
}

/** This process's environment with `env` over it, without the variables `env` sets to undefined. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return merged;
}

async function waitUntilAnswering(url: string, child: ChildProcess, deadline: number, name: string, options: { pollMs: number; requireOk: boolean }): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok || !options.requireOk) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  throw new Error(`${name} did not answer ${url} in time`);
}

/** Starts a Node process listening on `port`, resolves once `GET /healthz` answers (or `/readyz` is 200). */
async function spawnNodeServer(options: SpawnOptions): Promise<ChildServer & { readyMs: number }> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, options.args, {
    env: childEnv({ ...options.env, PORT: String(options.port), HOST }),
    stdio: ['ignore', options.onOutput ? 'pipe' : 'ignore', 'pipe'],
  });
  if (options.onOutput) createInterface({ input: child.stdout! }).on('line', options.onOutput);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const url = `http://${HOST}:${options.port}`;
  let readyMs: number;
  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    const poll = options.ready ? { pollMs: options.ready.pollMs, requireOk: true } : { pollMs: 100, requireOk: false };
    await waitUntilAnswering(`${url}${options.ready?.path ?? '/healthz'}`, child, deadline, options.name, poll);
    readyMs = performance.now() - spawnedAt;
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr.trim()}`);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { url, pid: child.pid, readyMs, stop: stopper(child, exited) };
}

/** SIGTERM, then SIGKILL after 15 s; resolves once the process is gone (idempotent). */
function stopper(child: ChildProcess, exited: Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    })());
}

export interface ApiServerOptions {
  /**
   * Unset → the embedded database (PGlite) in `env.TASKBASE_DATA_DIR`: no
   * DATABASE_URL reaches the process (not even this one's) and
   * ALLOW_EMBEDDED_IN_PRODUCTION=true, which production requires for it.
   */
  databaseUrl?: string;
  bcryptCost?: number;
  /** Write a V8 CPU profile of the API process to bench/results/ when it exits. */
  cpuProfile?: boolean;
  /** More Node flags, e.g. --inspect to read the heap. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  startTimeoutMs?: number;
  /** Receives each line the process writes to stdout (its JSON log at LOG_LEVEL); unset → discarded. */
  onOutput?: (line: string) => void;
}

function assertBuilt(): void {
  if (!existsSync(CORE_API_CLI)) {
    throw new Error(`${CORE_API_CLI} is missing: run \`npm run build -w @taskbase/core-api\` first`);
  }
}

/** The production-like environment every core-api process of a benchmark gets. */
function apiEnv(options: ApiServerOptions): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    ...(options.databaseUrl === undefined ? { ALLOW_EMBEDDED_IN_PRODUCTION: 'true' } : {}),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    BCRYPT_COST: String(options.bcryptCost ?? 12),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    // The most the config accepts: benchmarks must never be throttled.
    LOGIN_MAX_FAILURES: '1000',
    // One user drives all the load: rate limits are counted, never reached.
    RATE_LIMIT_PER_MINUTE: '10000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
    // The fan-out and soak benchmarks open hundreds of sockets as one user from one address.
    REALTIME_MAX_SOCKETS_PER_USER: '100000',
    REALTIME_MAX_SOCKETS_PER_ADDRESS: '1000000',
    // Long enough that a slow run's token never expires midway.
    ACCESS_TOKEN_TTL: '3600',
    TASKBASE_DATA_DIR: `/tmp/taskbase-bench-${process.pid}`,
    ...options.env,
  };
}

/** Starts the built core-api (`node dist/cli.js start`) as a production process on a free port. */
export function startApiServer(options: ApiServerOptions): Promise<ChildServer> {
  return spawnApi(options);
}

/**
 * Starts the built core-api like startApiServer, but resolves only once
 * `GET /readyz` answers 200 (polled every 20 ms) and says how long that took
 * from the spawn: the cold start, database opened and migrations checked.
 */
export function startApiServerUntilReady(options: ApiServerOptions): Promise<ChildServer & { readyMs: number }> {
  return spawnApi(options, { path: '/readyz', pollMs: 20 });
}

async function spawnApi(options: ApiServerOptions, ready?: SpawnOptions['ready']): Promise<ChildServer & { readyMs: number }> {
  assertBuilt();
  const port = await freePort();
  const nodeFlags = [...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${ensureResultsDir()}`] : []), ...(options.nodeFlags ?? [])];
  return spawnNodeServer({
    name: 'core-api',
    args: [...nodeFlags, CORE_API_CLI, 'start'],
    port,
    env: apiEnv(options),
    startTimeoutMs: options.startTimeoutMs,
    onOutput: options.onOutput,
    ready,
  });
}

export interface ChildProcessHandle {
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the webhook delivery worker alone (`node dist/cli.js worker`), with
 * the same environment as the API; resolves once it says it is running.
 */
export async function startApiWorker(options: ApiServerOptions): Promise<ChildProcessHandle> {
  assertBuilt();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), CORE_API_CLI, 'worker'], {
    env: childEnv(apiEnv(options)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 20_000) output = output.slice(-10_000);
  };
  child.stderr!.on('data', collect);
  if (options.onOutput) createInterface({ input: child.stdout! }).on('line', options.onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('webhook worker did not start in time')), options.startTimeoutMs ?? 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        collect(chunk);
        if (output.includes('worker is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`webhook worker exited with code ${code} while starting`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.trim()}`);
  }
  // The stdout listener stays attached, so the pipe keeps draining and never blocks the worker.
  return { pid: child.pid, stop: stopper(child, exited) };
}

/** Starts any Node script (run through tsx) as a server on a free port; it must answer GET /healthz. */
export async function startScriptServer(name: string, script: string, env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  return spawnNodeServer({ name, args: ['--import', 'tsx', script], port, env: { NODE_ENV: 'production', ...env } });
}
