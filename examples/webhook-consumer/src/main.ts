// A webhook consumer: `TASKBASE_WEBHOOK_SECRET=whsec_… npm start -w @taskbase/example-webhook-consumer`,
// then register http://127.0.0.1:4000/webhooks/taskbase as an endpoint.
import type { AddressInfo } from 'node:net';
import { WebhookInbox } from './inbox.js';
import { createWebhookServer, WEBHOOK_PATH } from './server.js';

const secret = process.env.TASKBASE_WEBHOOK_SECRET;
if (!secret) throw new Error('Set TASKBASE_WEBHOOK_SECRET to the whsec_… secret shown when the endpoint was created');

const inbox = new WebhookInbox(async ({ id, event }) => {
  // The slow work goes here: update your database, call other services…
  const task = event.data.task as { id: number; title: string; status: string } | undefined;
  console.log(`${id} ${event.type}${task ? ` #${task.id} "${task.title}" (${task.status})` : ''}`);
});
inbox.on('failed', ({ id }, error) => console.error(`${id} failed:`, error));

const server = createWebhookServer({ secret, inbox });
server.listen(Number(process.env.PORT ?? 4000), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://127.0.0.1:${port}${WEBHOOK_PATH}`);
});
