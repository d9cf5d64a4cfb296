import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvMapping, ImportRecord, SourceOptions, SourceReader } from '../src/services/imports/records.js';
import { readAsana } from '../src/services/imports/sources/asana.js';
import { readCsv } from '../src/services/imports/sources/csv.js';
import { delimiterOf } from '../src/services/imports/sources/csvRows.js';
import { readTrello } from '../src/services/imports/sources/trello.js';
import { fieldValueFromText } from '../src/services/imports/sources/fieldText.js';
import { parseDate } from '../src/services/imports/sources/values.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/imports/${name}`, import.meta.url));

async function read(reader: SourceReader, path: string, options: SourceOptions = {}): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for await (const record of reader(path, options)) records.push(record);
  return records;
}

const errorsOf = (records: ImportRecord[]) => records.filter((r) => r.kind === 'error').map((r) => r.kind === 'error' && { line: r.line, field: r.field });
const ofKind = <K extends ImportRecord['kind']>(records: ImportRecord[], kind: K) => records.filter((r): r is Extract<ImportRecord, { kind: K }> => r.kind === kind);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskbase-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe('CSV reader', () => {
  const mapping: CsvMapping = {
    Key: 'externalId',
    Summary: 'title',
    Description: 'description',
    Status: 'status',
    Priority: 'priority',
    Assignee: 'assigneeEmail',
    'Due date': 'dueDate',
    Labels: 'labels',
    Parent: 'parentExternalId',
    'Story points': 'fields.story_points',
  };

  it('reads good rows as tasks and bad ones as errors naming their line and column', async () => {
    const records = await read(readCsv, fixture('tasks.csv'), { mapping });
    const tasks = ofKind(records, 'task');
    expect(tasks.map((t) => [t.line, t.externalId, t.title])).toEqual([
      [2, 'T-1', 'Write the import guide'],
      [4, 'T-2', 'Review the guide'],
      [8, 'T-6', 'Plan the launch'],
    ]);
    expect(tasks[0]).toMatchObject({
      description: 'Covers CSV, Trello and Asana.\nTwo lines, with "quotes".',
      status: 'In progress',
      priority: 'high',
      assigneeEmail: 'ada@example.com',
      dueDate: '2026-03-05T00:00:00.000Z',
      labels: ['docs', 'import'],
      fields: { story_points: '3' },
    });
    expect(tasks[1]).toMatchObject({ priority: 'medium', dueDate: '2026-03-05T00:00:00.000Z', labels: ['docs', 'review'], parentExternalId: 'T-1' });
    expect(tasks[2]).toMatchObject({ priority: 'urgent', dueDate: '2026-03-07T00:00:00.000Z', labels: ['launch'] });
    expect(errorsOf(records)).toEqual([
      { line: 5, field: 'Summary' },
      { line: 6, field: 'Priority' },
      { line: 6, field: 'Due date' },
      { line: 7, field: 'Key' },
    ]);
    const messages = ofKind(records, 'error').map((e) => e.message);
    expect(messages[0]).toBe('The title is empty');
    expect(messages[1]).toMatch(/"someday" is not a priority/);
    expect(messages[2]).toMatch(/ambiguous/);
    expect(messages[3]).toMatch(/earlier line/);
  });

  it('reads a semicolon-separated file with a BOM, CRLF line ends and a blank line', async () => {
    const records = await read(readCsv, fixture('tasks-semicolon.csv'), { mapping: { id: 'externalId', title: 'title', due: 'dueDate', priority: 'priority', labels: 'labels' } });
    expect(ofKind(records, 'task').map((t) => [t.line, t.externalId, t.title, t.dueDate, t.priority, t.labels])).toEqual([
      [2, 'A1', 'Semicolons; inside quotes', '2026-01-31T08:30:00.000Z', 'high', ['a', 'b']],
      [4, 'A2', 'Second', '2026-02-01T00:00:00.000Z', undefined, ['c']],
    ]);
    expect(errorsOf(records)).toEqual([{ line: 5, field: 'due' }]);
  });

  it('refuses a mapping without a title, or naming a column the file lacks, on line 1', async () => {
    expect(errorsOf(await read(readCsv, fixture('tasks.csv'), { mapping: { Key: 'externalId' } }))).toEqual([{ line: 1, field: 'title' }]);
    expect(errorsOf(await read(readCsv, fixture('tasks.csv'), { mapping: { Summary: 'title', Nope: 'status' } }))).toEqual([{ line: 1, field: 'Nope' }]);
    expect(errorsOf(await read(readCsv, fixture('tasks.csv'), { mapping: { Summary: 'title', Key: 'bogus' as never } }))).toEqual([{ line: 1, field: 'Key' }]);
    await expect(read(readCsv, fixture('tasks.csv'), {})).rejects.toMatchObject({ status: 422 });
  });

  it('reports values past the limits, and ids by line when no column holds them', async () => {
    const path = await write('long.csv', `title,labels\n${'x'.repeat(501)},a\nok,${'l'.repeat(51)}\nfine,"q,r"\n`);
    const records = await read(readCsv, path, { mapping: { title: 'title', labels: 'labels' } });
    expect(errorsOf(records)).toEqual([
      { line: 2, field: 'title' },
      { line: 3, field: 'labels' },
    ]);
    expect(ofKind(records, 'task')).toEqual([{ kind: 'task', line: 4, externalId: 'line-4', title: 'fine', labels: ['q', 'r'] }]);
  });

  it('reports a quote that is never closed at the line it opens, and stops there', async () => {
    const path = await write('unclosed.csv', 'title\r\none\r\n"two\r\nthree\r\n');
    const records = await read(readCsv, path, { mapping: { title: 'title' } });
    expect(ofKind(records, 'task').map((t) => t.title)).toEqual(['one']);
    expect(errorsOf(records)).toEqual([{ line: 3, field: 'file' }]);
  });

  it('streams a 100k-row file with flat memory', { timeout: 60_000 }, async () => {
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    out.write('id,title,due,priority,labels\n');
    for (let i = 1; i <= 100_000; i++) out.write(`ID-${i},"Task number ${i}, with a comma",2026-01-${String((i % 28) + 1).padStart(2, '0')},${['low', 'medium', 'high'][i % 3]},"a;b"\n`);
    await new Promise((resolve) => out.end(resolve));
    // A real collection before each sample, so the figures are what the reader holds, not garbage.
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const samples: number[] = [];
    const started = performance.now();
    let tasks = 0;
    for await (const record of readCsv(path, { mapping: { id: 'externalId', title: 'title', due: 'dueDate', priority: 'priority', labels: 'labels' } })) {
      if (record.kind === 'task') tasks++;
      else throw new Error(`unexpected ${JSON.stringify(record)}`);
      if (tasks % 10_000 === 0) samples.push(heap());
    }
    expect(tasks).toBe(100_000);
    const growth = samples.at(-1)! - samples[0]!;
    console.log(`100k-row CSV read in ${((performance.now() - started) / 1000).toFixed(1)} s (10 forced collections included); heap ${(samples[0]! / 2 ** 20).toFixed(1)} → ${(samples.at(-1)! / 2 ** 20).toFixed(1)} MB`);
    // Only the ids seen so far stay (for repeated-id errors): a few MB. Holding the records would be tens.
    expect(growth).toBeLessThan(12 * 2 ** 20);
  });
});

describe('CSV helpers', () => {
  it('sniffs the delimiter from the header, ignoring quoted ones', () => {
    expect(delimiterOf('a,b,c\n1;2;3')).toBe(',');
    expect(delimiterOf('a;b;"c,d,e"\n')).toBe(';');
    expect(delimiterOf('a\tb\tc\r\n')).toBe('\t');
    expect(delimiterOf('single')).toBe(',');
  });

  it('takes ISO 8601 and unambiguous dates, refuses the rest', () => {
    expect(parseDate('2026-03-05')).toBe('2026-03-05T00:00:00.000Z');
    expect(parseDate('2026-03-05T14:30')).toBe('2026-03-05T14:30:00.000Z');
    expect(parseDate('2026-03-05 14:30:15Z')).toBe('2026-03-05T14:30:15.000Z');
    expect(parseDate('2026-03-05T14:30:00-05:00')).toBe('2026-03-05T19:30:00.000Z');
    expect(parseDate('2026/3/5')).toBe('2026-03-05T00:00:00.000Z');
    expect(parseDate('5 March 2026')).toBe('2026-03-05T00:00:00.000Z');
    expect(parseDate('05-Mar-2026')).toBe('2026-03-05T00:00:00.000Z');
    expect(parseDate('Sept 5, 2026')).toBe('2026-09-05T00:00:00.000Z');
    for (const bad of ['03/05/2026', '5.3.2026', '2026-02-30', '2026-13-01', 'tomorrow', '5 Marchy 2026', '2026/02/30']) expect(() => parseDate(bad), bad).toThrow();
  });
});

describe('custom field values from text', () => {
  it('converts for the field type, and leaves what it cannot convert for the field check to report', () => {
    expect(fieldValueFromText('number', ' 1 500.5 ')).toBe(1500.5);
    expect(fieldValueFromText('number', 'many')).toBe('many');
    expect(fieldValueFromText('checkbox', 'Yes')).toBe(true);
    expect(fieldValueFromText('checkbox', 'no')).toBe(false);
    expect(fieldValueFromText('checkbox', 'maybe')).toBe('maybe');
    expect(fieldValueFromText('date', '5 Mar 2026')).toBe('2026-03-05');
    expect(fieldValueFromText('date', '03/05/2026')).toBe('03/05/2026');
    expect(fieldValueFromText('multi_select', 'a, b;c')).toEqual(['a', 'b', 'c']);
    expect(fieldValueFromText('text', ' as is ')).toBe(' as is ');
    expect(fieldValueFromText('select', 'Large')).toBe('Large');
  });
});

describe('Trello reader', () => {
  it('reads a board export: lists as statuses, cards, checklists, labels, members with emails, comments', async () => {
    const records = await read(readTrello, fixture('trello-board.json'));
    const [project] = ofKind(records, 'project');
    expect(project).toMatchObject({ externalId: '65a0f0c2e4b0a1b2c3d4e5f0', name: 'Website Relaunch', memberExternalIds: ['65a0f000e4b0a1b2c3d4e601'] });
    // The archived list "Old ideas" is dropped; "Done" reads as completed.
    expect(project!.statuses).toEqual([
      { key: 'to_do', name: 'To Do', category: 'unstarted' },
      { key: 'doing', name: 'Doing', category: 'started' },
      { key: 'done', name: 'Done', category: 'completed' },
    ]);
    expect(ofKind(records, 'label').map((l) => [l.name, l.color])).toEqual([
      ['Design', '#61bd4f'],
      ['Bug', '#eb5a46'],
      ['sky', '#00c2e0'],
    ]);
    // Only Ada's email is in the export: Grace and Alan become no one, not made-up addresses.
    expect(ofKind(records, 'user')).toEqual([{ kind: 'user', externalId: '65a0f000e4b0a1b2c3d4e601', email: 'ada@example.com', name: 'Ada Lovelace' }]);

    const tasks = new Map(ofKind(records, 'task').map((t) => [t.title, t]));
    expect(tasks.get('Design the home page')).toMatchObject({
      externalId: '65a1b000e4b0a1b2c3d4e801',
      projectExternalId: '65a0f0c2e4b0a1b2c3d4e5f0',
      status: 'doing',
      assigneeExternalId: '65a0f000e4b0a1b2c3d4e601',
      watcherExternalIds: [],
      labels: ['Design', 'sky'],
      dueDate: '2026-02-01T17:00:00.000Z',
      completedAt: null,
      createdAt: new Date(0x65a1b000 * 1000).toISOString(),
    });
    expect(tasks.get('Design the home page')!.description).toBe(
      'Hero, three features, a footer.\n\n**Attachments** (links to Trello):\n' +
        '- [mockup.png](https://trello.com/1/cards/65a1b000e4b0a1b2c3d4e801/attachments/65a1b100e4b0a1b2c3d4ea01/download/mockup.png)\n' +
        '- [Figma file](https://www.figma.com/file/abc/Home)',
    );
    expect(tasks.get('Collect requirements')).toMatchObject({ status: 'to_do', assigneeExternalId: undefined, completedAt: null });
    expect(tasks.get('Old landing page')).toMatchObject({ status: 'done', completedAt: '2026-01-05T09:00:00.000Z', labels: ['Bug'] });
    expect(tasks.get('Card in an archived list')).toMatchObject({ status: 'done', completedAt: '2026-01-04T09:00:00.000Z' });
    expect(tasks.get('Hero')).toMatchObject({ parentExternalId: '65a1b000e4b0a1b2c3d4e801', status: 'done' });
    expect(tasks.get('Features')).toMatchObject({ parentExternalId: '65a1b000e4b0a1b2c3d4e801', status: 'doing', assigneeExternalId: '65a0f000e4b0a1b2c3d4e601', dueDate: '2026-01-25T12:00:00.000Z', completedAt: null });

    // Oldest first; the one on a card missing from the export is left out; a non-user author is named in the text.
    expect(ofKind(records, 'comment').map((c) => [c.externalId, c.authorExternalId, c.body, c.createdAt])).toEqual([
      ['65a29000e4b0a1b2c3d4e702', undefined, '**Grace Hopper** (on Trello):\n\nFirst draft is in Figma.', '2026-01-12T09:00:00.000Z'],
      ['65a2a000e4b0a1b2c3d4e701', '65a0f000e4b0a1b2c3d4e601', 'Looks good to me.', '2026-01-13T10:00:00.000Z'],
    ]);
    expect(ofKind(records, 'error')).toEqual([{ kind: 'error', line: 5, field: 'cards.name', message: 'The card has no name' }]);
  });

  it('yields records in the order the writer needs: project, labels, users, then tasks, then comments', async () => {
    const kinds = (await read(readTrello, fixture('trello-board.json'))).map((r) => r.kind).filter((k) => k !== 'error');
    const firstTask = kinds.indexOf('task');
    expect(kinds.slice(0, firstTask).every((k) => ['project', 'label', 'user'].includes(k))).toBe(true);
    expect(kinds.slice(firstTask).every((k) => ['task', 'comment'].includes(k))).toBe(true);
    expect(kinds.lastIndexOf('task')).toBeLessThan(kinds.indexOf('comment'));
  });

  it('keeps a long board name whole up to 200 characters, and makes status keys from any list name', async () => {
    const board = { id: 'b', name: 'A board with a rather long name, longer than forty characters', lists: [{ id: 'l1', name: '2024 — Q1 ✨' }, { id: 'l2', name: 'Q1 ✨' }], cards: [] };
    const [project] = ofKind(await read(readTrello, await write('names.json', JSON.stringify(board))), 'project');
    expect(project!.name).toBe(board.name);
    expect(project!.statuses!.map((s) => s.key)).toEqual(['q1', 'q1_2', 'done']);
  });

  it('answers a file that is not a board export with one error', async () => {
    expect(await read(readTrello, await write('not.json', '{"cards": 3'))).toEqual([{ kind: 'error', line: 1, field: 'file', message: expect.stringMatching(/not JSON/) }]);
    expect(await read(readTrello, await write('other.json', '{"name": "x"}'))).toEqual([{ kind: 'error', line: 1, field: 'file', message: expect.stringMatching(/not a Trello board/) }]);
  });
});

describe('Asana reader', () => {
  it('reads the CSV export: sections, completion, parents by name, dependencies, tags, notes, start dates', async () => {
    const records = await read(readAsana, fixture('asana-export.csv'));
    const [project] = ofKind(records, 'project');
    expect(project).toMatchObject({ name: 'Website Launch', externalId: expect.stringMatching(/^asana-[0-9a-f]{16}$/) });
    expect(project!.statuses).toEqual([
      { key: 'planning', name: 'Planning', category: 'unstarted' },
      { key: 'in_progress', name: 'In Progress', category: 'started' },
      { key: 'ready_to_ship', name: 'Ready to ship', category: 'unstarted' },
      { key: 'done', name: 'Done', category: 'completed' },
    ]);
    expect(ofKind(records, 'field')).toEqual([expect.objectContaining({ key: 'start_date', type: 'date', projectExternalIds: [project!.externalId] })]);
    const tasks = ofKind(records, 'task');
    expect(tasks.map((t) => [t.line, t.externalId, t.title, t.status])).toEqual([
      [2, '1204000000000001', 'Launch website', 'planning'],
      [4, '1204000000000002', 'Draft copy', 'done'],
      [5, '1204000000000003', 'Pick a domain', 'planning'],
    ]);
    expect(tasks[0]).toMatchObject({
      projectExternalId: project!.externalId,
      assigneeEmail: 'ada@example.com',
      labels: ['marketing', 'web'],
      description: 'The public site.\nWith two lines.',
      dueDate: '2026-02-01T00:00:00.000Z',
      createdAt: '2026-01-10T00:00:00.000Z',
      fields: { start_date: '2026-01-15' },
      completedAt: null,
    });
    expect(tasks[1]).toMatchObject({ completedAt: '2026-01-20T00:00:00.000Z', parentExternalId: '1204000000000001', assigneeEmail: 'grace@example.com' });
    expect(ofKind(records, 'relation')).toEqual([{ kind: 'relation', line: 5, taskExternalId: '1204000000000001', type: 'blocks', relatedExternalId: '1204000000000003' }]);
    expect(errorsOf(records)).toEqual([
      { line: 6, field: 'Name' },
      { line: 7, field: 'Parent task' },
      { line: 7, field: 'Assignee Email' },
      { line: 7, field: 'Due Date' },
    ]);
  });

  it('refuses a CSV that is not an Asana export', async () => {
    expect(errorsOf(await read(readAsana, fixture('tasks.csv')))).toEqual([{ line: 1, field: 'file' }]);
  });
});
