import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`stored idempotent responses are capped in size (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer({ IDEMPOTENCY_MAX_RESPONSE_BYTES: '2048' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Idempotency cap');
  });
  afterAll(() => server.close());

  const post = (title: string, description: string, key: string) =>
    client.post('/api/tasks', { title, description }, { token: team.member.token, headers: { 'idempotency-key': key } });
  const tasksTitled = async (title: string) =>
    ((await client.get(`/api/tasks?q=${encodeURIComponent(title)}&limit=100`, { token: team.member.token })).body.data as Array<{ title: string }>).filter((t) => t.title === title).length;

  it('does not keep a response over the cap, and a retry neither repeats the write nor replays it', async () => {
    const key = randomUUID();
    const title = `Large ${randomUUID().slice(0, 8)}`;
    const first = await post(title, 'x'.repeat(4000), key);
    expect(first.status).toBe(201);
    const stored = await server.database.knex('idempotencyKeys').where({ workspaceId: team.workspaceId, key }).first('response');
    expect(JSON.stringify(stored?.response ?? null).length).toBeLessThan(2048);
    const retry = await post(title, 'x'.repeat(4000), key);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('idempotency_response_not_kept');
    expect(await tasksTitled(title)).toBe(1);
  });

  it('still replays a response under the cap', async () => {
    const key = randomUUID();
    const first = await post('Small', 'short', key);
    const retry = await post('Small', 'short', key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
  });
});
