import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { testEnvironment } from '../src/testing.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs a TypeScript entry point of this package as its own process (through tsx, so no build is needed). */
function runTs(entry: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...testEnvironment({ DATABASE_URL: undefined, LOG_LEVEL: 'warn', ...env }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

function printed(child: ChildProcess, text: string): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes(text)) resolve();
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing "${text}":\n${output}`)));
  });
}

describe('one embedded data directory, one process', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-lock-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('refuses a second process (`taskbase migrate` beside a running server) with a message naming the holder', async () => {
    const dir = dataDir();
    const held: Database = await openDatabase({ dataDir: dir });
    cleanups.push(() => held.close());
    const second = await finished(runTs('src/cli.ts', ['migrate'], { TASKBASE_DATA_DIR: dir }));
    expect(second.code).not.toBe(0);
    expect(second.output).toContain(`in use by process ${process.pid}`);
    expect(second.output).toContain(dir);
    expect(second.output).not.toMatch(/^\s+at /m); // a message, not a stack trace
    // Closing releases it: the next opener gets in.
    await held.close();
    const next = await openDatabase({ dataDir: dir });
    await next.close();
  }, 60_000);

  it('does not let a lock (or PGlite postmaster.pid) left by a process killed with kill -9 block a restart', async () => {
    const dir = dataDir();
    const holder = runTs('test/support/hold-embedded.ts', [], { TASKBASE_DATA_DIR: dir });
    cleanups.push(() => holder.exitCode === null && holder.kill('SIGKILL'));
    await printed(holder, 'open');
    // While it lives, this process is refused too.
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(`in use by process ${holder.pid}`);
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dir, 'taskbase.lock'))).toBe(true);
    const restarted = await openDatabase({ dataDir: dir });
    try {
      expect(JSON.parse(readFileSync(join(dir, 'taskbase.lock'), 'utf8')).pid).toBe(process.pid);
      expect((await restarted.knex.raw('select 1 as one')).rows[0].one).toBe(1);
    } finally {
      await restarted.close();
    }
    expect(existsSync(join(dir, 'taskbase.lock'))).toBe(false);
  }, 60_000);

  it('treats a lock whose pid now belongs to another program as stale', async () => {
    const dir = dataDir();
    // pid 1 is alive but is not the process that wrote the lock (its start time differs).
    writeFileSync(join(dir, 'taskbase.lock'), JSON.stringify({ pid: 1, startTicks: '1', since: new Date(0).toISOString() }));
    const opened = await openDatabase({ dataDir: dir });
    await opened.close();
  }, 60_000);
});

describe('the embedded database in production', () => {
  const base = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-that-is-long-enough-for-hs256', TASKBASE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tb-prod-')) };

  it('is refused unless ALLOW_EMBEDDED_IN_PRODUCTION=true', () => {
    expect(() => loadConfig(base)).toThrow(ConfigError);
    expect(() => loadConfig(base)).toThrow(/ALLOW_EMBEDDED_IN_PRODUCTION/);
    expect(() => loadConfig({ ...base, ALLOW_EMBEDDED_IN_PRODUCTION: 'false' })).toThrow(ConfigError);
    expect(loadConfig({ ...base, ALLOW_EMBEDDED_IN_PRODUCTION: 'true' }).env).toBe('production');
    expect(loadConfig({ ...base, DATABASE_URL: 'postgres://db.internal/taskbase' }).env).toBe('production');
  });
});
