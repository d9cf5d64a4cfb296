import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from './config.js';
import { migrateLatest, openDatabase } from './db/database.js';
import { seedDemo, type DemoCredentials } from './db/seed.js';

/** What a child process tells the supervisor once it serves (sent over the IPC channel of `fork`). */
export interface ReadyMessage {
  type: 'taskbase:ready';
  url?: string;
}

export interface ClusterSize {
  api: number;
  workers: number;
}

type Role = 'api' | 'worker';

interface Member {
  role: Role;
  /** 1-based, as printed. */
  index: number;
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
  pid?: number;
  url?: string;
  startedAt: number;
  /** Consecutive quick crashes, for the restart backoff. */
  crashes: number;
}

/** A child that ran this long before dying was healthy: restart it at once. */
const HEALTHY_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
const STOP_GRACE_MS = 30_000;

/** `--api N --workers M`; N defaults to the cores, M to 1. */
export function parseClusterArgs(argv: string[]): ClusterSize {
  let values: { api?: string; workers?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { api: { type: 'string' }, workers: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new ConfigError('cluster', `arguments: ${(error as Error).message}`);
  }
  const count = (raw: string | undefined, flag: string, fallback: number, min: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > 64) throw new ConfigError(flag, `must be a whole number from ${min} to 64, got "${raw}"`);
    return value;
  };
  return { api: count(values.api, '--api', availableParallelism(), 1), workers: count(values.workers, '--workers', 1, 0) };
}

/**
 * `taskbase cluster`: N API processes on consecutive ports (PORT, PORT+1, …)
 * and M webhook workers, all on one PostgreSQL, supervised by this process.
 * It migrates and seeds once before starting them (so they never race on
 * it), restarts a child that dies (with a backoff when it keeps dying), and
 * on SIGTERM/SIGINT stops them all gracefully. Put a load balancer in front
 * of the API ports; any of them serves any request, realtime included.
 */
export async function runCluster(config: Config, size: ClusterSize, cliPath: string, write: (text: string) => void): Promise<void> {
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required by `taskbase cluster`: the embedded database serves a single process');
  }
  const demo = await prepareDatabase(config);

  const shared: NodeJS.ProcessEnv = { ...process.env, MIGRATE_ON_START: 'false', SEED_DEMO: 'false' };
  const members: Member[] = [
    ...Array.from({ length: size.api }, (_, i): Member => ({
      role: 'api',
      index: i + 1,
      // With dedicated workers the API processes only queue deliveries.
      env: { ...shared, PORT: String(config.port === 0 ? 0 : config.port + i), ...(size.workers > 0 ? { WEBHOOK_WORKER: 'false' } : {}) },
      startedAt: 0,
      crashes: 0,
    })),
    ...Array.from({ length: size.workers }, (_, i): Member => ({ role: 'worker', index: i + 1, env: shared, startedAt: 0, crashes: 0 })),
  ];

  let stopping = false;
  const label = (member: Member) => `${member.role} ${member.index}`;

  const start = (member: Member): Promise<void> =>
    new Promise((resolve) => {
      const child = fork(cliPath, [member.role === 'api' ? 'start' : 'worker'], { env: member.env, stdio: 'inherit' });
      member.child = child;
      member.pid = child.pid;
      member.startedAt = Date.now();
      child.on('message', (message: ReadyMessage) => {
        if (message?.type !== 'taskbase:ready') return;
        member.url = message.url;
        resolve();
      });
      child.once('exit', (code, signal) => {
        resolve();
        member.child = undefined;
        if (stopping) return;
        member.crashes = Date.now() - member.startedAt > HEALTHY_AFTER_MS ? 0 : member.crashes + 1;
        const delay = member.crashes === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 500 * 2 ** member.crashes);
        write(`taskbase cluster: ${label(member)} (pid ${child.pid}) exited with ${signal ?? code}; restarting in ${delay} ms\n`);
        setTimeout(() => {
          if (stopping) return;
          void start(member).then(() => member.child && write(`taskbase cluster: ${label(member)} is back (pid ${member.pid}${member.url ? `, ${member.url}` : ''})\n`));
        }, delay).unref();
      });
    });

  await Promise.all(members.map(start));

  const lines = [``, `Taskbase cluster is running (database: PostgreSQL (DATABASE_URL)):`];
  for (const member of members) lines.push(`  ${label(member).padEnd(9)} pid ${String(member.pid).padEnd(7)} ${member.url ?? ''}`.trimEnd());
  if (demo) {
    lines.push(`  Demo workspace "${demo.workspace}": sign in as`);
    for (const user of demo.users) lines.push(`    ${user.role.padEnd(8)} ${user.email}  password: ${demo.password}`);
  }
  write(`${lines.join('\n')}\n\n`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    write(`taskbase cluster: ${signal}, stopping ${members.length} processes\n`);
    const running = members.flatMap((member) => (member.child ? [member.child] : []));
    const exits = running.map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()))));
    for (const child of running) child.kill('SIGTERM');
    const force = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), STOP_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function prepareDatabase(config: Config): Promise<DemoCredentials | undefined> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (config.migrateOnStart) await migrateLatest(database.knex);
    return config.seedDemo ? await seedDemo(database.knex, config) : undefined;
  } finally {
    await database.close();
  }
}
