import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam } from './support/client.js';
import { runImport } from './support/imports.js';
import { databaseMode, startTestServer } from './support/server.js';

const fixture = (name: string) => readFile(fileURLToPath(new URL(`./fixtures/imports/${name}`, import.meta.url)));

/**
 * The CSV, Trello and Asana fixtures (test/fixtures/imports, written from the
 * documented formats) imported over HTTP into fresh workspaces: what each
 * source's parts become, and bad rows reported by line and skipped only
 * when asked.
 */
describe(`imports from CSV, Trello and Asana (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const tasksOf = async (token: string) => (await client.get('/api/tasks?limit=100', { token })).body.data as any[];

  it('a CSV with bad rows: a dry run and onError=stop report them by line and write nothing; onError=skip imports the rest', async () => {
    const team = await createTeam(client, 'CSV import');
    const token = team.admin.token;
    const project = (await client.post('/api/projects', { key: 'DOC', name: 'Docs' }, { token })).body;
    await client.post('/api/fields', { key: 'story_points', name: 'Story points', type: 'number' }, { token });
    const mapping = JSON.stringify({ Key: 'externalId', Summary: 'title', Description: 'description', Status: 'status', Priority: 'priority', Assignee: 'assigneeEmail', 'Due date': 'dueDate', Labels: 'labels', Parent: 'parentExternalId', 'Story points': 'fields.story_points' });
    const form = (extra: Record<string, string>) => ({ source: 'csv', projectId: String(project.id), mapping, ...extra });
    const file = await fixture('tasks.csv');

    const dry = await runImport(server, client, token, team.workspaceId, file, form({ dryRun: 'true' }));
    expect(dry.result.errors.map((e: any) => `${e.line} ${e.field}`).sort()).toEqual(['5 Summary', '6 Due date', '6 Priority', '7 Key']);
    const stopped = await runImport(server, client, token, team.workspaceId, file, form({}));
    expect(stopped.status).toBe('failed');
    expect(await tasksOf(token)).toEqual([]);

    const skipped = await runImport(server, client, token, team.workspaceId, file, form({ onError: 'skip' }));
    expect(skipped.status).toBe('succeeded');
    const tasks = await tasksOf(token);
    expect(tasks.map((t) => t.title).sort()).toEqual(['Plan the launch', 'Review the guide', 'Write the import guide']);
    const guide = tasks.find((t) => t.title === 'Write the import guide');
    const review = tasks.find((t) => t.title === 'Review the guide');
    expect(guide).toMatchObject({ projectId: project.id, externalId: 'T-1', status: 'in_progress', priority: 'high', dueDate: '2026-03-05T00:00:00.000Z' });
    expect(guide.labels.map((l: any) => l.name).sort()).toEqual(['docs', 'import']);
    expect(guide.fields).toMatchObject({ story_points: 3 });
    expect(review).toMatchObject({ parentId: guide.id, priority: 'medium' });
  });

  it('a Trello board: lists as the workflow, cards, checklist subtasks, labels, comments, links to attachments', async () => {
    const team = await createTeam(client, 'Trello import');
    const token = team.admin.token;
    const job = await runImport(server, client, token, team.workspaceId, await fixture('trello-board.json'), { source: 'trello', onError: 'skip' });
    expect(job.status).toBe('succeeded');
    expect(job.result.errors).toEqual([{ line: 5, field: 'cards.name', message: 'The card has no name' }]);
    const projects = (await client.get('/api/projects?limit=100', { token })).body.data as any[];
    const board = projects.find((p) => p.name === 'Website Relaunch');
    expect(board.statuses.map((s: any) => [s.key, s.category])).toEqual([
      ['to_do', 'unstarted'],
      ['doing', 'started'],
      ['done', 'completed'],
    ]);
    const tasks = await tasksOf(token);
    const byTitle = new Map(tasks.map((t) => [t.title, t]));
    expect([...byTitle.keys()].sort()).toEqual(['Card in an archived list', 'Collect requirements', 'Design the home page', 'Features', 'Hero', 'Old landing page']);
    const home = byTitle.get('Design the home page');
    expect(home).toMatchObject({ projectId: board.id, status: 'doing', dueDate: '2026-02-01T17:00:00.000Z' });
    expect(home.description).toContain('[Figma file](https://www.figma.com/file/abc/Home)');
    expect(home.labels.map((l: any) => l.name).sort()).toEqual(['Design', 'sky']);
    expect(byTitle.get('Hero')).toMatchObject({ parentId: home.id, status: 'done' });
    expect(byTitle.get('Old landing page')).toMatchObject({ status: 'done' });
    // Ada's email is in the export: she is the assignee (created inactive); Grace's and Alan's are not.
    const users = (await client.get('/api/users?limit=100', { token })).body.data as any[];
    const ada = users.find((u) => u.email === 'ada@example.com');
    expect(home.assignedTo).toBe(ada.id);
    expect(users.some((u) => /grace|alan/i.test(u.name))).toBe(false);
    const comments = (await client.get(`/api/tasks/${home.id}/comments`, { token })).body.data as any[];
    expect(comments.map((c) => c.comment)).toEqual(['**Grace Hopper** (on Trello):\n\nFirst draft is in Figma.', 'Looks good to me.']);
  });

  it('an Asana export: sections, completion, subtasks by parent name, dependencies, tags, the start date field', async () => {
    const team = await createTeam(client, 'Asana import');
    const token = team.admin.token;
    const job = await runImport(server, client, token, team.workspaceId, await fixture('asana-export.csv'), { source: 'asana', onError: 'skip' });
    expect(job.status).toBe('succeeded');
    expect(job.result.errors.map((e: any) => `${e.line} ${e.field}`).sort()).toEqual(['6 Name', '7 Assignee Email', '7 Due Date', '7 Parent task']);
    const tasks = await tasksOf(token);
    const byTitle = new Map(tasks.map((t) => [t.title, t]));
    expect([...byTitle.keys()].sort()).toEqual(['Draft copy', 'Launch website', 'Pick a domain']);
    const launch = byTitle.get('Launch website');
    expect(launch).toMatchObject({ externalId: '1204000000000001', status: 'planning', description: 'The public site.\nWith two lines.', fields: { start_date: '2026-01-15' } });
    expect(launch.labels.map((l: any) => l.name).sort()).toEqual(['marketing', 'web']);
    expect(byTitle.get('Draft copy')).toMatchObject({ parentId: launch.id, status: 'done' });
    const relations = (await client.get(`/api/tasks/${launch.id}/relations`, { token })).body;
    expect(JSON.stringify(relations)).toContain(String(byTitle.get('Pick a domain').id));
  });
});
