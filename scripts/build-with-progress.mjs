#!/usr/bin/env node
// `npm start`'s build step: the same turbo build, one package at a time in
// dependency order, with a line per package, so a first start (a minute of
// compiling on a small machine) is not silent. Later starts replay turbo's
// cache and say so.
//
//   node scripts/build-with-progress.mjs @taskbase/core-api @taskbase/widgets …
import { spawn, spawnSync } from 'node:child_process';

const targets = process.argv.slice(2);
const TURBO = ['--no-install', 'turbo', 'run', 'build'];

/** The build tasks the targets need, dependencies first, and whether turbo's cache has each (from a dry run). */
function plan() {
  const dry = spawnSync('npx', [...TURBO, ...targets.map((t) => `--filter=${t}`), '--dry-run=json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (dry.status !== 0) throw new Error(`turbo --dry-run failed:\n${dry.stderr}`);
  const tasks = new Map(
    JSON.parse(dry.stdout).tasks.map((task) => [task.package, { cached: task.cache?.status === 'HIT', needs: task.dependencies.map((id) => id.replace(/#build$/, '')) }]),
  );
  const order = [];
  const visit = (name) => {
    if (order.some((step) => step.name === name) || !tasks.has(name)) return;
    for (const dependency of tasks.get(name).needs) visit(dependency);
    order.push({ name, cached: tasks.get(name).cached });
  };
  for (const name of tasks.keys()) visit(name);
  return order;
}

/** Builds one package; its dependencies are built already, so turbo replays them from cache. A failure prints its logs. */
function build(name) {
  return new Promise((resolve) => {
    spawn('npx', [...TURBO, `--filter=${name}`, '--output-logs=errors-only'], { stdio: ['ignore', 'ignore', 'inherit'] }).on('close', resolve);
  });
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const started = Date.now();
const steps = plan();
const toBuild = steps.filter((step) => !step.cached).length;
console.log(toBuild ? `Building Taskbase: ${toBuild} of ${steps.length} packages to build (a first start builds all of them, which can take a minute)` : 'Taskbase is built');
for (const { name, cached } of steps) {
  process.stdout.write(cached ? `  ${name}: ` : `  building ${name}… `);
  const stepStarted = Date.now();
  const code = await build(name);
  if (code !== 0) {
    console.log('failed');
    process.exit(code ?? 1);
  }
  console.log(cached ? 'up to date' : `done (${seconds(stepStarted)})`);
}
console.log(`Ready in ${seconds(started)}. Starting the server…`);
