import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, uniqueEmail } from './support/client.js';
import { runCli, startApiProcess, type ApiProcess } from './support/process.js';

/** `taskbase export` and `taskbase import` against a real server process, through the HTTP API. */
describe('taskbase export / import (the command line)', () => {
  let server: ApiProcess;
  let client: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'tb-cli-transfer-'));

  const register = async (workspaceName: string): Promise<string> => {
    const registered = await client.post('/api/auth/register', { name: 'CLI Admin', email: uniqueEmail('cli'), password: 'correct horse battery', workspaceName });
    expect(registered.status).toBe(201);
    return registered.body.accessToken as string;
  };
  const cli = (args: string[], token: string) => runCli(args, { TASKBASE_URL: server.url, TASKBASE_TOKEN: token });
  const titles = async (token: string): Promise<string[]> =>
    ((await client.get('/api/tasks?limit=100', { token })).body.data as Array<{ title: string }>).map((task) => task.title).sort();

  beforeAll(async () => {
    server = await startApiProcess({ TASKBASE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tb-cli-data-')), DATA_JOBS_INTERVAL: '1', DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('imports a CSV: a dry run reports the bad row by line, stop writes nothing, skip imports the rest', { timeout: 120_000 }, async () => {
    const token = await register('CSV by CLI');
    const csv = join(dir, 'tasks.csv');
    writeFileSync(csv, 'Title,Priority\nFirst from the CLI,high\n,low\nThird from the CLI,medium\n');
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ Title: 'title', Priority: 'priority' }));

    const dry = await cli(['import', csv, '--source', 'csv', '--mapping', mapping, '--dry-run'], token);
    expect(dry.code, dry.output).toBe(1);
    expect(dry.output).toMatch(/line 3, (title|Title): /);
    expect(dry.output).toMatch(/Dry run of .*nothing written/);
    expect(dry.output).toMatch(/checked: 3 records/);
    expect(dry.output).toMatch(/would skip: 1, errors: 1/);
    // Not a terminal: progress comes as plain lines.
    expect(dry.output).toMatch(/^import \w+/m);
    expect(await titles(token)).toEqual([]);

    const stopped = await cli(['import', csv, '--source', 'csv', '--mapping', mapping], token);
    expect(stopped.code, stopped.output).toBe(1);
    expect(stopped.output).toMatch(/line 3/);
    expect(await titles(token)).toEqual([]);

    const skipped = await cli(['import', csv, '--source', 'csv', '--mapping', mapping, '--on-error', 'skip'], token);
    expect(skipped.code, skipped.output).toBe(0);
    expect(skipped.output).toMatch(/created: .*tasks 2/);
    expect(skipped.output).toMatch(/skipped: 1, errors: 1/);
    expect(await titles(token)).toEqual(['First from the CLI', 'Third from the CLI']);
  });

  it('names a bad command line, and explains a refusal', { timeout: 60_000 }, async () => {
    const noSource = await cli(['import', join(dir, 'x.csv')], 'token');
    expect(noSource.code).toBe(2);
    expect(noSource.output).toMatch(/--source must be one of taskbase, csv, trello, asana/);
    const badFormat = await cli(['export', '--out', join(dir, 'x'), '--format', 'xml'], 'token');
    expect(badFormat.code).toBe(2);
    const noToken = await runCli(['export', '--out', join(dir, 'x')], { TASKBASE_URL: server.url });
    expect(noToken.code).toBe(2);
    expect(noToken.output).toMatch(/TASKBASE_TOKEN/);
    writeFileSync(join(dir, 'x.csv'), 'Title\nA\n');
    const refused = await cli(['import', join(dir, 'x.csv'), '--source', 'csv'], 'not-a-token');
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/POST \/api\/imports was refused \(401\)/);
  });
});
