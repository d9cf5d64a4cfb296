import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testEnvironment } from '../../src/testing.js';
import { JWT_SECRET } from './server.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the compiled server (`node dist/cli.js start`) as a separate
 * process and resolves once it prints its URL. This also proves the build
 * runs under plain Node, outside vitest's module loader.
 */
export async function startApiProcess(env: Record<string, string | undefined>): Promise<ApiProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w @taskbase/core-api\` first (turbo does it before tests)`);
  const child = spawn(process.execPath, [CLI, 'start'], {
    // Only what the test names: its own embedded database and the demo seed unless `env` says otherwise.
    env: { PATH: process.env.PATH, ...testEnvironment({ JWT_SECRET, LOG_LEVEL: 'warn', WEBHOOK_WORKER: 'false', DATABASE_URL: undefined, SEED_DEMO: undefined, ...env }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 60_000);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs a one-shot `taskbase <command>` of the compiled CLI with the same environment as `startApiProcess`; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, ...testEnvironment({ JWT_SECRET, LOG_LEVEL: 'warn', DATABASE_URL: undefined, ...env }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
