import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, uniqueEmail, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`users (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  /** Every user of the caller's workspace, following cursors. */
  const listAll = async (token: string, limit = 100) => {
    const users: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await client.get(`/api/users?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      expect(page.status).toBe(200);
      users.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return users;
  };

  const invite = (team: Team, body: Record<string, unknown>) =>
    client.post('/api/users', { name: 'Invited', email: uniqueEmail('invited'), role: 'member', ...body }, { token: team.admin.token });

  it('lets everyone list and read the users of their own workspace', async () => {
    const team = await createTeam(client, 'Readers');
    const ids = [team.admin.id, team.manager.id, team.member.id, team.other.id].sort((a, b) => a - b);
    for (const who of [team.admin, team.manager, team.member]) {
      const list = await client.get('/api/users', { token: who.token });
      expect(list.status, who.role).toBe(200);
      expect(list.body.nextCursor).toBeNull();
      expect(list.body.data.map((u: any) => u.id)).toEqual(ids);
      for (const user of list.body.data) {
        expect(user.workspaceId).toBe(team.workspaceId);
        expect(user).not.toHaveProperty('passwordHash');
      }
      const one = await client.get(`/api/users/${team.other.id}`, { token: who.token });
      expect(one.status, who.role).toBe(200);
      expect(one.body).toMatchObject({ id: team.other.id, email: team.other.email, role: 'member', active: true });
    }
    expect((await client.get('/api/users')).status).toBe(401);
    const missing = await client.get('/api/users/999999999', { token: team.member.token });
    expect(missing.status).toBe(404);
    expect(isProblem(missing)).toBe(true);
  });

  it('filters the list by role and text', async () => {
    const team = await createTeam(client, 'Filters');
    const managers = await client.get('/api/users?role=manager', { token: team.member.token });
    expect(managers.body.data.map((u: any) => u.id)).toEqual([team.manager.id]);
    const byText = await client.get(`/api/users?q=${encodeURIComponent(team.other.email.slice(0, 18))}`, { token: team.member.token });
    expect(byText.body.data.map((u: any) => u.id)).toEqual([team.other.id]);
    // LIKE wildcards are matched literally.
    const wildcard = await client.get('/api/users?q=%25', { token: team.member.token });
    expect(wildcard.body.data).toEqual([]);
  });

  it('only admins may create or change users', async () => {
    const team = await createTeam(client, 'Roles');
    for (const who of [team.manager, team.member]) {
      const create = await client.post('/api/users', { name: 'X', email: uniqueEmail('x'), role: 'member' }, { token: who.token });
      expect(create.status, who.role).toBe(403);
      expect(isProblem(create), who.role).toBe(true);
      const patch = await client.patch(`/api/users/${team.other.id}`, { name: 'Hacked' }, { token: who.token });
      expect(patch.status, who.role).toBe(403);
      expect(isProblem(patch), who.role).toBe(true);
      // Not even themselves: a member cannot promote themselves.
      const self = await client.patch(`/api/users/${who.id}`, { role: 'admin' }, { token: who.token });
      expect(self.status, who.role).toBe(403);
    }
    expect((await client.get(`/api/users/${team.other.id}`, { token: team.admin.token })).body.name).not.toBe('Hacked');
    expect((await client.get(`/api/users/${team.member.id}`, { token: team.admin.token })).body.role).toBe('member');

    const created = await invite(team, { role: 'manager', password: 'a good password' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ role: 'manager', workspaceId: team.workspaceId, active: true });
    expect(created.body).not.toHaveProperty('temporaryPassword');

    const patched = await client.patch(`/api/users/${created.body.user.id}`, { name: 'Renamed', role: 'member' }, { token: team.admin.token });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', role: 'member' });
  });

  it('a role change takes effect on the very next request', async () => {
    const team = await createTeam(client, 'Promotion');
    const promoted = await client.patch(`/api/users/${team.member.id}`, { role: 'admin' }, { token: team.admin.token });
    expect(promoted.status).toBe(200);
    // The member's token was issued with role member; the server trusts the database.
    expect((await invite({ ...team, admin: team.member }, {})).status).toBe(201);
    await client.patch(`/api/users/${team.member.id}`, { role: 'member' }, { token: team.admin.token });
    expect((await invite({ ...team, admin: team.member }, {})).status).toBe(403);
  });

  it('an invitation without a password returns a temporary one that signs in', async () => {
    const team = await createTeam(client, 'Invite');
    const email = uniqueEmail('temp');
    const created = await invite(team, { email });
    expect(created.status).toBe(201);
    const { temporaryPassword } = created.body;
    expect(typeof temporaryPassword).toBe('string');
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    const login = await client.post('/api/auth/login', { email, password: temporaryPassword });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: created.body.user.id, role: 'member' });
    // Shown once: reading the user never returns it.
    const read = await client.get(`/api/users/${created.body.user.id}`, { token: team.admin.token });
    expect(JSON.stringify(read.body)).not.toContain(temporaryPassword);
  });

  it('refuses a duplicate email with 409 naming email', async () => {
    const team = await createTeam(client, 'Duplicates');
    for (const email of [team.member.email, team.member.email.toUpperCase(), ` ${team.member.email}`.trim()]) {
      const duplicate = await invite(team, { email });
      expect(duplicate.status).toBe(409);
      expect(isProblem(duplicate)).toBe(true);
      expect(duplicate.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);
    }
    expect(await listAll(team.admin.token)).toHaveLength(4);
  });

  it('deactivation locks the user out at once: access token, refresh token and password', async () => {
    const team = await createTeam(client, 'Deactivate');
    const { member } = team;
    expect((await client.get('/api/auth/me', { token: member.token })).status).toBe(200);

    const deactivated = await client.patch(`/api/users/${member.id}`, { active: false }, { token: team.admin.token });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);

    const me = await client.get('/api/auth/me', { token: member.token });
    expect(me.status).toBe(401);
    expect(isProblem(me)).toBe(true);
    expect(me.body.code).toBe('account_deactivated');
    expect((await client.get('/api/users', { token: member.token })).status).toBe(401);

    const refresh = await client.post('/api/auth/refresh', { refreshToken: member.refreshToken });
    expect(refresh.status).toBe(401);
    expect(isProblem(refresh)).toBe(true);

    const login = await client.post('/api/auth/login', { email: member.email, password: member.password });
    expect(login.status).toBe(401);
    expect(isProblem(login)).toBe(true);

    // The rest of the team is unaffected, and still sees the deactivated user.
    const inactive = await client.get('/api/users?active=false', { token: team.other.token });
    expect(inactive.body.data.map((u: any) => u.id)).toEqual([member.id]);

    // Reactivation lets them sign in again (old sessions stay revoked).
    expect((await client.patch(`/api/users/${member.id}`, { active: true }, { token: team.admin.token })).status).toBe(200);
    expect((await client.post('/api/auth/login', { email: member.email, password: member.password })).status).toBe(200);
    expect((await client.post('/api/auth/refresh', { refreshToken: member.refreshToken })).status).toBe(401);
  });

  it('never leaves a workspace without an active admin', async () => {
    const team = await createTeam(client, 'Last admin');
    const { admin } = team;
    for (const change of [{ role: 'manager' }, { role: 'member' }, { active: false }]) {
      const refused = await client.patch(`/api/users/${admin.id}`, change, { token: admin.token });
      expect(refused.status, JSON.stringify(change)).toBe(409);
      expect(isProblem(refused)).toBe(true);
      expect(refused.body.code).toBe('last_admin');
    }
    // A harmless change to the last admin is fine.
    expect((await client.patch(`/api/users/${admin.id}`, { name: 'Still admin', role: 'admin' }, { token: admin.token })).status).toBe(200);

    // With a second admin, the first may step down.
    expect((await client.patch(`/api/users/${team.manager.id}`, { role: 'admin' }, { token: admin.token })).status).toBe(200);
    const demoted = await client.patch(`/api/users/${admin.id}`, { role: 'member' }, { token: admin.token });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('member');

    // Now the former manager is the only admin.
    const lastOne = await client.patch(`/api/users/${team.manager.id}`, { active: false }, { token: team.manager.token });
    expect(lastOne.status).toBe(409);
    expect(lastOne.body.code).toBe('last_admin');

    // An inactive admin does not count as the other admin.
    expect((await client.patch(`/api/users/${admin.id}`, { role: 'admin' }, { token: team.manager.token })).status).toBe(200);
    expect((await client.patch(`/api/users/${admin.id}`, { active: false }, { token: team.manager.token })).status).toBe(200);
    const stillLast = await client.patch(`/api/users/${team.manager.id}`, { role: 'member' }, { token: team.manager.token });
    expect(stillLast.status).toBe(409);
    expect(stillLast.body.code).toBe('last_admin');
  });

  it('two admins demoting each other at once leave one admin', async () => {
    const team = await createTeam(client, 'Race');
    await client.patch(`/api/users/${team.manager.id}`, { role: 'admin' }, { token: team.admin.token });
    const results = await Promise.all([
      client.patch(`/api/users/${team.manager.id}`, { role: 'member' }, { token: team.admin.token }),
      client.patch(`/api/users/${team.admin.id}`, { role: 'member' }, { token: team.manager.token }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // One wins; the other either is refused as last admin or loses its admin right first.
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const admins = await client.get('/api/users?role=admin', { token: team.member.token });
    expect(admins.body.data).toHaveLength(1);
  });

  it('pages through the list with opaque cursors', async () => {
    const team = await createTeam(client, 'Paging');
    for (let i = 0; i < 5; i++) expect((await invite(team, { name: `Extra ${i}` })).status).toBe(201);
    const everyone = await listAll(team.member.token);
    expect(everyone).toHaveLength(9);

    const first = await client.get('/api/users?limit=4', { token: team.member.token });
    expect(first.body.data).toHaveLength(4);
    expect(typeof first.body.nextCursor).toBe('string');
    const paged = await listAll(team.member.token, 4);
    expect(paged.map((u) => u.id)).toEqual(everyone.map((u) => u.id));
    expect(new Set(paged.map((u) => u.id)).size).toBe(9);
    // Exactly a page's worth: the last page says there is no next one.
    const pages = await listAll(team.member.token, 3);
    expect(pages).toHaveLength(9);
    const three = await client.get('/api/users?limit=3', { token: team.member.token });
    let cursor = three.body.nextCursor;
    for (let i = 0; i < 2; i++) {
      const page = await client.get(`/api/users?limit=3&cursor=${encodeURIComponent(cursor)}`, { token: team.member.token });
      cursor = page.body.nextCursor;
    }
    expect(cursor).toBeNull();

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${Buffer.from('["x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1e400]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[{"id":1}]').toString('base64url')}`, 'cursor'],
      ['role=owner', 'role'],
      ['active=maybe', 'active'],
      ['unknown=1', 'unknown'],
    ] as const) {
      const bad = await client.get(`/api/users?${query}`, { token: team.member.token });
      expect(bad.status, query).toBe(400);
      expect(isProblem(bad), query).toBe(true);
      expect(bad.body.errors?.map((e: any) => e.path), query).toContain(field);
    }
  });
});
