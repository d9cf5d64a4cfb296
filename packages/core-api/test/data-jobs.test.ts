import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../src/domain/caller.js';
import type { RunningServer } from '../src/server.js';
import { DataJobQueue, JobLost, LEASE_MS, MAX_ATTEMPTS } from '../src/services/dataJobs/queue.js';
import { DataJobRunner, JobFailure } from '../src/services/dataJobs/runner.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { Contract } from './support/contract.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

/**
 * The queue under exports and imports: claims, leases, progress events,
 * failure, cancellation, expiry. Every claim here is limited to this file's
 * workspace: on a shared PostgreSQL other files queue jobs too.
 */
describe(`data jobs (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let queue: DataJobQueue;
  const as = (member: Member): Caller => ({ userId: member.id, workspaceId: team.workspaceId, role: member.role, name: '', via: 'password' });
  const create = (member: Member, params: Record<string, unknown> = {}) =>
    server.database.knex.transaction((trx) => queue.create(trx, { workspaceId: team.workspaceId, userId: member.id, kind: 'export', params }));
  const claim = (now?: Date) => queue.claim('export', now, team.workspaceId);
  const eventsOf = async (member: Member) => {
    const page = await client.get('/api/events?after=0&limit=1000', { token: member.token });
    return (page.body.data as Array<{ event: string; data: { job?: { id: number; status: string; progress: { phase: string } } } }>).filter((event) => event.data.job);
  };

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Jobs');
    queue = new DataJobQueue(server.database.knex);
  });
  afterAll(() => server.close());

  it('wakes its listeners after the commit, and a claim takes a queued job once', async () => {
    let woken = 0;
    const stop = queue.onCreated(() => woken++);
    const job = await create(team.admin, { format: 'json' });
    stop();
    await eventually(async () => woken === 1, 5000, 'the listener');
    expect(job).toMatchObject({ kind: 'export', status: 'queued', params: { format: 'json' }, createdBy: team.admin.id, progress: { done: 0, total: null, phase: 'queued' } });
    const claimed = await claim();
    expect(claimed).toMatchObject({ id: job.id, status: 'running', attempts: 1, workspaceId: team.workspaceId });
    expect(await claim()).toBeUndefined();
    await queue.succeed(claimed!, {});
  });

  it('reports progress at most once a second per phase, as events its creator alone sees', async () => {
    const job = await create(team.member);
    const claimed = (await claim())!;
    await queue.progress(claimed, { done: 1, total: 10, phase: 'tasks' });
    await queue.progress(claimed, { done: 2, total: 10, phase: 'tasks' }); // within the second: not written
    await queue.progress(claimed, { done: 3, total: 10, phase: 'files' }); // a new phase: written
    expect((await queue.get(as(team.member), 'export', job.id)).progress).toEqual({ done: 3, total: 10, phase: 'files' });
    await queue.succeed(claimed, { files: 1 });
    const seen = await eventually(async () => {
      const events = (await eventsOf(team.member)).filter((event) => event.data.job!.id === job.id);
      return events.length === 3 && events;
    });
    expect(seen.map((event) => `${event.event}:${event.data.job!.progress.phase}`)).toEqual(['export.progress:tasks', 'export.progress:files', 'export.completed:done']);
    // As the event catalog says (the OpenAPI `Event` union).
    const contract = new Contract((await client.get('/openapi.json')).body);
    expect(seen.flatMap((event) => contract.validateComponent('Event', event))).toEqual([]);
    expect((await eventsOf(team.other)).filter((event) => event.data.job!.id === job.id)).toEqual([]);
    expect((await eventsOf(team.admin)).filter((event) => event.data.job!.id === job.id)).toEqual([]);
  });

  it('shows a job to its creator and to admins, no one else', async () => {
    const job = await create(team.member);
    await expect(queue.get(as(team.member), 'export', job.id)).resolves.toMatchObject({ id: job.id });
    await expect(queue.get(as(team.admin), 'export', job.id)).resolves.toMatchObject({ id: job.id });
    await expect(queue.get(as(team.other), 'export', job.id)).rejects.toMatchObject({ status: 404 });
    await expect(queue.get(as(team.member), 'import', job.id)).rejects.toMatchObject({ status: 404 });
    expect((await queue.list(as(team.other), 'export')).data.map((listed) => listed.id)).not.toContain(job.id);
    const first = await queue.list(as(team.admin), 'export', { limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await queue.list(as(team.admin), 'export', { limit: 1, cursor: first.nextCursor! });
    expect(second.data[0]!.id).toBeLessThan(first.data[0]!.id);
    await queue.cancel(as(team.member), 'export', job.id);
  });

  it('claims again a job whose lease lapsed; the first holder loses it; a job that keeps dying is failed', async () => {
    const job = await create(team.admin);
    const first = (await claim())!;
    const later = new Date(Date.now() + LEASE_MS + 1000);
    const second = (await claim(later))!;
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    await expect(queue.progress(first, { done: 1, total: null, phase: 'other' })).rejects.toBeInstanceOf(JobLost);
    let now = later;
    for (let attempt = 3; attempt <= MAX_ATTEMPTS; attempt++) {
      now = new Date(now.getTime() + LEASE_MS + 1000);
      expect(await claim(now)).toMatchObject({ id: job.id, attempts: attempt });
    }
    expect(await claim(new Date(now.getTime() + LEASE_MS + 1000))).toBeUndefined();
    const failed = await queue.get(as(team.admin), 'export', job.id);
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('Gave up') });
  });

  it('runs handlers: a JobFailure’s message is shown, any other error is not; a cancelled job stops at its next report', async () => {
    const errors: unknown[] = [];
    const runner = new DataJobRunner(queue, server.services.storage, (error) => errors.push(error), team.workspaceId);
    const outcomes = [
      async () => {
        throw new JobFailure('The project is gone', { line: 3 });
      },
      async () => {
        throw new Error('connection to 10.0.0.5 refused, password=hunter2');
      },
    ];
    runner.handle('export', (job) => outcomes[(job.params as { n: number }).n]!());
    const refused = await create(team.admin, { n: 0 });
    const broken = await create(team.admin, { n: 1 });
    await runner.runOnce();
    expect(await queue.get(as(team.admin), 'export', refused.id)).toMatchObject({ status: 'failed', error: 'The project is gone', result: { line: 3 } });
    const internal = await queue.get(as(team.admin), 'export', broken.id);
    expect(internal.status).toBe('failed');
    const failedEvent = await eventually(async () => (await eventsOf(team.admin)).find((event) => event.event === 'export.failed' && event.data.job!.id === broken.id));
    expect(new Contract((await client.get('/openapi.json')).body).validateComponent('Event', failedEvent)).toEqual([]);
    expect(internal.error).not.toMatch(/hunter2|10\.0\.0\.5/);
    expect(errors).toHaveLength(1);

    const cancelling = new DataJobRunner(queue, server.services.storage, (error) => errors.push(error), team.workspaceId);
    cancelling.handle('export', async (job, jobs) => {
      await jobs.cancel(as(team.admin), 'export', job.id);
      await jobs.progress(job, { done: 1, total: 2, phase: 'tasks' });
      return { result: {} };
    });
    const cancelled = await create(team.admin);
    await cancelling.runOnce();
    expect(await queue.get(as(team.admin), 'export', cancelled.id)).toMatchObject({ status: 'cancelled' });
    expect(errors).toHaveLength(1);
  });

  it('removes the stored file of a job once it expires', async () => {
    const storage = server.services.storage;
    const key = `exports/${team.workspaceId}/test-${Date.now()}`;
    await storage.put(key, Readable.from([Buffer.from('archive')]), { contentType: 'application/zip' });
    const runner = new DataJobRunner(queue, storage, () => {}, team.workspaceId);
    runner.handle('export', async () => ({ result: {}, storageKey: key, expiresAt: new Date(Date.now() - 1000) }));
    const job = await create(team.admin);
    await runner.runOnce();
    expect(await queue.get(as(team.admin), 'export', job.id)).toMatchObject({ status: 'succeeded' });
    await runner.runOnce();
    await expect(storage.get(key)).rejects.toThrow();
    expect(await queue.stored(as(team.admin), 'export', job.id)).toMatchObject({ storageKey: null });
  });
});
