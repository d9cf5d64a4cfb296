import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureResultsDir } from './paths.js';

type Cleanup = () => Promise<void>;

/**
 * Runs a benchmark's main function with cleanups that always run (on success,
 * failure, Ctrl-C or the overall time limit), then exits.
 */
export function runBench(name: string, maxMinutes: number, main: (onCleanup: (fn: Cleanup) => void) => Promise<void>): void {
  const cleanups: Cleanup[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
        }
      }
    })());
  const abort = (reason: string) => {
    process.stderr.write(`\n${name}: ${reason}; cleaning up\n`);
    void cleanup().then(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`still running after ${maxMinutes} minutes`), maxMinutes * 60_000);
  watchdog.unref();
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  main((fn) => cleanups.push(fn))
    .then(
      () => 0,
      (error: unknown) => {
        process.stderr.write(`\n${name} failed: ${(error as Error).stack ?? String(error)}\n`);
        return 1;
      },
    )
    .then(async (code) => {
      await cleanup();
      process.exit(code);
    });
}

/** Parses `--name value` flags; every flag is optional. */
export function flags<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  return parseArgs({ options, strict: true, allowPositionals: false }).values;
}

export function positiveNumber(raw: unknown, flag: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a positive number, got "${String(raw)}"`);
  return value;
}

/** Writes a JSON result file to bench/results/ and returns its path. */
export function writeResults(prefix: string, data: unknown): string {
  const file = join(ensureResultsDir(), `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

export const log = (message: string) => process.stdout.write(`${message}\n`);

/**
 * The 1-minute load average against the core count: benchmarks on a machine
 * already busy with something else (a test run) read low, so say so.
 */
export function machineLoad(): { loadAverage: number; cores: number; busy: boolean } {
  const loadAverage = Number(loadavg()[0]!.toFixed(2));
  const cores = availableParallelism();
  const busy = loadAverage > cores * 0.5;
  log(`load average ${loadAverage} on ${cores} cores${busy ? ' — the machine is busy with something else: numbers will read low' : ''}`);
  return { loadAverage, cores, busy };
}

/** The flags every API benchmark takes, with this script's data-size defaults. */
export function loadOptions(defaults: { tasks: number; comments: number }) {
  const options = flags({
    tasks: { type: 'string', default: String(defaults.tasks) },
    comments: { type: 'string', default: String(defaults.comments) },
    users: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'cpu-prof': { type: 'boolean', default: false },
  });
  return {
    tasks: Math.floor(positiveNumber(options.tasks, 'tasks')),
    comments: Math.floor(positiveNumber(options.comments, 'comments')),
    users: Math.floor(positiveNumber(options.users, 'users')),
    durationSeconds: positiveNumber(options.duration, 'duration'),
    warmupSeconds: Math.min(positiveNumber(options.warmup, 'warmup'), positiveNumber(options.duration, 'duration')),
    connections: Math.floor(positiveNumber(options.connections, 'connections')),
    cpuProfile: options['cpu-prof'] === true,
  };
}
