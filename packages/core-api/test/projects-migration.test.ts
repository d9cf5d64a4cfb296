import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrationSource } from '../src/db/migrations/index.js';
import { databaseMode } from './support/server.js';

/**
 * Migration 0008 on a database populated with the schema before projects:
 * every workspace gets its default project, tasks keep their ids and
 * statuses and are numbered 1..n in creation order.
 */
describe(`the projects migration on existing data (${databaseMode()} database)`, () => {
  let database: Database;
  let knex: Knex;
  let drop = async () => {};
  const ids: Record<string, number[]> = {};

  beforeAll(async () => {
    const base = process.env.DATABASE_URL;
    if (base) {
      const name = `taskbase_projects_migration_${Date.now()}_${process.pid}`;
      const admin = await openDatabase({ databaseUrl: base, poolMax: 1 });
      await admin.knex.raw(`create database ${name}`);
      const url = new URL(base);
      url.pathname = `/${name}`;
      database = await openDatabase({ databaseUrl: url.toString(), poolMax: 2 });
      drop = async () => {
        await admin.knex.raw(`drop database if exists ${name} with (force)`);
        await admin.close();
      };
    } else {
      database = await openDatabase({});
    }
    knex = database.knex;
    // The schema as it was before projects: every migration up to 0007.
    for (let step = 0; step < 7; step += 1) await knex.migrate.up({ migrationSource });
    const [latest] = (await knex('knex_migrations').orderBy('id', 'desc').limit(1)) as Array<{ name: string }>;
    expect(latest?.name).toBe('0007_retention');

    for (const workspace of ['Old one', 'Old two']) {
      const [{ id: workspaceId }] = await knex('workspaces').insert({ name: workspace }).returning('id');
      const [{ id: userId }] = await knex('users').insert({ workspaceId, name: `Owner of ${workspace}`, role: 'admin' }).returning('id');
      // Created out of id order: numbering follows creation time, then id.
      const rows = [
        { title: 'Third', status: 'done', createdAt: new Date('2026-03-03T00:00:00Z') },
        { title: 'First', status: 'todo', createdAt: new Date('2026-03-01T00:00:00Z') },
        { title: 'Second', status: 'in_review', createdAt: new Date('2026-03-02T00:00:00Z') },
        { title: 'Fourth', status: 'in_progress', createdAt: new Date('2026-03-04T00:00:00Z') },
      ];
      const inserted = (await knex('tasks')
        .insert(rows.map((row) => ({ ...row, workspaceId, createdBy: userId, completedAt: row.status === 'done' ? row.createdAt : null })))
        .returning('id')) as Array<{ id: number }>;
      ids[workspace] = inserted.map((row) => Number(row.id));
      await knex('events').insert({ workspaceId, type: 'task.created', actorId: userId, taskId: ids[workspace]![0], payload: JSON.stringify({}) });
    }
    await knex.migrate.up({ migrationSource });
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it('gives every workspace one default project, General (GEN), with the default workflow', async () => {
    const projects = await knex('projects').orderBy('id').select('workspaceId', 'key', 'name', 'isDefault', 'workflow', 'nextNumber');
    expect(projects).toHaveLength(2);
    for (const project of projects) {
      expect(project).toMatchObject({ key: 'GEN', name: 'General', isDefault: true, nextNumber: 5 });
      expect(project.workflow.map((status: { key: string; category: string }) => `${status.key}:${status.category}`)).toEqual([
        'todo:unstarted',
        'in_progress:started',
        'in_review:started',
        'done:completed',
      ]);
    }
  });

  it('keeps every task’s id and status, and numbers them in creation order per workspace', async () => {
    for (const [workspace, taskIds] of Object.entries(ids)) {
      const tasks = await knex('tasks').whereIn('id', taskIds).orderBy('number').select('id', 'title', 'status', 'statusCategory', 'number', 'identifier');
      expect(tasks.map((task) => [task.title, task.number, task.identifier, task.status, task.statusCategory]), workspace).toEqual([
        ['First', 1, 'GEN-1', 'todo', 'unstarted'],
        ['Second', 2, 'GEN-2', 'in_review', 'started'],
        ['Third', 3, 'GEN-3', 'done', 'completed'],
        ['Fourth', 4, 'GEN-4', 'in_progress', 'started'],
      ]);
      expect(tasks.map((task) => Number(task.id)).sort()).toEqual([...taskIds].sort());
    }
  });

  it('files existing task events under the default project, so visibility rules can read them', async () => {
    const events = await knex('events').whereNotNull('taskId').select('workspaceId', 'projectId');
    const defaults = new Map((await knex('projects').select('workspaceId', 'id')).map((row) => [row.workspaceId, row.id]));
    for (const event of events) expect(event.projectId).toBe(defaults.get(event.workspaceId));
  });

  it('migrates down again to the schema before projects', async () => {
    await knex.migrate.down({ migrationSource });
    const statuses = await knex('tasks').select('status');
    expect(statuses.map((row) => row.status).sort()).toEqual(['done', 'done', 'in_progress', 'in_progress', 'in_review', 'in_review', 'todo', 'todo']);
    await knex.migrate.up({ migrationSource });
  });
});
