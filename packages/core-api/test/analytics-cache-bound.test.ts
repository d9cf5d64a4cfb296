import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../src/domain/caller.js';
import type { RunningServer } from '../src/server.js';
import { AnalyticsService } from '../src/services/analytics.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`the analytics summary cache is bounded (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let caller: Caller;
  beforeAll(async () => {
    server = await startTestServer({ ANALYTICS_CACHE_SECONDS: '60' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Bounded cache');
    // Only what the analytics service reads of a caller.
    caller = { userId: team.admin.id, workspaceId: team.workspaceId, role: 'admin', name: 'Admin' } as Caller;
  });
  afterAll(() => server.close());

  const range = (day: number) => ({ from: `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`, to: '2026-02-01T00:00:00Z' });

  it('keeps at most its capacity of summaries, dropping the least recently used', async () => {
    const analytics = new AnalyticsService(server.database.knex, server.services.projects, 60_000, 2);
    const a = await analytics.summary(caller, range(1));
    const b = await analytics.summary(caller, range(2));
    expect(await analytics.summary(caller, range(1))).toBe(a); // a hit makes A the most recent
    await analytics.summary(caller, range(3)); // evicts B, the least recently used
    expect(await analytics.summary(caller, range(1))).toBe(a);
    expect(await analytics.summary(caller, range(2))).not.toBe(b);
    expect(analytics.cachedSummaries()).toBe(2);
    // Unique ranges a client can make up endlessly cannot grow it.
    for (let day = 4; day <= 20; day += 1) await analytics.summary(caller, range(day));
    expect(analytics.cachedSummaries()).toBe(2);
  });

  it('keys a range by the instants it names, not by how the query spells them', async () => {
    const first = await client.get('/api/analytics/summary?from=2026-01-01T00:00:00Z&to=2026-01-15T00:00:00Z', { token: team.manager.token });
    expect(first.status).toBe(200);
    for (const spelling of [
      'from=2026-01-01T00:00:00.000Z&to=2026-01-15T00:00:00.000Z',
      `from=${encodeURIComponent('2026-01-01T01:00:00+01:00')}&to=${encodeURIComponent('2026-01-14T19:00:00-05:00')}`,
      'to=2026-01-15T00:00:00Z&from=2026-01-01T00:00:00Z&timezone=UTC',
    ]) {
      const again = await client.get(`/api/analytics/summary?${spelling}`, { token: team.manager.token });
      expect(again.status, spelling).toBe(200);
      expect(again.body.generatedAt, spelling).toBe(first.body.generatedAt);
    }
  });

  it('still forgets a workspace on invalidate, and never serves a stale entry after it', async () => {
    const analytics = new AnalyticsService(server.database.knex, server.services.projects, 60_000, 10);
    const before = await analytics.summary(caller, range(1));
    analytics.invalidate(team.workspaceId);
    expect(analytics.cachedSummaries()).toBe(0);
    expect(await analytics.summary(caller, range(1))).not.toBe(before);
  });
});
