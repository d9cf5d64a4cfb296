import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on 127.0.0.1: resolves waits as deliveries arrive. */
async function startReceiver() {
  const received: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    until: (count: number) => new Promise<void>((resolve) => (received.length >= count ? resolve() : waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Webhook endpoints through the SDK, and real deliveries verified with verifyWebhook. */
describe('webhooks', () => {
  let server: RunningServer;
  let client: TaskbaseClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_WORKER: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '1,1', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_POLL_INTERVAL_MS: '200' });
    client = (await adminClient(server.url)).client;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('endpoints CRUD, test, deliveries, resend, rotate; deliveries verify with the secret', async () => {
    expect((await client.webhooks.eventTypes()).data.length).toBeGreaterThan(0);
    const { endpoint, secret } = await client.webhooks.create({ url: receiver.url, eventTypes: ['task.created'] });
    expect(secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).data.map((e) => e.id)).toContain(endpoint.id);
    expect((await client.webhooks.get(endpoint.id)).url).toBe(receiver.url);
    expect((await client.webhooks.update(endpoint.id, { description: 'CI' })).description).toBe('CI');
    expect((await client.webhooks.secret(endpoint.id)).secret).toBe(secret);

    const sent = await client.webhooks.test(endpoint.id);
    await receiver.until(1);
    const first = receiver.received[0]!;
    expect(await verifyWebhook(first.body, first.headers as Record<string, string>, secret)).toBeTypeOf('object');
    expect(first.headers['webhook-id']).toBe(sent.messageId);

    await client.tasks.create({ title: 'hooked' });
    await receiver.until(2);
    expect(await verifyWebhook(receiver.received[1]!.body, receiver.received[1]!.headers as Record<string, string>, secret)).toMatchObject({ type: 'task.created' });

    const deliveries = await client.webhooks.deliveries(endpoint.id);
    expect(deliveries.data.map((d) => d.id)).toContain(sent.id);
    expect((await client.webhooks.delivery(endpoint.id, sent.id)).messageId).toBe(sent.messageId);
    await client.webhooks.resend(endpoint.id, sent.id);
    await receiver.until(3);

    const rotated = await client.webhooks.rotateSecret(endpoint.id, { overlapSeconds: 60 });
    expect(rotated.previousSecret).toBe(secret);
    await client.webhooks.test(endpoint.id);
    await receiver.until(4);
    const last = receiver.received[3]!;
    for (const key of [rotated.secret, secret]) expect(await verifyWebhook(last.body, last.headers as Record<string, string>, key)).toBeTypeOf('object');

    await client.webhooks.remove(endpoint.id);
    expect((await client.webhooks.list()).data.map((e) => e.id)).not.toContain(endpoint.id);
  });
});
