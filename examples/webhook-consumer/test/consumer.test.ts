import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Server } from 'node:http';
import { WebhookInbox, type Delivery } from '../src/inbox.js';
import { createWebhookServer, WEBHOOK_PATH } from '../src/server.js';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';

let taskbase: Awaited<ReturnType<typeof startTaskbase>>;
let consumer: Server | undefined;

beforeAll(async () => {
  // Loopback destinations are refused unless allowed; retries come after 1 s instead of 5 s.
  taskbase = await startTaskbase({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '1,1,1', WEBHOOK_POLL_INTERVAL_MS: '100' });
});
afterAll(async () => {
  consumer?.closeAllConnections();
  consumer?.close();
  await taskbase?.stop();
});

/** Resolves with the next delivery the inbox processes that matches. */
const processed = (inbox: WebhookInbox, match: (d: Delivery) => boolean) =>
  new Promise<Delivery>((resolve) => {
    const listener = (delivery: Delivery) => {
      if (!match(delivery)) return;
      inbox.off('processed', listener);
      resolve(delivery);
    };
    inbox.on('processed', listener);
  });

describe('webhook consumer against real deliveries', () => {
  it('verifies, answers 202 before doing the work, processes each webhook-id once and refuses forgeries', async () => {
    const { client } = await newWorkspace(taskbase.url);
    const { endpoint, secret } = await client.webhooks.create({ url: 'http://127.0.0.1:9/not-yet', eventTypes: ['task.created', 'task.updated'] });

    // The handler waits on a gate, so we can see Taskbase got its answer while the work was still pending.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const handled: Delivery[] = [];
    const inbox = new WebhookInbox(async (delivery) => {
      await gate;
      handled.push(delivery);
    });
    consumer = createWebhookServer({ secret, inbox });
    consumer.listen(0, '127.0.0.1');
    await once(consumer, 'listening');
    const consumerUrl = `http://127.0.0.1:${(consumer.address() as AddressInfo).port}${WEBHOOK_PATH}`;
    await client.webhooks.update(endpoint.id, { url: consumerUrl });

    const created = processed(inbox, (d) => d.event.type === 'task.created');
    const task = await client.tasks.create({ title: 'Ship the webhook example' });
    await vi.waitFor(
      async () => {
        const { data } = await client.webhooks.deliveries(endpoint.id);
        expect(data).toMatchObject([{ eventType: 'task.created', status: 'succeeded', lastStatusCode: 202 }]);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(handled).toEqual([]); // answered, not yet worked
    openGate();
    const first = await created;
    expect(first.event.data).toMatchObject({ task: { id: task.id, title: 'Ship the webhook example' } });

    const updated = processed(inbox, (d) => d.event.type === 'task.updated');
    await client.tasks.update(task.id, { status: 'done' });
    expect((await updated).event.data).toMatchObject({ task: { id: task.id, status: 'done' }, changes: { status: { from: 'todo', to: 'done' } } });

    // A resend carries the same webhook-id: acknowledged, not processed again.
    const [createdDelivery] = (await client.webhooks.deliveries(endpoint.id, { limit: 100 })).data.filter((d) => d.eventType === 'task.created');
    const duplicate = once(inbox, 'duplicate');
    await client.webhooks.resend(endpoint.id, createdDelivery!.id);
    expect(await duplicate).toEqual([first.id]);
    expect(handled.map((d) => d.id)).toEqual([first.id, (await updated).id]);

    // Forgeries: unsigned, signed with another secret, and a real signature over another body.
    const body = JSON.stringify({ type: 'task.deleted', timestamp: new Date().toISOString(), data: { task: { id: task.id } } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = (key: string, content: string) => `v1,${createHmac('sha256', Buffer.from(key.slice('whsec_'.length), 'base64')).update(content).digest('base64')}`;
    const post = (headers: Record<string, string>, text = body) =>
      fetch(consumerUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });

    expect((await post({})).status).toBe(400);
    const otherSecret = `whsec_${Buffer.from('not the endpoint secret, 32 bytes').toString('base64')}`;
    expect((await post({ 'webhook-id': 'msg_forged1', 'webhook-timestamp': timestamp, 'webhook-signature': sign(otherSecret, `msg_forged1.${timestamp}.${body}`) })).status).toBe(401);
    const genuine = { 'webhook-id': 'msg_forged2', 'webhook-timestamp': timestamp, 'webhook-signature': sign(secret, `msg_forged2.${timestamp}.${body}`) };
    expect((await post(genuine, body.replace('task.deleted', 'task.created'))).status).toBe(401);
    // The same request untouched is accepted: the refusals above were about the signature alone.
    const accepted = processed(inbox, (d) => d.id === 'msg_forged2');
    expect((await post(genuine)).status).toBe(202);
    await accepted;
    expect(handled.map((d) => d.event.type)).toEqual(['task.created', 'task.updated', 'task.deleted']);
  });
});
