import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@taskbase/sdk';
import { readCsvRows } from '../src/csv-rows.js';
import { importTasks } from '../src/import-tasks.js';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';

const sampleCsv = fileURLToPath(new URL('../data/tasks.csv', import.meta.url));
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
let taskbase: Awaited<ReturnType<typeof startTaskbase>>;

beforeAll(async () => {
  taskbase = await startTaskbase();
});
afterAll(() => taskbase?.stop());

describe('CSV import (sample file)', () => {
  it('creates each task once over two runs and reports bad rows by line number', async () => {
    const { client, email, password } = await newWorkspace(taskbase.url);
    // The people the sample assigns work to, as users of this workspace.
    const { key } = await client.apiKeys.create({ name: 'people' });
    const ids: Record<string, number> = {};
    for (const name of ['milo', 'nina']) {
      const { user } = await createClient({ url: taskbase.url }).auth.embedToken(key, { externalId: name, name, email: `${name}@demo.taskbase.dev` });
      ids[name] = user.id;
    }

    const progress: Array<[number, number]> = [];
    const first = await importTasks(client, await readCsvRows(sampleCsv), { batchSize: 2, onProgress: (done, total) => progress.push([done, total]) });
    expect(first).toMatchObject({ rows: 10, created: 5, updated: 0, unchanged: 0 });
    expect(first.skipped.map(({ line, reason }) => [line, reason])).toEqual([
      [8, 'title is empty'],
      [10, 'dueDate "next tuesday" is not a date (use YYYY-MM-DD)'],
      [11, 'assignee nobody@example.com is not a user of this workspace'],
      [12, 'externalId ACME-101 was already used on line 2'],
    ]);
    expect(first.failed).toEqual([{ line: 9, externalId: 'ACME-106', reason: expect.stringMatching(/^priority /) }]);
    expect(progress.at(-1)).toEqual([10, 10]);
    expect(progress.length).toBe(4); // the skipped rows, then three batches of up to two

    // The second run is the one command a person types; nothing is created twice.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', sampleCsv], {
      cwd: exampleDir,
      env: { ...process.env, TASKBASE_URL: taskbase.url, TASKBASE_EMAIL: email, TASKBASE_PASSWORD: password },
    });
    expect(stdout).toContain('10 rows: 0 created, 0 updated, 5 unchanged, 4 skipped, 1 failed');
    expect(stdout).toContain('  line 8: skipped: title is empty\n  line 9: failed: priority must be one of: low, medium, high, urgent\n  line 10: skipped');
    expect(stdout).toContain('line 12: skipped: externalId ACME-101 was already used on line 2');
    expect(stdout).toMatch(/Workload \(whole workspace\): 4 open/);
    expect(stdout).toMatch(/milo\s+2\s+0\s+0/);

    const tasks = [];
    for await (const task of client.tasks.iterate()) tasks.push(task);
    expect(tasks.map((t) => t.externalId).sort()).toEqual(['ACME-101', 'ACME-102', 'ACME-103', 'ACME-104', 'ACME-109']);
    const byExternalId = new Map(tasks.map((t) => [t.externalId, t]));
    expect(byExternalId.get('ACME-101')).toMatchObject({ title: 'Draft the onboarding checklist', priority: 'high', assignedTo: ids.milo });
    expect(byExternalId.get('ACME-103')!.description).toBe("Broker asked for:\n- last year's claims\n- the new floor plan");
    expect(byExternalId.get('ACME-103')!.dueDate).toBe('2030-01-15T00:00:00.000Z');
  });
});
