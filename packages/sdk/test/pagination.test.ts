import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

describe('pagination', () => {
  let server: RunningServer;
  let client: TaskbaseClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = (await adminClient(server.url)).client;
    for (let start = 0; start < 250; start += 100) {
      const items = Array.from({ length: Math.min(100, 250 - start) }, (_, index) => ({ title: `Task ${start + index}`, priority: 'low' as const }));
      const result = await client.tasks.bulk({ items });
      expect(result.results.every((item) => item.status === 'created')).toBe(true);
    }
  });
  afterAll(() => server.close());

  it('iterate() walks every page of 250 tasks, each once', async () => {
    const ids: number[] = [];
    for await (const task of client.tasks.iterate({ sort: '-createdAt' })) ids.push(task.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
  });

  it('iterate() honours filters and small pages', async () => {
    let count = 0;
    for await (const task of client.tasks.iterate({ priority: ['low'], limit: 30, q: 'Task 1' })) {
      expect(task.title.startsWith('Task 1')).toBe(true);
      count++;
    }
    expect(count).toBe(111); // 1, 10–19, 100–199
  });

  it('list() returns a page and its cursor', async () => {
    const first = await client.tasks.list({ limit: 100 });
    expect(first.data).toHaveLength(100);
    const second = await client.tasks.list({ limit: 100, cursor: first.nextCursor! });
    expect(second.data[0]!.id).not.toBe(first.data[0]!.id);
  });
});
