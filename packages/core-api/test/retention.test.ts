import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { RunningServer } from '../src/server.js';
import { RetentionJob, type RetentionWindows } from '../src/services/retention.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer, testConfig } from './support/server.js';
import { TestSocket } from './support/ws.js';

const DAY = 86_400_000;
const WINDOWS: RetentionWindows = { eventsDays: 30, webhookDeliveriesDays: 30, refreshTokensDays: 7, idempotencyHours: 24 };

describe(`retention: old rows are pruned in batches, once per cluster (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let knex: Knex;
  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    client = new TestClient(server.url);
    knex = server.database.knex;
  });
  afterAll(() => server.close());

  const ago = (ms: number) => new Date(Date.now() - ms);

  /** Rows of one team's workspace, some past their window: the shared database holds other tests' rows, all recent. */
  async function seedOldAndNew(team: Team) {
    const workspaceId = team.workspaceId;
    const task = await client.post('/api/tasks', { title: 'Recent' }, { token: team.manager.token });
    const oldEvents = (await knex('events')
      .insert([1, 2, 3].map((n) => ({ workspaceId, type: 'task.created', actorId: team.admin.id, taskId: task.body.id, payload: { task: { id: task.body.id, title: `old ${n}` } }, createdAt: ago(40 * DAY) })))
      .returning('id')) as Array<{ id: number }>;
    const endpoint = await client.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook' }, { token: team.admin.token });
    const delivery = (status: string, createdAt: Date, completedAt: Date | null) => ({
      workspaceId,
      endpointId: endpoint.body.endpoint.id,
      messageId: `msg_${randomUUID()}`,
      eventType: 'task.created',
      body: '{}',
      status,
      createdAt,
      completedAt,
      // Far ahead, so no webhook worker sharing this database claims the pending one.
      nextAttemptAt: status === 'pending' ? new Date(Date.now() + 365 * DAY) : null,
    });
    const [oldDone, oldPending, recentDone] = (await knex('webhookDeliveries')
      .insert([delivery('succeeded', ago(41 * DAY), ago(40 * DAY)), delivery('pending', ago(40 * DAY), null), delivery('failed', ago(DAY), ago(DAY))])
      .returning('id')) as Array<{ id: number }>;
    await knex('webhookAttempts').insert({ workspaceId, deliveryId: oldDone!.id, attempt: 1, statusCode: 200, durationMs: 5, createdAt: ago(40 * DAY) });
    await knex('idempotencyKeys').insert({ workspaceId, userId: team.member.id, key: `old-${randomUUID()}`, fingerprint: 'x', status: 201, response: JSON.stringify({ headers: {}, body: 'x'.repeat(1000) }), createdAt: ago(2 * DAY) });
    await client.post('/api/tasks', { title: 'Fresh key' }, { token: team.member.token, headers: { 'idempotency-key': `new-${randomUUID()}` } });
    await knex('refreshTokens').insert({ workspaceId, userId: team.member.id, familyId: randomUUID(), tokenHash: `old-${randomUUID()}`, expiresAt: ago(10 * DAY), createdAt: ago(40 * DAY) });
    return { oldEventIds: oldEvents.map((row) => row.id), oldDone: oldDone!.id, oldPending: oldPending!.id, recentDone: recentDone!.id };
  }

  const count = async (table: string, where: Record<string, unknown>) => Number(((await knex(table).where(where).count({ n: '*' })) as Array<{ n: number | string }>)[0]!.n);

  it('deletes what is past its window and keeps the rest, in batches', async () => {
    const team = await createTeam(client, 'Retention');
    const seeded = await seedOldAndNew(team);
    const eventsBefore = await count('events', { workspaceId: team.workspaceId });
    const refreshBefore = await count('refreshTokens', { workspaceId: team.workspaceId });

    // A batch of 2 makes every table take several statements.
    const pruned = await new RetentionJob(knex, WINDOWS, { batchSize: 2 }).run(new Date());
    expect(pruned.events).toBeGreaterThanOrEqual(3);

    expect(await count('events', { workspaceId: team.workspaceId })).toBe(eventsBefore - 3);
    for (const id of seeded.oldEventIds) expect(await count('events', { id })).toBe(0);
    expect(await count('webhookDeliveries', { id: seeded.oldDone })).toBe(0);
    expect(await count('webhookAttempts', { deliveryId: seeded.oldDone })).toBe(0);
    expect(await count('webhookDeliveries', { id: seeded.oldPending })).toBe(1); // never a delivery still to send
    expect(await count('webhookDeliveries', { id: seeded.recentDone })).toBe(1);
    expect(await count('idempotencyKeys', { workspaceId: team.workspaceId })).toBe(1);
    expect(await count('refreshTokens', { workspaceId: team.workspaceId })).toBe(refreshBefore - 1);
    // The team still works: its sessions were not among them.
    expect((await client.post('/api/auth/refresh', { refreshToken: team.member.refreshToken })).status).toBe(200);
  });

  it('answers a resume from before the pruned events with resync (WebSocket) and 410 (GET /api/events)', async () => {
    const team = await createTeam(client, 'Resume');
    const seeded = await seedOldAndNew(team);
    const newest = Math.max(...seeded.oldEventIds);
    await new RetentionJob(knex, WINDOWS).run(new Date());

    const since = seeded.oldEventIds[0]!;
    const socket = await TestSocket.subscribed(server.url, team.manager.token, [], undefined);
    try {
      socket.send({ type: 'subscribe', topic: 'tasks', since });
      expect(await socket.next((f) => f.type === 'resync')).toMatchObject({ topic: 'tasks' });
    } finally {
      socket.close();
    }
    const gone = await client.get(`/api/events?after=${since}`, { token: team.manager.token });
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('events_pruned');

    // From the last pruned event on, nothing is missing: both answer as usual.
    expect((await client.get(`/api/events?after=${newest}`, { token: team.manager.token })).status).toBe(200);
    const resumed = await TestSocket.subscribed(server.url, team.manager.token, ['tasks'], newest);
    try {
      expect(resumed.frames.some((f) => f.type === 'resync')).toBe(false);
    } finally {
      resumed.close();
    }
  });

  it('runs once per interval across every process that schedules it', async () => {
    const job = `retention-test-${randomUUID()}`;
    const processes = [0, 1, 2].map(() => new RetentionJob(knex, WINDOWS, { jobName: job, intervalMs: 3_600_000 }));
    const now = new Date();
    const ran = await Promise.all(processes.map((p) => p.runIfDue(now)));
    expect(ran.filter((result) => result !== undefined)).toHaveLength(1);
    // Within the interval nobody runs it again; after it, one does.
    expect(await processes[1]!.runIfDue(new Date(now.getTime() + 60_000))).toBeUndefined();
    const later = new Date(now.getTime() + 3_601_000);
    const next = await Promise.all(processes.map((p) => p.runIfDue(later)));
    expect(next.filter((result) => result !== undefined)).toHaveLength(1);
  });

  it('reads its windows from the environment, with documented defaults', () => {
    expect(testConfig().retention).toEqual({ intervalSeconds: 3600, eventsDays: 30, webhookDeliveriesDays: 30, refreshTokensDays: 7, idempotencyHours: 24 });
    const custom = loadConfig({ ...process.env, JWT_SECRET: 'x'.repeat(40), RETENTION_EVENTS_DAYS: '90', RETENTION_INTERVAL: '0', RETENTION_IDEMPOTENCY_HOURS: '48' });
    expect(custom.retention).toMatchObject({ eventsDays: 90, intervalSeconds: 0, idempotencyHours: 48 });
    expect(() => loadConfig({ ...process.env, JWT_SECRET: 'x'.repeat(40), RETENTION_IDEMPOTENCY_HOURS: '1' })).toThrow(/RETENTION_IDEMPOTENCY_HOURS/);
  });
});
