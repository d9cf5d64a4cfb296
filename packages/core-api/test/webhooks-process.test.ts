import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient, createTeam } from './support/client.js';
import { startApiProcess } from './support/process.js';
import { databaseMode } from './support/server.js';
import { Receiver, WEBHOOK_TEST_ENV, eventually } from './support/webhooks.js';

describe(`webhook durability across a killed process (${databaseMode()} database)`, () => {
  it('delivers every event after the worker is killed with deliveries due and started again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-hooks-'));
    const env = {
      ...WEBHOOK_TEST_ENV,
      // Enough retries to outlast a slow machine's kill and restart: exhausted deliveries are (rightly) never sent.
      WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 20 }, () => '3').join(','),
      SEED_DEMO: 'false',
      DUE_REMINDERS_INTERVAL: '0',
      TASKBASE_DATA_DIR: dataDir,
      DATABASE_URL: process.env.DATABASE_URL,
    };
    const receiver = await Receiver.start();
    let api = await startApiProcess(env);
    try {
      let client = new TestClient(api.url);
      const team = await createTeam(client, 'Durable');
      const hook = await client.post('/api/webhooks', { url: `${receiver.url}/durable`, eventTypes: ['task.created'] }, { token: team.admin.token });
      // The receiver fails at first, so deliveries are waiting for a retry when the process dies.
      let failing = true;
      const delivered = new Set<string>();
      receiver.reply('/durable', (request) => {
        if (failing) return { status: 503 };
        delivered.add(request.json.data.task.title);
        return { status: 200 };
      });
      const titles = Array.from({ length: 20 }, (_, i) => `Durable ${i}`);
      for (const title of titles) expect((await client.post('/api/tasks', { title }, { token: team.manager.token })).status).toBe(201);
      await receiver.waitFor('/durable', 1);
      expect(await api.stop('SIGKILL')).toBeNull();

      failing = false;
      api = await startApiProcess(env);
      client = new TestClient(api.url);
      await eventually(async () => delivered.size === titles.length, 60_000, 'every event to be delivered').catch(() => {});
      expect([...delivered].sort()).toEqual([...titles].sort());
      const statuses = await eventually(async () => {
        const list = await client.get(`/api/webhooks/${hook.body.endpoint.id}/deliveries?limit=100`, { token: team.admin.token });
        return list.body.data.every((d: any) => d.status === 'succeeded') && list.body.data;
      }, 30_000, 'every delivery to succeed');
      expect(statuses).toHaveLength(titles.length);
    } finally {
      await api.stop();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
