import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`smoke (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  it('registers a team and reads /me', async () => {
    const team = await createTeam(client);
    const me = await client.get('/api/auth/me', { token: team.member.token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: team.member.id, role: 'member', workspaceId: team.workspaceId });
  });

  it('answers an unknown route with a problem', async () => {
    const response = await client.get('/api/nope');
    expect(response.status).toBe(404);
    expect(isProblem(response)).toBe(true);
  });
});
