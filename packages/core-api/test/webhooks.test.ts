import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { isBlockedAddress } from '../src/services/webhooks/destinations.js';
import { sendWebhook } from '../src/webhooks/sender.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { Receiver } from './support/webhooks.js';

const BLOCKED_URLS = [
  'http://127.0.0.1/hook',
  'http://10.1.2.3/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://[::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://localhost/hook',
];

describe(`webhook administration (${databaseMode()} database)`, () => {
  let open: RunningServer;
  let guarded: RunningServer;
  let client: TestClient;
  let guardedClient: TestClient;
  let team: Team;

  beforeAll(async () => {
    // Neither runs a worker: these tests only manage endpoints.
    open = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    guarded = await startTestServer();
    client = new TestClient(open.url);
    guardedClient = new TestClient(guarded.url);
    team = await createTeam(client, 'Webhook admin');
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
  });

  const create = (body: Record<string, unknown>, token = team.admin.token, via = client) => via.post('/api/webhooks', body, { token });

  it('creates, lists, gets, updates, disables and deletes an endpoint; the secret is shown on create and on request', async () => {
    const created = await create({ url: 'http://127.0.0.1:9/hook', description: 'CRM', eventTypes: ['task.updated'], changedFields: ['status'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body.endpoint.id;
    expect(created.body.endpoint).toMatchObject({ url: 'http://127.0.0.1:9/hook', description: 'CRM', eventTypes: ['task.updated'], changedFields: ['status'], enabled: true });
    expect(JSON.stringify(created.body.endpoint)).not.toContain(created.body.secret);

    const listed = await client.get('/api/webhooks', { token: team.admin.token });
    expect(listed.body.data.map((e: any) => e.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await client.get(`/api/webhooks/${id}/secret`, { token: team.admin.token })).body).toEqual({
      secret: created.body.secret,
      previousSecret: null,
      previousSecretExpiresAt: null,
    });

    const disabled = await client.patch(`/api/webhooks/${id}`, { enabled: false, eventTypes: [] }, { token: team.admin.token });
    expect(disabled.body).toMatchObject({ enabled: false, eventTypes: [], disabledReason: 'Disabled by an administrator' });
    const enabled = await client.patch(`/api/webhooks/${id}`, { enabled: true }, { token: team.admin.token });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });

    const rotated = await client.post(`/api/webhooks/${id}/rotate-secret`, {}, { token: team.admin.token });
    expect(rotated.body.previousSecret).toBe(created.body.secret);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 86_000_000);

    expect((await client.delete(`/api/webhooks/${id}`, { token: team.admin.token })).status).toBe(204);
    expect((await client.get(`/api/webhooks/${id}`, { token: team.admin.token })).status).toBe(404);
  });

  it('lists the event type catalog', async () => {
    const catalog = await client.get('/api/webhooks/event-types', { token: team.admin.token });
    expect(catalog.status).toBe(200);
    expect(catalog.body.data.map((e: any) => e.type)).toEqual(expect.arrayContaining(['task.created', 'task.updated', 'comment.created', 'webhook.test']));
  });

  it('validates the input, naming the field', async () => {
    for (const body of [
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: 'http://user:pass@example.com/hook' },
      { url: 'http://127.0.0.1/hook', eventTypes: ['task.exploded'] },
      { url: 'http://127.0.0.1/hook', changedFields: ['secret'] },
      { url: 'http://127.0.0.1/hook', extra: true },
    ]) {
      const response = await create(body);
      expect([400, 422], JSON.stringify(body)).toContain(response.status);
      expect(isProblem(response)).toBe(true);
    }
  });

  it('lets only admins manage endpoints', async () => {
    const created = await create({ url: 'http://127.0.0.1:9/hook' });
    for (const member of [team.manager, team.member]) {
      expect((await client.get('/api/webhooks', { token: member.token })).status).toBe(403);
      expect((await create({ url: 'http://127.0.0.1:9/x' }, member.token)).status).toBe(403);
      expect((await client.get(`/api/webhooks/${created.body.endpoint.id}/secret`, { token: member.token })).status).toBe(403);
    }
  });

  it("answers 404 for another workspace's endpoints and deliveries", async () => {
    const created = await create({ url: 'http://127.0.0.1:9/hook' });
    const id = created.body.endpoint.id;
    const other = await createTeam(client, 'Snoop');
    const token = other.admin.token;
    const tries = [
      client.get(`/api/webhooks/${id}`, { token }),
      client.get(`/api/webhooks/${id}/secret`, { token }),
      client.patch(`/api/webhooks/${id}`, { enabled: false }, { token }),
      client.post(`/api/webhooks/${id}/rotate-secret`, {}, { token }),
      client.post(`/api/webhooks/${id}/test`, undefined, { token }),
      client.get(`/api/webhooks/${id}/deliveries`, { token }),
      client.delete(`/api/webhooks/${id}`, { token }),
    ];
    for (const response of await Promise.all(tries)) expect(response.status).toBe(404);
    expect((await client.get('/api/webhooks', { token })).body.data).toEqual([]);
  });

  it('limits a workspace to 20 endpoints', async () => {
    const t = await createTeam(client, 'Many hooks');
    for (let i = 0; i < 20; i += 1) expect((await create({ url: `http://127.0.0.1:9/h${i}` }, t.admin.token)).status).toBe(201);
    const over = await create({ url: 'http://127.0.0.1:9/one-too-many' }, t.admin.token);
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('limit_reached');
  });

  describe('SSRF', () => {
    it('refuses loopback, private, link-local and metadata destinations at creation unless allowed', async () => {
      const t = await createTeam(guardedClient, 'Guarded');
      for (const url of BLOCKED_URLS) {
        const refused = await create({ url }, t.admin.token, guardedClient);
        expect(refused.status, url).toBe(422);
        expect(refused.body.errors[0].path).toBe('url');
      }
      // A developer pointing at a local receiver is told how to allow it.
      const local = await create({ url: 'http://127.0.0.1:9/hook' }, t.admin.token, guardedClient);
      expect(local.body.errors[0].message).toContain('WEBHOOK_ALLOW_PRIVATE=true');
      const created = await create({ url: 'http://127.0.0.1:9/hook' });
      expect((await guardedClient.patch(`/api/webhooks/${created.body.endpoint.id}`, { url: 'http://10.0.0.1/' }, { token: team.admin.token })).status).toBe(422);
      // The open server allows every private and loopback one (tests and local development), never metadata.
      for (const url of BLOCKED_URLS) expect((await create({ url })).status, url).toBe(url.includes('169.254.') ? 422 : 201);
    });

    it('refuses them again at send time (DNS can change), and sends when allowed', async () => {
      const receiver = await Receiver.start();
      try {
        const port = new URL(receiver.url).port;
        for (const host of ['127.0.0.1', 'localhost', '[::1]', '10.255.255.1', '169.254.169.254']) {
          const result = await sendWebhook({ url: `http://${host}:${port}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: false });
          expect(result.statusCode, host).toBeUndefined();
          expect(result.error, host).toMatch(/blocked destination/);
        }
        expect(receiver.received).toHaveLength(0);
        const allowed = await sendWebhook({ url: `http://localhost:${port}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: true });
        expect(allowed.statusCode).toBe(200);
        expect(receiver.received).toHaveLength(1);
      } finally {
        await receiver.close();
      }
    });

    it('classifies addresses', () => {
      for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:10.0.0.1', '::ffff:7f00:1']) {
        expect(isBlockedAddress(address), address).toBe(true);
      }
      for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700::1111', '::ffff:1.1.1.1']) {
        expect(isBlockedAddress(address), address).toBe(false);
      }
    });
  });
});
