import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ZipArchive } from 'archiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { importForm } from './support/imports.js';
import { databaseMode, startTestServer } from './support/server.js';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`./fixtures/imports/${name}`, import.meta.url)));

/** A zip of the given entries, in memory (small test archives only). */
async function zip(entries: Record<string, string>): Promise<Buffer> {
  const archive = new ZipArchive();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (const [name, text] of Object.entries(entries)) archive.append(text, { name });
  await archive.finalize();
  return Buffer.concat(chunks);
}

describe(`POST /api/imports/preview (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer({ IMPORT_MAX_BYTES: String(64 * 1024) });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Preview');
  });
  afterAll(async () => {
    await server.close();
  });

  const preview = async (bytes: Uint8Array | string, fields: Record<string, string>, token = team.admin.token) =>
    client.post('/api/imports/preview', undefined, { token, ...(await importForm(bytes, fields)) });

  it('answers a CSV’s columns, first five rows, row count and a mapping guessed from its header', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `${i + 1},Task ${i + 1},ada@example.com,2026-01-0${i + 1},Done`);
    const response = await preview(`\uFEFFIssue key,Summary,Assignee,Due date,Section/Column,Story points\r\n${rows.join('\r\n')}\r\n`, { source: 'csv' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      columns: ['Issue key', 'Summary', 'Assignee', 'Due date', 'Section/Column', 'Story points'],
      sample: rows.slice(0, 5).map((row) => [...row.split(','), '']),
      rows: 7,
      suggested: { 'Issue key': 'externalId', Summary: 'title', Assignee: 'assigneeEmail', 'Due date': 'dueDate', 'Section/Column': 'status', 'Story points': 'ignore' },
    });
  });

  it('suggests Asana’s and semicolon files’ columns, and leaves a name-only assignee column out', async () => {
    const asana = await preview(await fixture('asana-export.csv'), { source: 'csv' });
    expect(asana.body.suggested).toMatchObject({ 'Task ID': 'externalId', Name: 'title', Notes: 'description', 'Section/Column': 'status', 'Assignee Email': 'assigneeEmail', Assignee: 'ignore', Tags: 'labels', 'Due Date': 'dueDate', 'Parent task': 'parentExternalId', 'Created At': 'createdAt' });
    expect(asana.body.rows).toBe(5);
    const semicolons = await preview(await fixture('tasks-semicolon.csv'), { source: 'csv' });
    expect(semicolons.body).toMatchObject({ columns: ['id', 'title', 'due', 'priority', 'labels'], rows: 3, suggested: { id: 'externalId', title: 'title', due: 'dueDate', priority: 'priority', labels: 'labels' } });
  });

  it('counts the tasks of a Trello board, an Asana export and a Taskbase export', async () => {
    expect((await preview(await fixture('trello-board.json'), { source: 'trello' })).body).toEqual({ columns: [], sample: [], rows: 6, suggested: {} });
    expect((await preview(await fixture('asana-export.csv'), { source: 'asana' })).body).toEqual({ columns: [], sample: [], rows: 3, suggested: {} });
    const archive = await zip({ 'index.json': JSON.stringify({ format: 'taskbase-export', version: 1, counts: { tasks: 42 } }), 'tasks.ndjson': '' });
    expect((await preview(archive, { source: 'taskbase' })).body).toEqual({ columns: [], sample: [], rows: 42, suggested: {} });
  });

  it('refuses what it cannot read with a problem naming the field', async () => {
    const cases: Array<[Uint8Array | string, Record<string, string>, number, string]> = [
      ['title\nx\n', {}, 422, 'source'],
      ['title\nx\n', { source: 'jira' }, 422, 'source'],
      ['', { source: 'csv' }, 422, 'file'],
      ['{"nope": true}', { source: 'trello' }, 422, 'file'],
      ['title\nx\n', { source: 'taskbase' }, 422, 'file'],
      [await zip({ 'other.json': '{}' }), { source: 'taskbase' }, 422, 'file'],
      ['Name\nx\n', { source: 'asana' }, 422, 'file'],
      ['x'.repeat(70 * 1024), { source: 'csv' }, 413, 'file'],
    ];
    for (const [bytes, fields, status, field] of cases) {
      const response = await preview(bytes, fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(isProblem(response)).toBe(true);
      expect(response.body.errors?.map((e: { path: string }) => e.path)).toContain(field);
    }
  });

  it('is for admins only, and takes only multipart/form-data', async () => {
    for (const member of [team.manager, team.member]) expect((await preview('title\nx\n', { source: 'csv' }, member.token)).status).toBe(403);
    expect((await client.post('/api/imports/preview', { source: 'csv' }, { token: team.admin.token })).status).toBe(415);
  });
});
