import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually, type ReceivedWebhook } from './support/webhooks.js';

describe(`webhook delivery (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let receiver: Receiver;
  let team: Team;
  let paths = 0;

  beforeAll(async () => {
    server = await startTestServer(WEBHOOK_TEST_ENV);
    client = new TestClient(server.url);
    receiver = await Receiver.start();
    team = await createTeam(client, 'Hooks');
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  /** An endpoint on its own receiver path. */
  const endpoint = async (body: Record<string, unknown> = {}, t = team) => {
    const path = `/hook-${++paths}`;
    const created = await client.post('/api/webhooks', { url: receiver.url + path, ...body }, { token: t.admin.token });
    expect(created.status).toBe(201);
    return { path, id: created.body.endpoint.id as number, secret: created.body.secret as string };
  };
  const createTask = async (title: string) => (await client.post('/api/tasks', { title }, { token: team.manager.token })).body;
  const verify = (secret: string, request: ReceivedWebhook) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
  const delivery = (endpointId: number, deliveryId: number) =>
    client.get(`/api/webhooks/${endpointId}/deliveries/${deliveryId}`, { token: team.admin.token }).then((r) => r.body);
  const deliveries = (endpointId: number) =>
    client.get(`/api/webhooks/${endpointId}/deliveries`, { token: team.admin.token }).then((r) => r.body.data as any[]);

  it('signs every delivery so the standardwebhooks library verifies it, and a tampered body fails', async () => {
    const hook = await endpoint({ eventTypes: ['task.created', 'task.updated'] });
    const task = await createTask('Signed');
    await client.patch(`/api/tasks/${task.id}`, { status: 'in_progress', priority: 'high' }, { token: team.manager.token });
    const [created, updated] = await receiver.waitFor(hook.path, 2);
    for (const request of [created!, updated!]) {
      expect(verify(hook.secret, request)).toEqual(request.json);
      expect(request.headers['webhook-id']).toMatch(/^msg_/);
      expect(Number(request.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
      expect(() => new Webhook(hook.secret).verify(request.body.replace('Signed', 'Forged'), request.headers as Record<string, string>)).toThrow();
    }
    expect(created!.json).toMatchObject({ type: 'task.created', data: { task: { id: task.id, title: 'Signed' } } });
    expect(new Date(created!.json.timestamp).toISOString()).toBe(created!.json.timestamp);
    expect(updated!.json).toMatchObject({
      type: 'task.updated',
      data: { task: { id: task.id, status: 'in_progress' }, changes: { status: { from: 'todo', to: 'in_progress' }, priority: { from: 'medium', to: 'high' } } },
    });
  });

  it('filters task.updated on the fields that changed', async () => {
    const hook = await endpoint({ eventTypes: ['task.updated'], changedFields: ['status', 'assignedTo'] });
    const task = await createTask('Filtered');
    await client.patch(`/api/tasks/${task.id}`, { priority: 'low' }, { token: team.manager.token });
    await client.patch(`/api/tasks/${task.id}`, { title: 'Renamed' }, { token: team.manager.token });
    await client.patch(`/api/tasks/${task.id}`, { status: 'done' }, { token: team.manager.token });
    const [only] = await receiver.waitFor(hook.path, 1);
    expect(only!.json.data.changes).toEqual({ status: { from: 'todo', to: 'done' }, statusCategory: { from: 'unstarted', to: 'completed' } });
    // A later status change arrives too, and nothing else slipped in before it.
    await client.patch(`/api/tasks/${task.id}`, { status: 'todo' }, { token: team.manager.token });
    const received = await receiver.waitFor(hook.path, 2);
    expect(received.map((r) => r.json.data.changes.status.to)).toEqual(['done', 'todo']);
  });

  it('retries 500, 500 then 200 with exactly three attempts on the schedule, with the same webhook-id', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, (_, nth) => ({ status: nth <= 2 ? 500 : 200, body: nth <= 2 ? 'try later' : 'thanks' }));
    await createTask('Flaky receiver');
    const attempts = await receiver.waitFor(hook.path, 3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    // Schedule 1,1 with ±20 % jitter.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(750);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(750);
    const [listed] = await eventually(async () => {
      const rows = await deliveries(hook.id);
      return rows[0]?.status === 'succeeded' && rows;
    });
    const detail = await delivery(hook.id, listed.id);
    expect(detail.attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 200]);
    // The receiver is on 127.0.0.1: a private target's answer is not kept (test/webhooks-private-destinations.test.ts).
    expect(detail.attempts[0]).toMatchObject({ error: 'HTTP 500', responseBody: null });
    expect(detail.attempts[0].nextRetryAt).not.toBeNull();
    expect(detail.attempts[2].nextRetryAt).toBeNull();
    expect(detail.payload.type).toBe('task.created');
    expect(receiver.on(hook.path)).toHaveLength(3);
  });

  it('counts a timeout as a failure and retries', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, (_, nth) => (nth === 1 ? { status: 200, delayMs: 3000 } : { status: 204 }));
    await createTask('Slow receiver');
    await receiver.waitFor(hook.path, 2);
    const [row] = await eventually(async () => {
      const rows = await deliveries(hook.id);
      return rows[0]?.status === 'succeeded' && rows;
    });
    const detail = await delivery(hook.id, row.id);
    expect(detail.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/timed out/) });
    expect(detail.attempts[1]).toMatchObject({ statusCode: 204, error: null });
  });

  it('treats a redirect as a failure without following it, and marks the delivery failed after the last attempt', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, () => ({ status: 302, headers: { location: `${receiver.url}/redirected` } }));
    await createTask('Redirecting receiver');
    await receiver.waitFor(hook.path, 3);
    const [row] = await eventually(async () => {
      const rows = await deliveries(hook.id);
      return rows[0]?.status === 'failed' && rows;
    });
    expect(row).toMatchObject({ attemptCount: 3, lastStatusCode: 302, nextAttemptAt: null });
    expect(receiver.on('/redirected')).toHaveLength(0);
  });

  it('honours Retry-After on 429', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, (_, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 }));
    await createTask('Rate limited');
    const [first, second] = await receiver.waitFor(hook.path, 2);
    expect(second!.at).toBeGreaterThan(first!.at);
    // The schedule alone would retry within 1.2 s. Read from the attempt the worker recorded, not from
    // arrival times: on a loaded machine the receiver may note the first arrival late.
    const [attempt] = (await server.services.knex('webhook_attempts as a')
      .join('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .where('d.endpoint_id', hook.id)
      .orderBy('a.attempt')
      .select(server.services.knex.raw('a.status_code, extract(epoch from a.next_retry_at - a.created_at) as wait'))) as Array<{ statusCode: number; wait: number }>;
    expect(attempt).toMatchObject({ statusCode: 429 });
    expect(Number(attempt!.wait)).toBeGreaterThanOrEqual(2.9);
  });

  it('disables the endpoint at once on 410, with a reason and an event', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, () => ({ status: 410 }));
    await createTask('Gone receiver');
    await receiver.waitFor(hook.path, 1);
    const disabled = await eventually(async () => {
      const got = await client.get(`/api/webhooks/${hook.id}`, { token: team.admin.token });
      return got.body.enabled === false && got.body;
    });
    expect(disabled.disabledReason).toMatch(/410/);
    const events = await server.services.knex('events').where({ workspaceId: team.workspaceId, type: 'webhook.endpoint_disabled' });
    expect(events.some((e: any) => e.payload.endpoint.id === hook.id)).toBe(true);
    const sentinel = await endpoint({ eventTypes: ['task.created'] });
    await createTask('Not sent to a disabled endpoint');
    // Once another endpoint has it, the worker has fanned it out: the disabled one got nothing.
    await receiver.waitFor(sentinel.path, 1);
    expect(receiver.on(hook.path)).toHaveLength(1);
  });

  it('disables an endpoint whose deliveries have failed for longer than the configured period', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    receiver.reply(hook.path, () => ({ status: 500 }));
    await server.services.knex('webhookEndpoints').where({ id: hook.id }).update({ failingSince: new Date(Date.now() - 6 * 86_400_000) });
    await createTask('Long failing');
    const disabled = await eventually(async () => {
      const got = await client.get(`/api/webhooks/${hook.id}`, { token: team.admin.token });
      return got.body.enabled === false && got.body;
    });
    expect(disabled.disabledReason).toMatch(/failed for more than/);
    // Enabling it again starts afresh.
    const enabled = await client.patch(`/api/webhooks/${hook.id}`, { enabled: true }, { token: team.admin.token });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it('sends a test event, and resends a delivery with the same webhook-id', async () => {
    const hook = await endpoint();
    const queued = await client.post(`/api/webhooks/${hook.id}/test`, undefined, { token: team.admin.token });
    expect(queued.status).toBe(202);
    const [test] = await receiver.waitFor(hook.path, 1, (r) => r.json?.type === 'webhook.test');
    expect(verify(hook.secret, test!)).toMatchObject({ type: 'webhook.test', data: { endpointId: hook.id } });
    await eventually(async () => (await delivery(hook.id, queued.body.id)).status === 'succeeded');
    const resent = await client.post(`/api/webhooks/${hook.id}/deliveries/${queued.body.id}/resend`, undefined, { token: team.admin.token });
    expect(resent.status).toBe(202);
    const both = await receiver.waitFor(hook.path, 2, (r) => r.json?.type === 'webhook.test');
    expect(both[1]!.headers['webhook-id']).toBe(test!.headers['webhook-id']);
    const detail = await eventually(async () => {
      const d = await delivery(hook.id, queued.body.id);
      return d.attempts.length === 2 && d.status === 'succeeded' && d;
    });
    expect(detail.attempts.map((a: any) => a.attempt)).toEqual([1, 2]);
  });

  it('sends two signatures during a rotation overlap and one after it', async () => {
    const hook = await endpoint({ eventTypes: ['task.created'] });
    const rotated = await client.post(`/api/webhooks/${hook.id}/rotate-secret`, { overlapSeconds: 2 }, { token: team.admin.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.previousSecret).toBe(hook.secret);
    const next = rotated.body.secret as string;
    await client.post(`/api/webhooks/${hook.id}/test`, undefined, { token: team.admin.token });
    const [during] = await receiver.waitFor(hook.path, 1);
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(hook.secret, during!)).toBeTruthy();
    expect(verify(next, during!)).toBeTruthy();
    // Wait out the overlap (a point in time, not an event).
    const expires = new Date(rotated.body.previousSecretExpiresAt).getTime();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expires - Date.now() + 100)));
    expect((await client.get(`/api/webhooks/${hook.id}/secret`, { token: team.admin.token })).body.previousSecret).toBeNull();
    await client.post(`/api/webhooks/${hook.id}/test`, undefined, { token: team.admin.token });
    const [, after] = await receiver.waitFor(hook.path, 2);
    expect(String(after!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(next, after!)).toBeTruthy();
    expect(() => verify(hook.secret, after!)).toThrow();
  });

  it("sends a workspace's events only to that workspace's endpoints", async () => {
    const other = await createTeam(client, 'Other hooks');
    const mine = await endpoint({ eventTypes: ['task.created'] });
    const theirs = await endpoint({ eventTypes: ['task.created'] }, other);
    await createTask('Mine only');
    await client.post('/api/tasks', { title: 'Theirs only' }, { token: other.manager.token });
    const [a] = await receiver.waitFor(mine.path, 1);
    const [b] = await receiver.waitFor(theirs.path, 1);
    expect(a!.json.data.task.title).toBe('Mine only');
    expect(b!.json.data.task.title).toBe('Theirs only');
  });
});
