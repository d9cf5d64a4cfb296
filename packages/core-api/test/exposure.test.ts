import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { sharedDatabase, startTestServer, testConfig } from './support/server.js';
import { TestSocket } from './support/ws.js';

/** What the server shows to whom beyond the API itself: metrics, and where tokens may travel. */
describe('exposure', () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  it('serves /metrics without METRICS_TOKEN only to a direct local client, not through a proxy', async () => {
    const local = await client.get('/metrics');
    expect(local.status).toBe(200);
    expect(local.body).toContain('taskbase_realtime_sockets');
    const proxied = await client.get('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(404);
    expect(proxied.body.code).toBe('not_found');
  });

  it('serves /metrics with METRICS_TOKEN only to the bearer of it', async () => {
    const token = 'metrics-token-of-this-deployment';
    const own = await startTestServer({ METRICS_TOKEN: token });
    try {
      const own_ = new TestClient(own.url);
      expect((await own_.get('/metrics')).status).toBe(401);
      expect((await own_.get('/metrics', { token: `${token}x` })).status).toBe(401);
      const allowed = await own_.get('/metrics', { token, headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(allowed.status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('takes no token from the /ws URL (it would end up in logs)', async () => {
    const own = await startServer(testConfig(), { database: await sharedDatabase(), realtime: { authTimeoutMs: 300 } });
    try {
      const team: Team = await createTeam(new TestClient(own.url), 'No URL tokens');
      const viaUrl = await TestSocket.open(own.url, { query: `token=${team.member.token}` });
      expect(await viaUrl.closedWith()).toEqual({ code: 4408, reason: 'authenticate within 10 seconds' });
      expect(viaUrl.frames.filter((f) => f.op === 'auth')).toEqual([]);
      // The subprotocol still works.
      const viaProtocol = await TestSocket.open(own.url, { token: team.member.token });
      await viaProtocol.next((f) => f.op === 'auth');
      viaProtocol.close();
    } finally {
      await own.close();
    }
  });
});
