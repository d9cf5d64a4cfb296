import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient, uniqueEmail } from './support/client.js';
import { runCli, startApiProcess } from './support/process.js';
import { databaseMode, startTestServer } from './support/server.js';

const PASSWORD = 'correct horse battery';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function register(client: TestClient, workspaceName: string): Promise<{ email: string; token: string }> {
  const email = uniqueEmail('backup');
  const registered = await client.post('/api/auth/register', { name: 'Backup Admin', email, password: PASSWORD, workspaceName });
  if (registered.status !== 201) throw new Error(JSON.stringify(registered.body));
  return { email, token: registered.body.accessToken as string };
}

/** Every task of the caller's workspace with its comments: counts, and a hash of their content. */
/** Every task of the caller's workspace, page by page. */
async function allTasks(client: TestClient, token: string): Promise<any[]> {
  const tasks: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get(`/api/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (page.status !== 200) throw new Error(JSON.stringify(page.body));
    tasks.push(...page.body.data);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return tasks;
}

async function snapshot(client: TestClient, token: string): Promise<{ tasks: number; comments: number; hash: string }> {
  const tasks = await allTasks(client, token);
  tasks.sort((a, b) => a.id - b.id);
  const hash = createHash('sha256');
  let comments = 0;
  for (const task of tasks) {
    const { id, identifier, title, description, status, priority, dueDate, assignedTo, createdAt, updatedAt, version } = task;
    hash.update(JSON.stringify({ id, identifier, title, description, status, priority, dueDate, assignedTo, createdAt, updatedAt, version }));
    const listed = await client.get(`/api/tasks/${task.id}/comments?limit=100`, { token });
    for (const comment of listed.body.data) {
      comments += 1;
      hash.update(JSON.stringify({ id: comment.id, body: comment.comment ?? comment.body, createdAt: comment.createdAt }));
    }
  }
  return { tasks: tasks.length, comments, hash: hash.digest('hex') };
}

describe('taskbase backup and restore (the runbook in docs/operations.md)', () => {
  // Three processes each open an embedded database (two migrate a fresh one): slow on a busy 2-core machine.
  it('backs up a running embedded server while it serves requests, and restores it to an identical workspace', { timeout: 420_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tb-backup-'));
    const port = String(await freePort());
    // The server's environment; `taskbase backup` runs with the same one.
    const env = { TASKBASE_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: port, BACKUP_TOKEN: 'operator-backup-secret-0123456789', DUE_REMINDERS_INTERVAL: '0' };
    const server = await startApiProcess(env);
    const backupFile = join(mkdtempSync(join(tmpdir(), 'tb-backup-file-')), 'taskbase-backup.tar.gz');
    const restoredDir = join(mkdtempSync(join(tmpdir(), 'tb-restore-')), 'data');
    let restored: Awaited<ReturnType<typeof startApiProcess>> | undefined;
    try {
      const client = new TestClient(server.url);
      // Workspace A: compared after the restore. Workspace B: written to while the backup is taken.
      const a = await register(client, 'Backed up');
      for (let batch = 0; batch < 2; batch += 1) {
        const items = Array.from({ length: 100 }, (_, i) => ({ title: `Task ${batch * 100 + i}`, description: `Body ${i} ✓`, priority: ['low', 'medium', 'high'][i % 3] }));
        const bulk = await client.post('/api/tasks/bulk', { items }, { token: a.token });
        expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
        for (const result of bulk.body.results.slice(0, 25)) {
          expect((await client.post(`/api/tasks/${result.task.id}/comments`, { comment: `A comment on ${result.task.id}` }, { token: a.token })).status).toBe(201);
        }
      }
      const before = await snapshot(client, a.token);
      expect(before).toMatchObject({ tasks: 200, comments: 50 });
      const b = await register(client, 'Busy');

      // Requests keep coming while the backup runs: B's writes and A's reads, timed.
      let running = true;
      let acknowledged = 0;
      const latencies: number[] = [];
      const load = (async () => {
        for (let i = 0; running; i += 1) {
          const started = performance.now();
          const created = await client.post('/api/tasks', { title: `Written during the backup ${i}` }, { token: b.token });
          expect(created.status).toBe(201);
          acknowledged += 1;
          expect((await client.get('/api/tasks?limit=20', { token: a.token })).status).toBe(200);
          latencies.push(performance.now() - started);
        }
      })();
      while (acknowledged < 5) await new Promise((resolve) => setImmediate(resolve));
      const acknowledgedBefore = acknowledged;
      const backup = await runCli(['backup', '--out', backupFile], env);
      const acknowledgedAfter = acknowledged;
      running = false;
      await load;
      expect(backup.code, backup.output).toBe(0);
      const paused = Number(/paused for (\d+) ms/.exec(backup.output)?.[1]);
      console.log(`backup: ${backup.output.trim()}; requests during it: ${latencies.length}, slowest ${Math.round(Math.max(...latencies))} ms`);
      expect(paused).toBeLessThan(5000);
      expect(existsSync(backupFile)).toBe(true);
      expect(readdirSync(join(backupFile, '..'))).toEqual(['taskbase-backup.tar.gz']); // no partial file left

      // A non-empty folder is refused (the running server's, for one); a missing one is made.
      const refused = await runCli(['restore', backupFile, '--data-dir', dataDir], {});
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/not empty/);
      const restore = await runCli(['restore', backupFile, '--data-dir', restoredDir], {});
      expect(restore.code, restore.output).toBe(0);

      restored = await startApiProcess({ TASKBASE_DATA_DIR: restoredDir, DUE_REMINDERS_INTERVAL: '0' });
      const again = new TestClient(restored.url);
      const login = await again.post('/api/auth/login', { email: a.email, password: PASSWORD });
      expect(login.status).toBe(200);
      expect(await snapshot(again, login.body.accessToken)).toEqual(before);
      // B: every write acknowledged before the backup began is there, none after it ended; each whole.
      const busy = await again.post('/api/auth/login', { email: b.email, password: PASSWORD });
      // All of them: an idle machine writes hundreds while the backup runs.
      const titles = new Set((await allTasks(again, busy.body.accessToken)).map((task) => task.title));
      for (let i = 0; i < acknowledgedBefore; i += 1) expect(titles.has(`Written during the backup ${i}`)).toBe(true);
      expect(titles.size).toBeLessThanOrEqual(acknowledgedAfter + 1);
    } finally {
      await restored?.stop();
      await server.stop();
    }
  });

  it('refuses a backup without the operator token, or when BACKUP_TOKEN is unset', { timeout: 120_000 }, async () => {
    // In process, on the test database: the endpoint reads BACKUP_TOKEN when the app is built.
    process.env.BACKUP_TOKEN = 'operator-backup-secret-0123456789';
    const server = await startTestServer().finally(() => delete process.env.BACKUP_TOKEN);
    const off = await startTestServer();
    try {
      const client = new TestClient(server.url);
      const admin = await register(client, 'Not an operator');
      // A workspace admin is not the operator: a backup holds every workspace.
      for (const token of [undefined, admin.token, 'operator-backup-secret-012345678X', 'short']) {
        const response = await fetch(`${server.url}/backup`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      }
      const file = join(mkdtempSync(join(tmpdir(), 'tb-backup-auth-')), 'x.tar.gz');
      const wrong = await runCli(['backup', '--out', file, '--url', server.url], { BACKUP_TOKEN: 'operator-backup-secret-wrong-0000' });
      expect(wrong.code).toBe(1);
      expect(wrong.output).toMatch(/refused the backup \(401\)/);
      expect(existsSync(file)).toBe(false);
      // The operator's token: a dump of the embedded database; on PostgreSQL, pg_dump is the tool.
      const taken = await fetch(`${server.url}/backup`, { method: 'POST', headers: { authorization: 'Bearer operator-backup-secret-0123456789' } });
      if (databaseMode() === 'embedded') {
        expect(taken.status).toBe(200);
        expect(taken.headers.get('content-type')).toBe('application/gzip');
        expect(Buffer.from(await taken.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      } else {
        expect(taken.status).toBe(409);
        expect(((await taken.json()) as { detail: string }).detail).toMatch(/pg_dump/);
      }
      const unset = await fetch(`${off.url}/backup`, { method: 'POST', headers: { authorization: 'Bearer operator-backup-secret-0123456789' } });
      expect(unset.status).toBe(404);
    } finally {
      await server.close();
      await off.close();
    }
  });

  it('on PostgreSQL, says to use pg_dump and prints the command with the password masked', { timeout: 60_000 }, async () => {
    const result = await runCli(['backup', '--out', '/tmp/taskbase.dump'], { DATABASE_URL: 'postgres://taskbase:s3cret-pass@db.internal:5433/taskbase' });
    expect(result.code).toBe(3);
    expect(result.output).toContain("pg_dump --format=custom --file=/tmp/taskbase.dump 'postgres://taskbase:****@db.internal:5433/taskbase'");
    expect(result.output).not.toContain('s3cret-pass');
    expect(result.output).toMatch(/pg_restore/);
  });

  it('refuses a file that is not a backup, and names what is missing on the command line', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-restore-bad-'));
    writeFileSync(join(dir, 'not-a-backup.tar.gz'), 'hello');
    const bad = await runCli(['restore', join(dir, 'not-a-backup.tar.gz'), '--data-dir', join(dir, 'new')], {});
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/not a Taskbase backup/);
    const usage = await runCli(['backup'], {});
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/--out FILE/);
  });
});
