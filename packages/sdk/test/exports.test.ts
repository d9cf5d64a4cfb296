import { DataJobRunner, type RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { NotFoundError, type ExportJob, type RealtimeMessage, type TaskbaseClient } from '../src/index.js';
import { adminClient, startTestServer } from './support/server.js';

/**
 * client.exports and client.tasks.csv against a real core-api. Its jobs are run here, by a runner of this
 * workspace's alone: on a shared PostgreSQL, a server's own runner would take other suites' jobs too (and
 * their files are in another package's storage folder).
 */
describe(`exports (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let admin: TaskbaseClient;
  let runner: DataJobRunner;

  beforeAll(async () => {
    server = await startTestServer({ DATA_JOBS_INTERVAL: '0' });
    const signedUp = await adminClient(server.url);
    admin = signedUp.client;
    runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, signedUp.session.user.workspaceId);
    runner.handle('export', server.services.exports.run);
    await admin.tasks.create({ title: 'Exported', priority: 'high' });
    await admin.tasks.create({ title: 'Also exported', priority: 'low' });
  });
  afterAll(() => {
    admin.realtime.close();
    return server.close();
  });

  /** The `jobs` topic's messages, once subscribed; `until` awaits one. */
  async function jobsFeed() {
    const messages: RealtimeMessage[] = [];
    const waiters = new Set<() => void>();
    const stop = admin.realtime.subscribe('jobs', (message) => {
      messages.push(message);
      waiters.forEach((wake) => wake());
    });
    const until = <T>(find: (messages: RealtimeMessage[]) => T | undefined) =>
      new Promise<T>((resolve) => {
        const check = () => {
          const found = find(messages);
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    await until((all) => all.find((message) => message.type === 'subscribed'));
    return { until, stop };
  }

  it('create, follow on the jobs topic, get, list, download', async () => {
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['exports']['create']>>>().toEqualTypeOf<ExportJob>();
    const feed = await jobsFeed();
    const job = await admin.exports.create({ format: 'json' });
    expect(job).toMatchObject({ kind: 'export', status: 'queued', download: null });
    await runner.runOnce();
    const finished = await feed.until((all) =>
      all.find((message) => message.type === 'event' && (message.data as { job?: ExportJob }).job?.id === job.id && message.event !== 'export.progress'),
    );
    feed.stop();
    expect(finished).toMatchObject({ event: 'export.completed', data: { job: { id: job.id, status: 'succeeded' } } });
    const read = await admin.exports.get(job.id);
    expect(read.download?.url).toMatch(/^\/api\/exports\/\d+\/download\?/);
    expect((await admin.exports.list()).data.map((j) => j.id)).toContain(job.id);
    const response = await admin.exports.download(job.id);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // "PK": a zip
    await expect(admin.exports.get(job.id + 100_000)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('tasks.csv: the list filters as CSV text', async () => {
    const csv = await admin.tasks.csv({ priority: ['high'] });
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toMatch(/^ID,Identifier,Project,Title,/);
    expect(lines.slice(1).map((line) => line.split(',')[3])).toEqual(['Exported']);
  });
});
