import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, uniqueEmail } from './support/client.js';
import { runCli, startApiProcess, type ApiProcess } from './support/process.js';

/** `taskbase export` and `taskbase import` against a real server process, through the HTTP API. */
describe('taskbase export (the command line), and its archive imported by taskbase import', () => {
  let server: ApiProcess;
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'tb-cli-transfer-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-cli-data-'));

  const register = async (workspaceName: string): Promise<string> => {
    const registered = await client.post('/api/auth/register', { name: 'CLI Admin', email: uniqueEmail('cli'), password: 'correct horse battery', workspaceName });
    expect(registered.status).toBe(201);
    return registered.body.accessToken as string;
  };
  const cli = (args: string[], token: string) => runCli(args, { TASKBASE_URL: server.url, TASKBASE_TOKEN: token });
  const titles = async (token: string): Promise<string[]> =>
    ((await client.get('/api/tasks?limit=100', { token })).body.data as Array<{ title: string }>).map((task) => task.title).sort();

  beforeAll(async () => {
    server = await startApiProcess({ TASKBASE_DATA_DIR: dataDir, DATA_JOBS_INTERVAL: '1', DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('exports the workspace (JSON archive and CSV) and imports the archive into another one', { timeout: 180_000 }, async () => {
    const token = await register('Exported by CLI');
    const items = Array.from({ length: 30 }, (_, i) => ({ title: `Exported ${String(i).padStart(2, '0')}`, priority: ['low', 'medium', 'high'][i % 3] }));
    expect((await client.post('/api/tasks/bulk', { items }, { token })).status).toBe(200);

    const csv = join(dir, 'tasks.export.csv');
    const csvRun = await cli(['export', '--out', csv, '--format', 'csv'], token);
    expect(csvRun.code, csvRun.output).toBe(0);
    expect(csvRun.output).toMatch(/Exported to .*tasks\.export\.csv \(csv/);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows.length).toBe(31);

    const archive = join(dir, 'workspace.zip');
    const jsonRun = await cli(['export', '--out', archive], token);
    expect(jsonRun.code, jsonRun.output).toBe(0);
    expect(readFileSync(archive).subarray(0, 2).toString()).toBe('PK');

    const target = await register('Imported by CLI');
    const imported = await cli(['import', archive, '--source', 'taskbase'], target);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toMatch(/created: .*tasks 30/);
    expect(await titles(target)).toEqual(items.map((item) => item.title).sort());
    // Again: linked records are not made twice.
    const again = await cli(['import', archive, '--source', 'taskbase'], target);
    expect(again.code, again.output).toBe(0);
    expect((await titles(target)).length).toBe(30);
  });

  it('exports in process from a data folder no server holds (--data-dir), and refuses a running server\'s', { timeout: 120_000 }, async () => {
    const token = await register('Exported in process');
    const items = Array.from({ length: 12 }, (_, i) => ({ title: `Local ${i}` }));
    expect((await client.post('/api/tasks/bulk', { items }, { token })).status).toBe(200);
    const out = join(dir, 'local.csv');
    const held = await runCli(['export', '--data-dir', dataDir, '--workspace', 'Exported in process', '--out', out, '--format', 'csv'], {});
    expect(held.code).toBe(75);
    expect(held.output).toMatch(/is in use by process/);

    await server.stop();
    const missing = await runCli(['export', '--data-dir', dataDir, '--out', out], {});
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/--workspace/);
    const local = await runCli(['export', '--data-dir', dataDir, '--workspace', 'Exported in process', '--out', out, '--format', 'csv'], {});
    expect(local.code, local.output).toBe(0);
    expect(local.output).toMatch(/Exported workspace "Exported in process" .* tasks 12/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(13);
    const archive = await runCli(['export', '--data-dir', dataDir, '--workspace', 'Exported in process', '--out', join(dir, 'local.zip')], {});
    expect(archive.code, archive.output).toBe(0);
    expect(readFileSync(join(dir, 'local.zip')).subarray(0, 2).toString()).toBe('PK');
  });
});
