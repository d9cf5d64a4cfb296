import { DataJobRunner, type RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

/** client.imports: create (a File, Blob or bytes with its options), get, list, cancel, against a real core-api. */
describe(`imports (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let client: TaskbaseClient;
  let runner: DataJobRunner;

  beforeAll(async () => {
    // Jobs run here, by a runner of this workspace's alone (a shared PostgreSQL holds other suites' jobs too).
    server = await startTestServer({ DATA_JOBS_INTERVAL: '0' });
    const signedUp = await adminClient(server.url);
    client = signedUp.client;
    runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, signedUp.session.user.workspaceId);
    runner.handle('import', server.services.imports.handle);
  });
  afterAll(() => server.close());

  it('imports a CSV with a mapping, skipping a bad row, and reports it by line', async () => {
    const csv = new File(['Summary,Priority\nShip it,High\nTest it,extreme\nDocument it,low\n'], 'tasks.csv');
    const started = await client.imports.create(csv, { source: 'csv', mapping: { Summary: 'title', Priority: 'priority' }, onError: 'skip' });
    expect(started).toMatchObject({ kind: 'import', status: 'queued', params: { source: 'csv', onError: 'skip', dryRun: false } });
    await runner.runOnce();
    const job = await client.imports.get(started.id);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ created: { tasks: 2 }, errorCount: 1, errors: [{ line: 3, field: 'Priority' }] });
    const listed = await client.imports.list({ limit: 10 });
    expect(listed.data.map((j) => j.id)).toContain(started.id);
    const all = [];
    for await (const item of client.imports.iterate()) all.push(item.id);
    expect(all).toContain(started.id);
  });

  it('cancels one, and names a bad option', async () => {
    const job = await client.imports.create(new TextEncoder().encode('Title\nLater\n'), { source: 'csv', mapping: { Title: 'title' }, dryRun: true });
    expect((await client.imports.cancel(job.id)).status).toBe('cancelled');
    await runner.runOnce();
    expect((await client.imports.get(job.id)).status).toBe('cancelled');
    const refused = await client.imports.create(new Blob(['Title\nx\n']), { source: 'csv' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problem?.errors?.map((e) => e.path)).toEqual(['mapping']);
  });
});
