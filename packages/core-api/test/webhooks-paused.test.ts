import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { RunningServer } from '../src/server.js';
import { RetentionJob } from '../src/services/retention.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually } from './support/webhooks.js';

const DAY = 86_400_000;

describe(`events while an endpoint is disabled are kept for it, and sent when it is enabled again (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let receiver: Receiver;
  let team: Team;
  let knex: Knex;
  let paths = 0;

  beforeAll(async () => {
    server = await startTestServer({ ...WEBHOOK_TEST_ENV, WEBHOOK_PAUSED_DAYS: '7' });
    client = new TestClient(server.url);
    receiver = await Receiver.start();
    team = await createTeam(client, 'Paused hooks');
    knex = server.database.knex;
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  const endpoint = async () => {
    const path = `/paused-${++paths}`;
    const created = await client.post('/api/webhooks', { url: receiver.url + path, eventTypes: ['task.created'] }, { token: team.admin.token });
    expect(created.status).toBe(201);
    return { path, id: created.body.endpoint.id as number };
  };
  const setEnabled = (id: number, enabled: boolean) => client.patch(`/api/webhooks/${id}`, { enabled }, { token: team.admin.token });
  const deliveries = async (id: number) => (await client.get(`/api/webhooks/${id}/deliveries`, { token: team.admin.token })).body.data as any[];

  /** Creates a task while `paused` is disabled; resolves once the fan-out has passed it (an enabled endpoint received it). */
  async function taskWhileDisabled(paused: { id: number }, title: string) {
    const sentinel = await endpoint();
    await client.post('/api/tasks', { title }, { token: team.manager.token });
    await receiver.waitFor(sentinel.path, 1, (r) => r.json?.data?.task?.title === title);
    const [queued] = await eventually(async () => {
      const rows = await deliveries(paused.id);
      return rows.length > 0 && rows;
    });
    return queued;
  }

  it('lists the event as paused in the delivery log while disabled, then sends it on re-enable', async () => {
    const hook = await endpoint();
    expect((await setEnabled(hook.id, false)).status).toBe(200);
    const queued = await taskWhileDisabled(hook, 'While disabled');
    expect(queued).toMatchObject({ status: 'pending', nextAttemptAt: null, eventType: 'task.created' });
    expect(queued.lastError).toMatch(/paused/i);
    expect(receiver.on(hook.path)).toHaveLength(0);

    await setEnabled(hook.id, true);
    const [sent] = await receiver.waitFor(hook.path, 1);
    expect(sent!.json.data.task.title).toBe('While disabled');
    await eventually(async () => (await deliveries(hook.id))[0]?.status === 'succeeded');
  });

  it('does not send what waited longer than WEBHOOK_PAUSED_DAYS, and says so in the log', async () => {
    const hook = await endpoint();
    await setEnabled(hook.id, false);
    const queued = await taskWhileDisabled(hook, 'Long ago');
    await knex('webhookDeliveries').where({ id: queued.id }).update({ createdAt: new Date(Date.now() - 8 * DAY) });
    await setEnabled(hook.id, true);
    // A task created after re-enabling arrives, so the worker has been through the queue.
    await client.post('/api/tasks', { title: 'After re-enable' }, { token: team.manager.token });
    await receiver.waitFor(hook.path, 1);
    expect(receiver.on(hook.path).map((r) => r.json.data.task.title)).toEqual(['After re-enable']);
    const expired = (await deliveries(hook.id)).find((d) => d.id === queued.id);
    expect(expired).toMatchObject({ status: 'failed' });
    expect(expired.lastError).toMatch(/disabled/);
  });

  it('expires paused deliveries of an endpoint that stays disabled (retention job)', async () => {
    const hook = await endpoint();
    await setEnabled(hook.id, false);
    const queued = await taskWhileDisabled(hook, 'Forgotten');
    await knex('webhookDeliveries').where({ id: queued.id }).update({ createdAt: new Date(Date.now() - 8 * DAY) });
    const retention = loadConfig({ ...process.env, JWT_SECRET: 'x'.repeat(40) }).retention;
    await new RetentionJob(knex, { ...retention, webhookPausedDays: 7 }).run(new Date());
    expect((await deliveries(hook.id)).find((d) => d.id === queued.id)).toMatchObject({ status: 'failed' });
  });
});
