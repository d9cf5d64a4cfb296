import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { errorCode, gql } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';

// Nothing else may query the database while a request is counted.
const QUIET = { DUE_REMINDERS_INTERVAL: '0', WEBHOOK_WORKER: 'false' };

describe(`GraphQL cost: batching and limits (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer(QUIET);
    client = new TestClient(server.url);
    team = await createTeam(client, 'Batching');
    // 60 tasks by the manager, assigned to two members (or nobody), each with three comments, one by
    // the admin, who is neither creator nor assignee: comment authors need a second users batch.
    const people = [team.admin, team.manager, team.member];
    const assignees = [team.member, team.other];
    const items = Array.from({ length: 60 }, (_, i) => ({ title: `Task ${i}`, assignedTo: i % 5 === 0 ? null : assignees[i % 2]!.id }));
    const bulk = await client.post('/api/tasks/bulk', { items }, { token: team.manager.token });
    expect(bulk.body.summary.failed).toBe(0);
    for (const { task } of bulk.body.results as Array<{ task: { id: number } }>) {
      for (const person of people) {
        await client.post(`/api/tasks/${task.id}/comments`, { comment: `from ${person.role}` }, { token: person.token });
      }
    }
  });
  afterAll(() => server.close());

  /** Runs one request and returns the SQL it sent (knex 'query' events during that request only). */
  const queriesOf = async (query: string, token = team.member.token) => {
    const sql: string[] = [];
    // Background work of the same process (the event-log poll, sharing rate-limit counts) is not the request's, and the
    // caller's status lookup is authentication (cached for a few seconds), not data loading.
    const listener = (q: { sql: string }) => {
      const background = /from "events" where \(txid, id\) > |pg_snapshot_xmin|rate_limits/.test(q.sql);
      if (background || /^select "role", "active", "name"(, "\w+")* from "users"/.test(q.sql)) return;
      sql.push(q.sql);
    };
    server.services.knex.on('query', listener);
    try {
      const response = await gql(client, token, query);
      return { response, sql };
    } finally {
      server.services.knex.removeListener('query', listener);
    }
  };

  const page = (first: number) =>
    `{ tasks(first: ${first}) { edges { node { id assignee { id } creator { id } comments(first: 3) { edges { node { author { id } } } } } } } }`;

  it('loads a page of tasks with their people and last comments in at most 5 queries, whatever its size', async () => {
    const cold = await queriesOf(page(50), team.other.token);
    expect(cold.sql.length, cold.sql.join('\n')).toBeLessThanOrEqual(5);
    const small = await queriesOf(page(10), team.other.token);
    const large = await queriesOf(page(50), team.other.token);
    expect(small.response.errors).toBeUndefined();
    expect(large.response.errors).toBeUndefined();
    const tasks = large.response.data.tasks.edges;
    expect(tasks).toHaveLength(50);
    expect(tasks.every((e: any) => e.node.comments.edges.length === 3 && e.node.creator.id === String(team.manager.id))).toBe(true);
    expect(tasks.some((e: any) => e.node.assignee === null)).toBe(true);
    // tasks, users (assignees + creators), comments, users (comment authors not seen yet)
    expect(large.sql.length, large.sql.join('\n')).toBe(4);
    expect(small.sql.length).toBe(4);
    // Every query is filtered by workspace.
    for (const sql of [...cold.sql, ...large.sql]) expect(sql).toMatch(/workspace_id/);
    console.log(`SQL queries: tasks(first: 50) cold ${cold.sql.length}, warm ${large.sql.length}; tasks(first: 10) warm ${small.sql.length}`);
  });

  it('refuses a hostile deep query with a clear error before any database work', async () => {
    const deep = `{ tasks { nodes { comments { nodes { task { comments { nodes { task { comments { nodes { task { id } } } } } } } } } } } }`;
    const { response, sql } = await queriesOf(deep);
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors![0]!.message).toMatch(/12 fields deep; the limit is 10/);
    expect(response.data).toBeUndefined();
    expect(sql, sql.join("\n")).toEqual([]);
  });

  it('refuses a query that would fetch too many objects, counting page sizes and aliases', async () => {
    const wide = `{ tasks(first: 100) { nodes { comments(first: 100) { nodes { author { id } } } } } }`;
    const { response, sql } = await queriesOf(wide);
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
    // Every field costs 1, scalars too: 1 + 100 × (nodes 1 + comments 1 + 100 × (nodes 1 + author 1 + id 1)).
    expect(response.errors![0]!.extensions).toMatchObject({ cost: 30201, maxCost: 10000 });
    expect(sql, sql.join("\n")).toEqual([]);
    const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: tasks(first: 100) { nodes { assignee { id } } }`).join(' ')} }`;
    const many = await queriesOf(aliases);
    expect(errorCode(many.response)).toBe('QUERY_TOO_COMPLEX');
    expect(many.sql).toEqual([]);
    // A page size hidden in a variable without a default counts as the maximum.
    const hidden = await queriesOf('query ($n: Int) { tasks(first: $n) { nodes { comments(first: $n) { nodes { id } } } } }');
    expect(errorCode(hidden.response)).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts scalar fields and caps aliases: a flood of cheap aliased fields is refused before it runs', async () => {
    const flood = await queriesOf(`{ ${Array.from({ length: 300 }, (_, i) => `a${i}: me { id }`).join(' ')} }`);
    expect(errorCode(flood.response)).toBe('QUERY_TOO_COMPLEX');
    expect(flood.response.errors![0]!.extensions).toMatchObject({ aliases: 300, maxAliases: 30 });
    expect(flood.sql).toEqual([]);
    // Aliases hidden in a fragment spread twice count twice.
    const fragment = `fragment F on Query { ${Array.from({ length: 20 }, (_, i) => `f${i}: me { id }`).join(' ')} } { ...F x: me { ...F } }`;
    expect(errorCode((await queriesOf(fragment.replace('x: me { ...F }', '...F'))).response)).toBe('QUERY_TOO_COMPLEX');
    // Within the cap, aliases work.
    const few = await queriesOf(`{ a: me { id } b: me { name } }`);
    expect(few.response.errors).toBeUndefined();
  });

  it('caps the writes of one mutation, and a refused mutation writes nothing', async () => {
    const marker = `capped-${Date.now()}`;
    const writes = (count: number) =>
      `mutation { ${Array.from({ length: count }, (_, i) => `w${i}: createTask(input: { title: "${marker} ${i}" }) { id }`).join(' ')} }`;
    const refused = await gql(client, team.manager.token, writes(26));
    expect(errorCode(refused)).toBe('QUERY_TOO_COMPLEX');
    expect(refused.errors![0]!.extensions).toMatchObject({ mutations: 26, maxMutations: 25 });
    const found = await client.get(`/api/tasks?q=${marker}`, { token: team.manager.token });
    expect(found.body.data).toEqual([]);
    const allowed = await gql(client, team.manager.token, writes(3));
    expect(allowed.errors).toBeUndefined();
    expect((await client.get(`/api/tasks?q=${marker}`, { token: team.manager.token })).body.data).toHaveLength(3);
  });

  it('answers introspection by default, with field suggestions outside production', async () => {
    const introspection = await gql(client, team.member.token, '{ __schema { queryType { name } } }');
    expect(introspection.data.__schema.queryType.name).toBe('Query');
    const typo = await gql(client, team.member.token, '{ taks { nodes { id } } }');
    expect(typo.errors![0]!.message).toMatch(/Did you mean .*"tasks"/);
  });

  describe('with introspection off, no suggestions and persisted operations only', () => {
    let http: Server;
    let locked: TestClient;
    const document = '{ me { id } }';
    const hash = createHash('sha256').update(document).digest('hex');
    beforeAll(async () => {
      const { app } = createApp(server.services, {
        bus: server.bus,
        graphql: { introspection: false, suggestions: false, persistedOnly: true, persistedDocuments: { [hash]: document } },
      });
      http = createServer(app.callback());
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      locked = new TestClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    });
    afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

    it('runs an allowed document by its hash and refuses any other', async () => {
      const allowed = await locked.post('/graphql', { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, { token: team.member.token });
      expect(allowed.body.data.me.id).toBe(String(team.member.id));
      const arbitrary = await gql(locked, team.member.token, document);
      expect(errorCode(arbitrary)).toBe('PERSISTED_QUERY_ONLY');
      const unknown = await locked.post('/graphql', { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, { token: team.member.token });
      expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  describe('with introspection off and no suggestions (production)', () => {
    let http: Server;
    let prod: TestClient;
    beforeAll(async () => {
      const { app } = createApp(server.services, {
        bus: server.bus,
        graphql: { introspection: false, suggestions: false, persistedOnly: false, persistedDocuments: {} },
      });
      http = createServer(app.callback());
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      prod = new TestClient(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    });
    afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

    it('refuses introspection and hides suggestions', async () => {
      const introspection = await gql(prod, team.member.token, '{ __schema { types { name } } }');
      expect(errorCode(introspection)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(introspection.errors![0]!.message).toMatch(/introspection/i);
      const typo = await gql(prod, team.member.token, '{ taks { nodes { id } } }');
      expect(typo.errors![0]!.message).toBe('Cannot query field "taks" on type "Query".');
      expect((await gql(prod, team.member.token, '{ me { id } }')).data.me.id).toBe(String(team.member.id));
    });
  });
});
