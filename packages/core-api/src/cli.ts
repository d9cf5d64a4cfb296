#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { parseClusterArgs, runCluster, type ReadyMessage } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { migrateLatest, openDatabase } from './db/database.js';
import { seedDemo } from './db/seed.js';
import { createAdmin } from './createAdmin.js';
import { COMMANDS, COMMANDS_USAGE, runCommand } from './cli/index.js';
import { DomainError } from './domain/errors.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { startWorker } from './worker.js';

const USAGE = `Usage: taskbase <command>

Commands:
  start     migrate, seed the demo workspace when the database is empty, and serve
  migrate   apply pending migrations and exit
  seed      add the demo workspace when the database is empty, and exit
  worker    run only the webhook delivery worker (no HTTP server)
  create-admin --email E --name N [--workspace W]
            make a workspace and its first admin (works with ALLOW_SIGNUP=false);
            the password is read from TASKBASE_ADMIN_PASSWORD, or made up and printed
  cluster   [--api N] [--workers M]  run N API processes (ports PORT, PORT+1, …) and
            M webhook workers on one PostgreSQL, restarting any that dies
${COMMANDS_USAGE}`;

/** Under `taskbase cluster` (forked with an IPC channel): report readiness, and stop when the supervisor is gone. */
function reportToSupervisor(ready: ReadyMessage, stop: (reason: string) => void): void {
  if (!process.send) return;
  process.send(ready);
  process.once('disconnect', () => stop('supervisor gone'));
}

async function main(command: string | undefined): Promise<void> {
  // Backups, restores, exports and imports (src/cli/): each reads only the settings it needs.
  if (command && Object.hasOwn(COMMANDS, command)) {
    process.exitCode = await runCommand(command, process.argv.slice(3), USAGE);
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  switch (command) {
    case 'start': {
      const running = await startServer(config, { logger });
      const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
      const lines = [``, `Taskbase is running at ${running.url}  (database: ${where})`, `  API reference: ${running.url}/docs`];
      if (running.demo) {
        lines.push(`  Demo workspace "${running.demo.workspace}": sign in as`);
        for (const user of running.demo.users) {
          lines.push(`    ${user.role.padEnd(8)} ${user.email}  password: ${running.demo.password}`);
        }
      }
      // One write, so whoever reads the banner sees all of it at once.
      process.stdout.write(`${lines.join('\n')}\n\n`);
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      reportToSupervisor({ type: 'taskbase:ready', url: running.url }, shutdown);
      return;
    }
    case 'worker': {
      const worker = await startWorker(config, logger);
      process.stdout.write('Taskbase webhook worker is running\n');
      const stop = (signal: string) => {
        logger.info({ signal }, 'worker shutting down');
        worker.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'worker shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      reportToSupervisor({ type: 'taskbase:ready' }, stop);
      return;
    }
    case 'cluster':
      return runCluster(config, parseClusterArgs(process.argv.slice(3)), fileURLToPath(import.meta.url), (text) => process.stdout.write(text));
    case 'create-admin': {
      const created = await createAdmin(config, logger, process.argv.slice(3), process.env.TASKBASE_ADMIN_PASSWORD);
      process.stdout.write(`Created workspace "${created.workspace}" with admin ${created.email}${created.password ? `  password: ${created.password}` : ''}\n`);
      return;
    }
    case 'migrate':
    case 'seed': {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrateLatest(database.knex);
        process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
        if (command === 'seed') {
          const demo = await seedDemo(database.knex, config);
          process.stdout.write(demo ? `Seeded the demo workspace; password for every demo user: ${demo.password}\n` : 'Database is not empty; nothing seeded.\n');
        }
      } finally {
        await database.close();
      }
      return;
    }
    default:
      process.stdout.write(USAGE);
      process.exitCode = command ? 2 : 0;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof DomainError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(75);
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
