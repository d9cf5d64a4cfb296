import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { testEnvironment } from '../src/testing.js';
import { JWT_SECRET, databaseMode, scratchDatabase } from './support/server.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A running `taskbase cluster`: its output, and its children as the banner (and later restarts) name them. */
class Cluster {
  output = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  static async start(args: string[], env: Record<string, string>): Promise<Cluster> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build core-api first (turbo does it before tests)`);
    const child = spawn(process.execPath, [CLI, 'cluster', ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const cluster = new Cluster(child);
    await cluster.until(() => cluster.output.includes('Taskbase cluster is running'), 60_000, 'the cluster banner');
    return cluster;
  }

  /** The latest URL and pid printed for `api N` (the banner, or a restart's "is back" line). */
  api(index: number): { pid: number; url: string } {
    const banner = [...this.output.matchAll(new RegExp(`^  api ${index} +pid (\\d+) +(http\\S+)`, 'gm'))].map((m) => [m[1], m[2]]);
    const back = [...this.output.matchAll(new RegExp(`api ${index} is back \\(pid (\\d+), (http\\S+)\\)`, 'g'))].map((m) => [m[1], m[2]]);
    const [pid, url] = [...banner, ...back].at(-1)!;
    return { pid: Number(pid), url: url! };
  }

  workerPids(): number[] {
    return [...this.output.matchAll(/^ {2}worker \d +pid (\d+)/gm)].map((m) => Number(m[1]));
  }

  async until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (this.child.exitCode !== null) throw new Error(`the cluster exited (${this.child.exitCode}) before ${what}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}

const metric = async (url: string, name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);
const byNumber = (a: number, b: number) => a - b;
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(databaseMode() === 'postgres')('taskbase cluster: 2 API processes + 2 webhook workers (PostgreSQL only)', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let direct: Database;
  let cluster: Cluster;
  let receiver: Receiver;
  let team: Team;
  const via = (index: number) => new TestClient(cluster.api(index).url);

  beforeAll(async () => {
    database = await scratchDatabase('cluster');
    direct = await openDatabase({ databaseUrl: database.url, poolMax: 2 });
    receiver = await Receiver.start();
    cluster = await Cluster.start(['--api', '2', '--workers', '2'], testEnvironment({
      ...WEBHOOK_TEST_ENV,
      DATABASE_URL: database.url,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      DUE_REMINDERS_INTERVAL: '1',
    }));
    team = await createTeam(via(1), 'Cluster');
  }, 120_000);

  afterAll(async () => {
    const pids = cluster ? [cluster.api(1).pid, cluster.api(2).pid, ...cluster.workerPids()] : [];
    expect(await cluster?.stop()).toBe(0);
    // SIGTERM to the supervisor stops every child it started.
    expect(pids.filter(isAlive)).toEqual([]);
    await receiver?.close();
    await direct?.close();
    await database?.drop();
  }, 60_000);

  it('prints every process, and refuses to run on the embedded database', async () => {
    expect(cluster.workerPids()).toHaveLength(2);
    expect(cluster.api(1).url).not.toBe(cluster.api(2).url);
    const embedded = spawn(process.execPath, [CLI, 'cluster'], { env: { PATH: process.env.PATH, NODE_ENV: 'test' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    embedded.stderr!.on('data', (chunk) => (stderr += chunk));
    expect(await new Promise((resolve) => embedded.once('exit', resolve))).toBe(78);
    expect(stderr).toMatch(/DATABASE_URL is required/);
  });

  it('delivers a change made through one API process to subscribers of the other', async () => {
    const on2 = await TestSocket.subscribed(cluster.api(2).url, team.member.token, ['tasks']);
    const on1 = await TestSocket.subscribed(cluster.api(1).url, team.member.token, ['tasks']);
    try {
      const a = await via(1).post('/api/tasks', { title: 'Made on api 1' }, { token: team.manager.token });
      const b = await via(2).post('/api/tasks', { title: 'Made on api 2' }, { token: team.manager.token });
      expect((await on2.events(1, (f) => f.taskId === a.body.id))[0].event).toBe('task.created');
      expect((await on1.events(1, (f) => f.taskId === b.body.id))[0].event).toBe('task.created');
    } finally {
      on1.close();
      on2.close();
    }
  });

  it('sends each webhook attempt once, with two workers sharing the queue', async () => {
    const hook = await via(2).post('/api/webhooks', { url: `${receiver.url}/once`, eventTypes: ['task.created'] }, { token: team.admin.token });
    expect(hook.status).toBe(201);
    // The first attempt of every third message fails, so retries are claimed too.
    const firstSeen = new Map<string, number>();
    receiver.reply('/once', (request) => {
      const id = String(request.headers['webhook-id']);
      if (firstSeen.has(id)) return { status: 200 };
      firstSeen.set(id, firstSeen.size + 1);
      return { status: firstSeen.size % 3 === 0 ? 500 : 200 };
    });
    const count = 45;
    await Promise.all(Array.from({ length: count }, (_, i) => via(1 + (i % 2)).post('/api/tasks', { title: `Hook ${i}` }, { token: team.manager.token })));
    const list = await eventually(async () => {
      const page = await via(1).get(`/api/webhooks/${hook.body.endpoint.id}/deliveries?limit=100`, { token: team.admin.token });
      return page.body.data.length === count && page.body.data.every((d: { status: string }) => d.status === 'succeeded') && page.body.data;
    }, 45_000, 'every delivery to succeed');
    const sent = new Map<string, number>();
    for (const request of receiver.on('/once')) sent.set(String(request.headers['webhook-id']), (sent.get(String(request.headers['webhook-id'])) ?? 0) + 1);
    for (const delivery of list) expect(sent.get(delivery.messageId), delivery.messageId).toBe(delivery.attemptCount);
    expect(list.filter((d: { attemptCount: number }) => d.attemptCount === 2)).toHaveLength(count / 3);
  }, 60_000);

  it('notifies of an overdue task once, though every API process runs the reminder job', async () => {
    const task = await via(1).post('/api/tasks', { title: 'Late', assignedTo: team.member.id, dueDate: new Date(Date.now() - 3_600_000).toISOString() }, { token: team.manager.token });
    expect(task.status).toBe(201);
    const overdue = async () =>
      (await via(2).get('/api/notifications?limit=100', { token: team.member.token })).body.data.filter(
        (n: { type: string; taskId: number }) => n.type === 'task.overdue' && n.taskId === task.body.id,
      );
    await eventually(async () => (await overdue()).length > 0, 20_000, 'the overdue notification');
    // Both processes have run the job at least twice more since: still one notification.
    const runs = async () => Promise.all([1, 2].map((i) => metric(cluster.api(i).url, 'taskbase_due_reminder_runs_total')));
    const seen = await runs();
    expect(seen.every((n) => n >= 1)).toBe(true);
    await eventually(async () => (await runs()).every((n, i) => n >= seen[i]! + 2), 20_000, 'two more reminder runs in each process');
    expect(await overdue()).toHaveLength(1);
  }, 60_000);

  it('loses no acknowledged write when an API process is killed -9 mid-burst, and the supervisor restarts it', async () => {
    const victim = cluster.api(1);
    const client = via(1);
    const created: number[] = [];
    let failed = 0;
    let sent = 0;
    const total = 400;
    const burst = async () => {
      while (sent < total) {
        const i = sent++;
        try {
          const response = await client.post('/api/tasks', { title: `Burst ${i}` }, { token: team.manager.token });
          if (response.status === 201) created.push(response.body.id);
          else failed += 1;
        } catch {
          failed += 1; // the connection died with the process
        }
        if (created.length === 40 && isAlive(victim.pid)) process.kill(victim.pid, 'SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: 16 }, burst));
    expect(created.length).toBeGreaterThanOrEqual(40);
    expect(failed).toBeGreaterThan(0);

    // Every acknowledged task is stored, each with exactly one task.created event.
    const stored = await direct.knex('tasks').whereIn('id', created).pluck('id');
    expect(stored.sort(byNumber)).toEqual([...created].sort(byNumber));
    // None half-made: every burst task that committed (acknowledged or not) has its event, and no event lacks its task.
    const tasks = (await direct.knex('tasks').where({ workspaceId: team.workspaceId }).where('title', 'like', 'Burst %').pluck('id')).map(Number);
    const events = (await direct.knex('events').where({ workspaceId: team.workspaceId, type: 'task.created' }).whereIn('taskId', tasks).select('taskId')).map((row: { taskId: number }) => row.taskId);
    expect(events.sort(byNumber)).toEqual([...tasks].sort(byNumber));
    const orphans = await direct.knex('events as e').where({ 'e.workspaceId': team.workspaceId, 'e.type': 'task.created' }).whereNotExists(direct.knex('tasks as t').whereRaw('t.id = e.task_id'));
    expect(orphans).toEqual([]);

    // The supervisor brings api 1 back, and it serves the same data.
    await cluster.until(() => cluster.api(1).pid !== victim.pid, 60_000, 'api 1 to be restarted');
    expect(cluster.output).toMatch(/api 1 \(pid \d+\) exited with SIGKILL; restarting/);
    const revived = via(1);
    expect((await revived.get('/readyz')).status).toBe(200);
    const one = await revived.get(`/api/tasks/${created[0]}`, { token: team.member.token });
    expect(one.status).toBe(200);
  }, 120_000);
});
