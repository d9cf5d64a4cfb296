import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { DataJobQueue, LEASE_MS } from '../src/services/dataJobs/queue.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { TestClient, createTeam } from './support/client.js';
import { importForm } from './support/imports.js';
import { startApiProcess, type ApiProcess } from './support/process.js';
import { databaseMode, scratchDatabase, testConfig } from './support/server.js';
import { eventually } from './support/webhooks.js';
import { archiveOf, type WorkspaceContent } from './support/workspaceContent.js';

const TASKS = 5000;

/** A source workspace of TASKS tasks, a comment on every tenth, as an export archive. */
function bigArchive(): Promise<Buffer> {
  const createdAt = '2026-01-01T00:00:00.000Z';
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    id: i + 1,
    projectId: 1,
    title: `Resumable ${i + 1}`,
    description: `Task number ${i + 1}`,
    status: i % 3 === 0 ? 'done' : 'todo',
    priority: 'medium',
    assignedTo: null,
    createdBy: 1,
    dueDate: null,
    labels: [],
    fields: {},
    parentId: i > 0 && i % 50 === 0 ? i : null,
    watcherIds: [1],
    completedAt: null,
    createdAt,
  }));
  const content: WorkspaceContent = {
    workspace: { id: 424242, name: 'Big' },
    users: [{ id: 1, name: 'Owner', email: 'owner-resume@example.test', role: 'admin', active: true, externalId: null, timezone: 'UTC' }],
    projects: [{ id: 1, key: 'GEN', name: 'General', description: '', visibility: 'workspace', archivedAt: null, statuses: [], memberIds: [] }],
    labels: [],
    fields: [],
    tasks,
    comments: tasks.filter((_, i) => i % 10 === 0).map((t) => ({ id: t.id, taskId: t.id, authorId: 1, body: `About ${t.title}`, createdAt, updatedAt: createdAt })),
    relations: [],
    attachments: [],
  };
  return archiveOf(content);
}

/**
 * A process killed (SIGKILL) in the middle of an import leaves its job
 * `running` with a lease; once the lease lapses another process claims it,
 * resumes from the checkpoint, and the workspace ends with every record
 * exactly once. The second process's clock is moved past the lease (the
 * queue takes its clock), rather than waiting a minute.
 */
describe(`an import resumed after its process was killed (${databaseMode()} database)`, () => {
  it('finishes in another process with no duplicate and nothing missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-import-resume-'));
    const scratch = process.env.DATABASE_URL ? await scratchDatabase('import_resume') : undefined;
    const env = { SEED_DEMO: 'false', DUE_REMINDERS_INTERVAL: '0', DATA_JOBS_INTERVAL: '1', TASKBASE_DATA_DIR: dataDir, DATABASE_URL: scratch?.url };
    let api: ApiProcess | undefined;
    let server: RunningServer | undefined;
    try {
      api = await startApiProcess(env);
      let client = new TestClient(api.url);
      const team = await createTeam(client, 'Resume');
      const started = await client.post('/api/imports', undefined, { token: team.admin.token, ...(await importForm(await bigArchive(), { source: 'taskbase' })) });
      expect(started.status).toBe(202);
      const path = `/api/imports/${started.body.id}`;
      // Killed once it has written some tasks, and well before the end.
      const midway = await eventually(async () => {
        const job = (await client.get(path, { token: team.admin.token })).body;
        return job.progress.phase === 'writing' && job.progress.done >= 300 && job;
      }, 120_000, 'the import to be under way');
      expect(await api.stop('SIGKILL')).toBeNull();
      api = undefined;
      expect(midway.progress.done).toBeLessThan(TASKS);

      server = await startServer(testConfig({ ...env, DATABASE_URL: scratch?.url ?? '', DATA_JOBS_INTERVAL: '0', MIGRATE_ON_START: 'true' }));
      client = new TestClient(server.url);
      const token = (await client.post('/api/auth/login', { email: team.admin.email, password: team.admin.password })).body.accessToken as string;
      const stalled = (await client.get(path, { token })).body;
      expect(stalled.status).toBe('running');
      const written = Number((await client.get('/api/tasks/counts', { token })).body.total);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(TASKS);

      // Not before the lease lapses: the job is still the dead process's.
      const now = new DataJobRunner(new DataJobQueue(server.database.knex), server.services.storage, (error) => console.error(error), team.workspaceId);
      now.handle('import', server.services.imports.handle);
      await now.runOnce();
      expect((await client.get(path, { token })).body.status).toBe('running');

      const later = new DataJobRunner(new DataJobQueue(server.database.knex, () => new Date(Date.now() + LEASE_MS + 1000)), server.services.storage, (error) => console.error(error), team.workspaceId);
      later.handle('import', server.services.imports.handle);
      await later.runOnce();
      const job = (await client.get(path, { token })).body;
      expect(job.error).toBeNull();
      expect(job.status).toBe('succeeded');

      const counts = (await client.get('/api/tasks/counts', { token })).body;
      expect(counts.total).toBe(TASKS);
      const knex = server.database.knex;
      const titles = await knex('tasks').where({ workspaceId: team.workspaceId }).countDistinct({ n: 'title' }).first();
      expect(Number(titles!.n)).toBe(TASKS);
      const comments = await knex('task_comments').where({ workspaceId: team.workspaceId }).count({ n: '*' }).first();
      expect(Number(comments!.n)).toBe(TASKS / 10);
      const subtasks = await knex('tasks').where({ workspaceId: team.workspaceId }).whereNotNull('parentId').count({ n: '*' }).first();
      expect(Number(subtasks!.n)).toBe(Math.floor((TASKS - 1) / 50));
      const links = await knex('import_links').where({ workspaceId: team.workspaceId, entity: 'taskbase:task' }).count({ n: '*' }).first();
      expect(Number(links!.n)).toBe(TASKS);
      // The upload is removed once the job is over.
      const stored = await knex('data_jobs').where({ id: started.body.id }).first('storageKey', 'attempts');
      expect(stored.attempts).toBe(2);
    } finally {
      await api?.stop('SIGKILL');
      await server?.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
