import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

/** client.imports.preview against a real core-api, from Node (fetch + FormData). */
describe(`imports.preview (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let client: TaskbaseClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = (await adminClient(server.url)).client;
  });
  afterAll(() => server.close());

  it('answers a CSV’s columns, sample, row count and suggested mapping', async () => {
    const csv = new File(['Summary,Priority,Tags\nShip it,High,"a,b"\nTest it,Low,\n'], 'tasks.csv');
    expect(await client.imports.preview(csv, 'csv')).toEqual({
      columns: ['Summary', 'Priority', 'Tags'],
      sample: [
        ['Ship it', 'High', 'a,b'],
        ['Test it', 'Low', ''],
      ],
      rows: 2,
      suggested: { Summary: 'title', Priority: 'priority', Tags: 'labels' },
    });
  });

  it('counts a Trello board’s tasks from bytes, and rejects a file that is not of its source', async () => {
    const board = JSON.stringify({ id: 'b1', name: 'Board', lists: [{ id: 'l1', name: 'To do' }], cards: [{ id: 'c1', name: 'Card', idList: 'l1' }] });
    expect(await client.imports.preview(new TextEncoder().encode(board), 'trello')).toMatchObject({ columns: [], rows: 1 });
    const error = await client.imports.preview(new Blob(['not json']), 'trello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problem?.errors?.map((e) => e.path)).toEqual(['file']);
  });
});
