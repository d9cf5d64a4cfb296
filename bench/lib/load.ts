import autocannon from 'autocannon';
import { Histogram } from './histogram.js';

/** What one autocannon run is reduced to. */
export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses outside 2xx (e.g. 404 while a route does not exist yet). */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationSeconds: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** Fixed JSON body. */
  body?: unknown;
  /** Called per request: path and/or JSON body that vary (random ids, fresh titles). */
  vary?: () => { path?: string; body?: unknown };
  connections?: number;
  durationSeconds: number;
}

/** Hard cap on requests per run, on top of the duration. */
const MAX_REQUESTS_PER_RUN = 5_000_000;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.vary) headers['content-type'] = 'application/json';
  const vary = options.vary;
  const result = await autocannon({
    url: url.origin,
    connections: options.connections ?? 50,
    duration: options.durationSeconds,
    maxOverallRequests: MAX_REQUESTS_PER_RUN,
    timeout: 10,
    requests: [
      {
        method: options.method ?? 'GET',
        path: url.pathname + url.search,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(vary
          ? {
              setupRequest: (request: any) => {
                const next = vary();
                return {
                  ...request,
                  ...(next.path !== undefined ? { path: next.path } : {}),
                  ...(next.body !== undefined ? { body: JSON.stringify(next.body) } : {}),
                };
              },
            }
          : {}),
      },
    ],
  });
  return {
    name: options.name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    durationSeconds: result.duration,
  };
}

export interface LoopResult {
  completed: number;
  failed: number;
  perSecond: number;
  elapsedSeconds: number;
}

/**
 * Runs `task` with `concurrency` workers until `signal` aborts, `maxSeconds`
 * pass or `maxCount` calls have started, whichever comes first.
 */
export async function runLoop(options: {
  concurrency: number;
  maxSeconds: number;
  maxCount: number;
  signal?: AbortSignal;
  task: () => Promise<boolean>;
}): Promise<LoopResult> {
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  let startedCount = 0;
  let completed = 0;
  let failed = 0;
  const worker = async () => {
    while (!options.signal?.aborted && performance.now() < deadline && startedCount < options.maxCount) {
      startedCount += 1;
      try {
        if (await options.task()) completed += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { completed, failed, perSecond: completed / elapsedSeconds, elapsedSeconds };
}

export interface OpenLoopResult {
  /** Requests due in the run (rate × duration). */
  scheduled: number;
  /** How late each request was started against its slot, ms: the load generator's own delay. */
  lateness: Histogram;
}

/**
 * Open-loop load: request `i` is due at `i / rate` seconds and is started
 * then, whether or not earlier ones have been answered, so a slow server
 * meets a growing queue instead of a politely waiting client (no coordinated
 * omission). `fire` gets the slot's due time on the performance.now() clock;
 * latency should be measured from it.
 */
export async function runOpenLoop(options: {
  rate: number;
  durationSeconds: number;
  signal?: AbortSignal;
  fire: (index: number, dueAt: number) => void;
}): Promise<OpenLoopResult> {
  const interval = 1000 / options.rate;
  const scheduled = Math.round(options.rate * options.durationSeconds);
  const lateness = new Histogram();
  const started = performance.now();
  let index = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (index < scheduled && started + index * interval <= now) {
        const dueAt = started + index * interval;
        lateness.record(now - dueAt);
        options.fire(index, dueAt);
        index += 1;
      }
      if (index >= scheduled || options.signal?.aborted) return resolve();
      setTimeout(tick, Math.max(0, started + index * interval - performance.now()));
    };
    tick();
  });
  return { scheduled: index, lateness };
}
