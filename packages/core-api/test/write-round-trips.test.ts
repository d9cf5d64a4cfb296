import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

interface QueryEvent {
  sql: string;
  __knexTxId?: string;
}

/**
 * A write is mostly round trips to the database (issue 20): these hold the
 * number of statements of the hottest writes, so a change that adds one
 * has to say so here.
 */
describe(`statements per write (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Round trips');
  });
  afterAll(() => server.close());

  /** The statements of the transaction that ran `marker` while `write` ran (other work on the pool is left out). */
  async function transactionOf(marker: RegExp, write: () => Promise<void>): Promise<string[]> {
    const byTransaction = new Map<string, string[]>();
    const listener = (query: QueryEvent) => {
      if (!query.__knexTxId) return;
      const list = byTransaction.get(query.__knexTxId) ?? [];
      list.push(query.sql);
      byTransaction.set(query.__knexTxId, list);
    };
    server.database.knex.on('query', listener);
    try {
      await write();
    } finally {
      server.database.knex.off('query', listener);
    }
    const found = [...byTransaction.values()].filter((statements) => statements.some((sql) => marker.test(sql)));
    expect(found).toHaveLength(1);
    return found[0]!.filter((sql) => !/^(begin|commit|rollback)\b/i.test(sql.trim()));
  }

  it('creates a task with an assignee in four statements: the task, the preferences, the notification, then watchers and events together', async () => {
    let id = 0;
    const statements = await transactionOf(/insert into "tasks"/, async () => {
      const created = await client.post('/api/tasks', { title: 'Counted', assignedTo: team.member.id }, { token: team.admin.token });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      id = created.body.id;
    });
    expect(statements).toHaveLength(4);
    const last = statements.at(-1)!;
    expect(last).toMatch(/^with alongside_0 as \(insert into "task_watchers"/);
    expect(last).toMatch(/insert into events/);

    // Nothing was lost by writing them together: the events in order, the watchers, the notification.
    const events = (await server.database.knex('events').where({ task_id: id }).orderBy('id').select('type', 'user_id')) as Array<{ type: string; userId: number | null }>;
    expect(events.map((event) => event.type)).toEqual(['task.created', 'task.assigned', 'notification.created']);
    expect(events[2]!.userId).toBe(team.member.id);
    const watchers = await client.get(`/api/tasks/${id}/watchers`, { token: team.admin.token });
    expect((watchers.body.data as Array<{ userId: number }>).map((user) => user.userId).sort()).toEqual([team.admin.id, team.member.id].sort());
  });

  it('creates a task nobody else hears of in two statements', async () => {
    const statements = await transactionOf(/insert into "tasks"/, async () => {
      const created = await client.post('/api/tasks', { title: 'Alone' }, { token: team.admin.token });
      expect(created.status).toBe(201);
    });
    expect(statements).toHaveLength(2);
  });

  it('updates a watched task with its event and the watchers’ notification in one statement after the reads', async () => {
    const created = await client.post('/api/tasks', { title: 'Watched', assignedTo: team.member.id }, { token: team.admin.token });
    const statements = await transactionOf(/^update "tasks"/, async () => {
      const patched = await client.patch(`/api/tasks/${created.body.id}`, { priority: 'urgent' }, { token: team.admin.token });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    });
    // Lock, update, watchers, their preferences, the notification, the events.
    expect(statements).toHaveLength(6);
    expect(statements.filter((sql) => /insert into events/.test(sql))).toHaveLength(1);
    const types = (await server.database.knex('events').where({ task_id: created.body.id }).orderBy('id').pluck('type')) as string[];
    expect(types.slice(-2)).toEqual(['task.updated', 'notification.created']);
  });

  it.runIf(databaseMode() === 'postgres')('runs a statement as a prepared one, planned once, once it is hot; neither with DATABASE_PREPARED_STATEMENTS off', async () => {
    for (const prepared of [true, false]) {
      const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1, preparedStatements: prepared });
      try {
        for (let i = 0; i < 4; i++) await database.knex('tasks').where('id', -i).select('id');
        const names = (await database.knex.raw(`select name from pg_prepared_statements`)).rows as Array<{ name: string }>;
        const mode = (await database.knex.raw('show plan_cache_mode')).rows[0].plan_cache_mode;
        if (prepared) {
          expect(names.map((row) => row.name)).toEqual([expect.stringMatching(/^tb_/)]);
          expect(mode).toBe('force_generic_plan');
        } else {
          expect(names).toEqual([]);
          expect(mode).toBe('auto');
        }
      } finally {
        await database.close();
      }
    }
  });
});
