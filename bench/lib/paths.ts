import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench/ folder, wherever the script was started from. */
export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(BENCH_DIR, '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
/** The built server; BENCH_API_CLI points at another build (e.g. to compare two commits). */
export const CORE_API_CLI = process.env.BENCH_API_CLI ?? join(REPO_DIR, 'packages/core-api/dist/cli.js');

export function ensureResultsDir(): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return RESULTS_DIR;
}
