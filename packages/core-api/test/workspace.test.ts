import { beforeAll, describe, expect, it } from 'vitest';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`workspace settings (${databaseMode()} database)`, () => {
  let client: TestClient;
  let team: Team;
  let other: Team;
  beforeAll(async () => {
    const server = await startTestServer();
    client = new TestClient(server.url);
    [team, other] = await Promise.all([createTeam(client, 'Settings'), createTeam(client, 'Elsewhere')]);
    return () => server.close();
  });

  it('shows every user their own workspace', async () => {
    const seen = await client.get('/api/workspace', { token: team.member.token });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ id: team.workspaceId, name: 'Settings', createdAt: expect.any(String) });
    expect((await client.get('/api/workspace', { token: other.member.token })).body.id).toBe(other.workspaceId);
  });

  it('lets an admin rename it, records the change for admins, and leaves other workspaces alone', async () => {
    const since = (await client.get('/api/events', { token: team.admin.token })).body.lastId;
    const renamed = await client.patch('/api/workspace', { name: '  Settings, renamed  ' }, { token: team.admin.token });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: team.workspaceId, name: 'Settings, renamed' });
    expect((await client.get('/api/auth/me', { token: team.member.token })).body.workspace.name).toBe('Settings, renamed');
    expect((await client.get('/api/workspace', { token: other.admin.token })).body.name).toBe('Elsewhere');

    // The event is settled once the feed lists it; another test file's transaction may delay that a moment.
    let events: Array<{ event: string; actorId: number; data: any }> = [];
    for (let tries = 0; tries < 100 && !events.some((e) => e.event === 'workspace.updated'); tries++) {
      if (tries) await new Promise((resolve) => setTimeout(resolve, 50));
      events = (await client.get(`/api/events?after=${since}`, { token: team.admin.token })).body.data;
    }
    const recorded = events.find((e) => e.event === 'workspace.updated');
    expect(recorded).toMatchObject({ actorId: team.admin.id, data: { changes: { name: { from: 'Settings', to: 'Settings, renamed' } } } });
    const asMember = (await client.get(`/api/events?after=${since}`, { token: team.member.token })).body.data;
    expect(asMember.filter((e: { event: string }) => e.event.startsWith('workspace.'))).toEqual([]);

    // The same name again changes nothing and records nothing.
    const last = (await client.get('/api/events', { token: team.admin.token })).body.lastId;
    expect((await client.patch('/api/workspace', { name: 'Settings, renamed' }, { token: team.admin.token })).status).toBe(200);
    expect((await client.get(`/api/events?after=${last}`, { token: team.admin.token })).body.data.filter((e: { event: string }) => e.event === 'workspace.updated')).toEqual([]);
  });

  it('refuses managers and members, and names an invalid name', async () => {
    for (const who of [team.manager, team.member]) {
      const refused = await client.patch('/api/workspace', { name: 'Taken over' }, { token: who.token });
      expect(refused.status).toBe(403);
      expect(isProblem(refused)).toBe(true);
    }
    for (const body of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(201) }, {}, { name: 'Fine', extra: true }]) {
      const invalid = await client.patch('/api/workspace', body, { token: team.admin.token });
      expect(invalid.status, JSON.stringify(body)).toBe(400);
      expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual([Object.keys(body).includes('extra') ? 'extra' : 'name']);
    }
    expect((await client.get('/api/workspace', { token: team.admin.token })).body.name).not.toBe('Taken over');
  });
});
