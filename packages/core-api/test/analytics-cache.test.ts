import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`analytics summary cache (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ ANALYTICS_CACHE_SECONDS: '60' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const total = async (token: string) => {
    const response = await client.get('/api/analytics/summary', { token });
    expect(response.status).toBe(200);
    return response.body as { generatedAt: string; counts: { total: number } };
  };

  it('reuses a summary while nothing changes, and recomputes once the workspace changes', async () => {
    const team = await createTeam(client, 'Cached');
    const first = await total(team.manager.token);
    expect((await total(team.manager.token)).generatedAt).toBe(first.generatedAt);
    await client.post('/api/tasks', { title: 'Counts' }, { token: team.manager.token });
    // The change's event reaches the bus, which drops the workspace's summaries.
    const deadline = Date.now() + 5000;
    let after = await total(team.manager.token);
    while (after.counts.total === first.counts.total && Date.now() < deadline) after = await total(team.manager.token);
    expect(after.counts.total).toBe(first.counts.total + 1);
    // Another workspace's summary is its own.
    const other = await createTeam(client, 'Elsewhere');
    expect((await total(other.manager.token)).counts.total).toBe(0);
  });
});
