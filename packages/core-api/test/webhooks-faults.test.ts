import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/server.js';
import { TestClient, createTeam } from './support/client.js';
import { databaseMode, scratchDatabase, sharedDatabase, testConfig } from './support/server.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually } from './support/webhooks.js';

/** A receiver that misbehaves: `handle` gets every request once its body has arrived. */
async function badReceiver(handle: (res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe(`webhook receivers that fail badly (${databaseMode()} database)`, () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('one down for the whole retry window, one that hangs, one that trickles a huge body: the worker gives up on each in time and a healthy endpoint is not delayed', async () => {
    const TIMEOUT_MS = 1000;
    // On PostgreSQL the worker gets a database of its own: it would otherwise also send other test files' deliveries.
    const scratch = databaseMode() === 'postgres' ? await scratchDatabase('hookfaults') : undefined;
    if (scratch) cleanups.push(() => scratch.drop());
    const server = await startServer(
      testConfig({
        ...WEBHOOK_TEST_ENV,
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        // Few slots, so the bad endpoints' backlog alone could fill them all but for the per-endpoint cap.
        WEBHOOK_CONCURRENCY: '8',
        WEBHOOK_ENDPOINT_CONCURRENCY: '2',
        ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      }),
      scratch ? {} : { database: await sharedDatabase() },
    );
    cleanups.push(() => server.close());

    // Down: a port that was just closed refuses every attempt.
    const closed = await badReceiver(() => {});
    await new Promise((resolve) => closed.server.close(resolve));
    // Hangs: takes the request and never answers.
    const hanging = await badReceiver(() => {});
    cleanups.push(() => hanging.server.closeAllConnections());
    cleanups.push(() => new Promise((resolve) => hanging.server.close(resolve)));
    // Trickles: 200 at once, announcing 100 MB, then 64 bytes every 50 ms.
    let trickled = 0;
    const trickleClosed: number[] = [];
    const trickling = await badReceiver((res) => {
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      const timer = setInterval(() => {
        res.write(Buffer.alloc(64, 'x'));
        trickled += 64;
      }, 50);
      res.on('close', () => {
        clearInterval(timer);
        trickleClosed.push(Date.now());
      });
    });
    cleanups.push(() => trickling.server.closeAllConnections());
    cleanups.push(() => new Promise((resolve) => trickling.server.close(resolve)));
    const healthy = await Receiver.start();
    cleanups.push(() => healthy.close());

    const client = new TestClient(server.url);
    const team = await createTeam(client, 'Bad receivers');
    const endpoint = async (url: string) => {
      const created = await client.post('/api/webhooks', { url, eventTypes: ['task.created'] }, { token: team.admin.token });
      expect(created.status).toBe(201);
      return created.body.endpoint.id as number;
    };
    const bad = [await endpoint(`${closed.url}/down`), await endpoint(`${hanging.url}/hang`), await endpoint(`${trickling.url}/trickle`)];
    await endpoint(`${healthy.url}/healthy`);

    // A burst: every bad endpoint has a backlog larger than all the worker's slots.
    const count = 12;
    const acknowledged = new Map<number, number>();
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const task = await client.post('/api/tasks', { title: `Fault ${i}` }, { token: team.manager.token });
        acknowledged.set(task.body.id, Date.now());
      }),
    );
    const received = await healthy.waitFor('/healthy', count);
    // Each reached the healthy endpoint sooner than one timeout of the bad ones would have cost.
    for (const request of received) {
      const taskId = (request.json as { data: { task: { id: number } } }).data.task.id;
      expect(request.at - acknowledged.get(taskId)!, `task ${taskId}`).toBeLessThan(TIMEOUT_MS);
    }

    // Every bad delivery ends failed after the last retry, each attempt bounded by the timeout.
    const attempts = WEBHOOK_TEST_ENV.WEBHOOK_RETRY_SCHEDULE.split(',').length + 1;
    for (const id of bad) {
      const deliveries = await eventually(async () => {
        const page = (await client.get(`/api/webhooks/${id}/deliveries?limit=100`, { token: team.admin.token })).body.data;
        return page.length === count && page.every((d: { status: string }) => d.status === 'failed') && page;
      }, 60_000, `endpoint ${id}'s deliveries to fail`);
      expect(deliveries.every((d: { attemptCount: number }) => d.attemptCount === attempts)).toBe(true);
      const detail = await client.get(`/api/webhooks/${id}/deliveries/${deliveries[0].id}`, { token: team.admin.token });
      for (const attempt of detail.body.attempts) expect(attempt.durationMs).toBeLessThan(TIMEOUT_MS + 500);
    }
    // The trickling receiver was hung up on each time, long before its 100 MB.
    expect(trickleClosed).toHaveLength(count * attempts);
    expect(trickled).toBeLessThan(count * attempts * 2048);

    // And the worker is still healthy: a new event reaches the good endpoint at once.
    const late = await client.post('/api/tasks', { title: 'After the storm' }, { token: team.manager.token });
    const sentAt = Date.now();
    const [delivered] = await healthy.waitFor('/healthy', 1, (r) => (r.json as { data: { task: { id: number } } }).data.task.id === late.body.id);
    expect(delivered!.at - sentAt).toBeLessThan(TIMEOUT_MS);
  }, 120_000);
});
