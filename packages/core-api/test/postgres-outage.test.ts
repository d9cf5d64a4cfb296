import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem } from './support/client.js';
import { errorCode, gql } from './support/graphql.js';
import { databaseMode, scratchDatabase, testConfig } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

/**
 * The database goes away under a running API and comes back, as in a
 * PostgreSQL restart or failover. The API reaches PostgreSQL through a relay
 * that resets every connection and refuses new ones while "down" (the shared
 * test server itself cannot be restarted: other test files are using it).
 */
describe.runIf(databaseMode() === 'postgres')('PostgreSQL restarted under a running API (PostgreSQL only)', () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('turns unready and answers 503 problems, then recovers without a restart; realtime and webhooks lose nothing', async () => {
    // Its own database: the webhook worker below would otherwise also send other test files' deliveries.
    const database = await scratchDatabase('outage');
    cleanups.push(() => database.drop());
    const target = new URL(database.url);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const receiver = await Receiver.start();
    cleanups.push(() => receiver.close());
    const server: RunningServer = await startServer(
      // Retries 3 s apart, so the retry of the first delivery falls in or after the outage, never before it.
      testConfig({ ...WEBHOOK_TEST_ENV, WEBHOOK_RETRY_SCHEDULE: '3,3,3,3,3', DATABASE_URL: proxy.rewrite(database.url) }),
    );
    cleanups.push(() => server.close());
    const client = new TestClient(server.url);
    const team = await createTeam(client, 'Outage');
    const hook = await client.post('/api/webhooks', { url: `${receiver.url}/outage`, eventTypes: ['task.created'] }, { token: team.admin.token });
    expect(hook.status).toBe(201);
    const deliveries = `/api/webhooks/${hook.body.endpoint.id}/deliveries`;
    // The first attempt of every delivery fails, so one retry is due across the outage.
    receiver.reply('/outage', (request) => ({ status: receiver.on('/outage').filter((r) => r.headers['webhook-id'] === request.headers['webhook-id']).length === 1 ? 500 : 200 }));
    const socket = await TestSocket.subscribed(server.url, team.member.token, ['tasks']);
    cleanups.push(() => socket.close());

    const before = await client.post('/api/tasks', { title: 'Before the outage' }, { token: team.manager.token });
    expect(before.status).toBe(201);
    const [seenBefore] = await socket.events(1, (f) => f.taskId === before.body.id);
    await eventually(async () => (await client.get(deliveries, { token: team.admin.token })).body.data[0]?.attemptCount === 1, 20_000, 'the first attempt to be recorded');

    proxy.down();
    await eventually(async () => (await client.get('/readyz')).status === 503, 20_000, '/readyz to turn red');
    const refused = [
      await client.post('/api/tasks', { title: 'During the outage' }, { token: team.manager.token }),
      await client.get('/api/tasks', { token: team.member.token }),
      await client.post('/api/auth/login', { email: team.member.email, password: team.member.password }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(isProblem(response)).toBe(true);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.stringify(response.body)).not.toMatch(/ECONN|127\.0\.0\.1|postgres|terminated/i);
    }
    const graphql = await gql(client, team.member.token, '{ tasks { nodes { id } } }');
    expect(errorCode(graphql)).toBe('UNAVAILABLE');
    expect(socket.closed).toBeUndefined();

    proxy.up();
    await eventually(async () => (await client.get('/readyz')).status === 200, 30_000, '/readyz to turn green');
    const after = await client.post('/api/tasks', { title: 'After the outage' }, { token: team.manager.token });
    expect(after.status).toBe(201);

    // The socket that stayed open gets the new event, right after the old one.
    const [seenAfter] = await socket.events(1, (f) => f.taskId === after.body.id, 20_000);
    expect(socket.frames.filter((f) => f.type === 'event').map((f) => f.taskId)).toEqual([before.body.id, after.body.id]);
    // A client that reconnected resumes from the last event it had, and misses nothing.
    const resumed = await TestSocket.subscribed(server.url, team.member.token, ['tasks'], seenBefore.id);
    cleanups.push(() => resumed.close());
    expect((await resumed.events(1)).map((f) => f.id)).toEqual([seenAfter.id]);
    // Nothing refused during the outage was written.
    const titles = (await client.get('/api/tasks?limit=100', { token: team.member.token })).body.data.map((t: { title: string }) => t.title);
    expect(titles.sort()).toEqual(['After the outage', 'Before the outage']);

    // The worker carried on: the retry due across the outage went out, and the new event too.
    const done = await eventually(async () => {
      const page = (await client.get(deliveries, { token: team.admin.token })).body.data;
      return page.length === 2 && page.every((d: { status: string }) => d.status === 'succeeded') && page;
    }, 30_000, 'both deliveries to succeed');
    expect(done.map((d: { attemptCount: number }) => d.attemptCount)).toEqual([2, 2]);
  }, 120_000);
});
