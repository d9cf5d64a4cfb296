import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, uniqueEmail, type Team } from './support/client.js';
import { JWT_SECRET, databaseMode, startTestServer } from './support/server.js';

describe(`API keys and embed tokens (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const createKey = async (team: Team, body: Record<string, unknown> = {}) => {
    const response = await client.post('/api/api-keys', { name: 'Host backend', ...body }, { token: team.admin.token });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { apiKey: { id: number; prefix: string }; key: string };
  };

  const embed = (key: string | undefined, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    client.post('/api/auth/embed-token', body, { headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...headers } });

  it('only admins may create, list and revoke keys', async () => {
    const team = await createTeam(client, 'Keys');
    const { apiKey } = await createKey(team);
    for (const who of [team.manager, team.member]) {
      const responses = [
        await client.post('/api/api-keys', { name: 'Mine' }, { token: who.token }),
        await client.get('/api/api-keys', { token: who.token }),
        await client.delete(`/api/api-keys/${apiKey.id}`, { token: who.token }),
      ];
      for (const response of responses) {
        expect(response.status, who.role).toBe(403);
        expect(isProblem(response), who.role).toBe(true);
      }
    }
    const list = await client.get('/api/api-keys', { token: team.admin.token });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].revokedAt).toBeNull();
    for (const response of [await client.get('/api/api-keys'), await client.post('/api/api-keys', { name: 'anon' })]) {
      expect(response.status).toBe(401);
    }
  });

  it('shows the secret once; the list never contains it', async () => {
    const team = await createTeam(client, 'Once');
    const created = await createKey(team, { allowedOrigins: ['https://app.example'], maxRole: 'manager' });
    expect(created.key).toMatch(/^tb_sk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey).toMatchObject({ name: 'Host backend', allowedOrigins: ['https://app.example'], maxRole: 'manager', lastUsedAt: null, revokedAt: null });
    const list = await client.get('/api/api-keys', { token: team.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((k: any) => k.id)).toEqual([created.apiKey.id]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(created.key.slice(created.apiKey.prefix.length + 1));
    expect(Object.keys(list.body.data[0]).sort()).toEqual(['allowedOrigins', 'createdAt', 'id', 'lastUsedAt', 'maxRole', 'name', 'prefix', 'projects', 'revokedAt']);
  });

  it('embed-token upserts the host user by externalId and the token works with that role', async () => {
    const team = await createTeam(client, 'Embed');
    const { key, apiKey } = await createKey(team);
    const externalId = `host-${randomUUID()}`;
    const email = uniqueEmail('host');
    const first = await embed(key, { externalId, name: 'Host User', email });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { externalId, name: 'Host User', email, role: 'member', workspaceId: team.workspaceId, active: true },
    });
    const me = await client.get('/api/auth/me', { token: first.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: first.body.user.id, role: 'member', externalId });
    expect(me.body.workspace.id).toBe(team.workspaceId);

    const second = await embed(key, { externalId, name: 'Host User Renamed' });
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.user.name).toBe('Host User Renamed');

    const users = await client.get('/api/users', { token: team.admin.token });
    expect(users.body.data.filter((u: any) => u.externalId === externalId)).toHaveLength(1);
    expect(users.body.data).toHaveLength(5);

    const keys = await client.get('/api/api-keys', { token: team.admin.token });
    expect(keys.body.data.find((k: any) => k.id === apiKey.id).lastUsedAt).not.toBeNull();

    // An embedded user has no password: it cannot sign in with one.
    expect((await client.post('/api/auth/login', { email, password: 'anything at all' })).status).toBe(401);
  });

  it("refuses a role above the key's maxRole with 403", async () => {
    const team = await createTeam(client, 'MaxRole');
    const memberKey = await createKey(team);
    const managerKey = await createKey(team, { maxRole: 'manager' });
    const externalId = `host-${randomUUID()}`;

    for (const role of ['manager', 'admin']) {
      const refused = await embed(memberKey.key, { externalId, name: 'Climber', role });
      expect(refused.status, role).toBe(403);
      expect(isProblem(refused), role).toBe(true);
    }
    const refused = await embed(managerKey.key, { externalId, name: 'Climber', role: 'admin' });
    expect(refused.status).toBe(403);
    // Nothing was created by the refused calls.
    const users = await client.get('/api/users', { token: team.admin.token });
    expect(users.body.data.some((u: any) => u.externalId === externalId)).toBe(false);

    const manager = await embed(managerKey.key, { externalId, name: 'Climber', role: 'manager' });
    expect(manager.status).toBe(200);
    const me = await client.get('/api/auth/me', { token: manager.body.accessToken });
    expect(me.body.user.role).toBe('manager');
    // A manager token is a manager, not an admin.
    expect((await client.get('/api/api-keys', { token: manager.body.accessToken })).status).toBe(403);
  });

  it('refuses revoked, malformed, unknown and missing keys with a 401 problem', async () => {
    const team = await createTeam(client, 'Revoked');
    const { key, apiKey } = await createKey(team);
    const body = { externalId: `host-${randomUUID()}`, name: 'Host' };
    expect((await embed(key, body)).status).toBe(200);

    const revoked = await client.delete(`/api/api-keys/${apiKey.id}`, { token: team.admin.token });
    expect(revoked.status).toBe(204);
    expect((await client.delete(`/api/api-keys/${apiKey.id}`, { token: team.admin.token })).status).toBe(204);
    expect((await client.delete('/api/api-keys/999999999', { token: team.admin.token })).status).toBe(404);
    const list = await client.get('/api/api-keys', { token: team.admin.token });
    expect(list.body.data[0].revokedAt).not.toBeNull();

    const wrongSecret = `${apiKey.prefix}_${'A'.repeat(43)}`;
    const cases: Array<[string, Record<string, string>]> = [
      ['revoked', { authorization: `Bearer ${key}` }],
      ['wrong secret', { authorization: `Bearer ${wrongSecret}` }],
      ['malformed', { authorization: 'Bearer tb_sk_nope' }],
      ['not a key', { authorization: "Bearer ' OR 1=1 --" }],
      ['basic', { authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` }],
      ['missing', {}],
    ];
    for (const [label, headers] of cases) {
      const response = await client.post('/api/auth/embed-token', body, { headers });
      expect(response.status, label).toBe(401);
      expect(isProblem(response), label).toBe(true);
      expect(response.body.code, label).toBe('invalid_api_key');
    }
    // A user access token is not an API key either.
    const withUserToken = await client.post('/api/auth/embed-token', body, { token: team.admin.token });
    expect(withUserToken.status).toBe(401);
  });

  it('limits tokens to the allowed origins, and answers CORS preflights for them', async () => {
    const team = await createTeam(client, 'Origins');
    // Unique origins: keys from earlier runs stay in a shared database.
    const allowed = `https://a-${randomUUID().slice(0, 8)}.example`;
    const other = `https://b-${randomUUID().slice(0, 8)}.example`;
    const { key, apiKey } = await createKey(team, { allowedOrigins: [allowed] });
    const minted = await embed(key, { externalId: `host-${randomUUID()}`, name: 'Browser user' });
    expect(minted.status).toBe(200);
    const token = minted.body.accessToken;

    const fromOther = await client.get('/api/auth/me', { token, headers: { origin: other } });
    expect(fromOther.status).toBe(403);
    expect(isProblem(fromOther)).toBe(true);
    expect(fromOther.body.code).toBe('origin_not_allowed');

    const fromAllowed = await client.get('/api/auth/me', { token, headers: { origin: allowed } });
    expect(fromAllowed.status).toBe(200);
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(allowed);
    // Server-side use (no Origin) is not limited.
    expect((await client.get('/api/auth/me', { token })).status).toBe(200);
    // A user's own token is not limited to any origin.
    expect((await client.get('/api/auth/me', { token: team.admin.token, headers: { origin: other } })).status).toBe(200);

    const preflight = (origin: string) =>
      client.request('OPTIONS', '/api/auth/me', {
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const ok = await preflight(allowed);
    expect(ok.status).toBeLessThan(300);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect((await preflight(other)).headers.get('access-control-allow-origin')).toBeNull();

    // Revoking the key withdraws its origin.
    expect((await client.delete(`/api/api-keys/${apiKey.id}`, { token: team.admin.token })).status).toBe(204);
    expect((await preflight(allowed)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers CORS per key: a response is readable only from the origins of the token’s own key', async () => {
    const team = await createTeam(client, 'CORS per key');
    const mine = `https://mine-${randomUUID().slice(0, 8)}.example`;
    const theirs = `https://theirs-${randomUUID().slice(0, 8)}.example`;
    const { key } = await createKey(team, { allowedOrigins: [mine] });
    await createKey(team, { allowedOrigins: [theirs] });
    const token = (await embed(key, { externalId: `host-${randomUUID()}`, name: 'Browser user' })).body.accessToken;
    const from = (origin: string) => client.get('/api/auth/me', { token, headers: { origin } });
    expect((await from(mine)).headers.get('access-control-allow-origin')).toBe(mine);
    // The other key's origin passes a preflight (it carries no token), but the answer to this token is not its to read.
    const elsewhere = await from(theirs);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // Without a token, only the configured origins and the API's own: no key's.
    expect((await client.get('/healthz', { headers: { origin: mine } })).headers.get('access-control-allow-origin')).toBeNull();
    // An expired token of the key still gets a readable 401, so the widget knows to fetch a new one.
    const expired = jwt.sign({ ...(jwt.decode(token) as object), exp: Math.floor(Date.now() / 1000) - 10 }, JWT_SECRET, { algorithm: 'HS256' });
    const stale = await client.get('/api/auth/me', { token: expired, headers: { origin: mine } });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('access-control-allow-origin')).toBe(mine);
  });

  it('refuses to re-activate a deactivated host user through embed-token', async () => {
    const team = await createTeam(client, 'Deactivated host');
    const { key } = await createKey(team);
    const body = { externalId: `host-${randomUUID()}`, name: 'Leaver' };
    const first = await embed(key, body);
    expect(first.status).toBe(200);
    expect((await client.patch(`/api/users/${first.body.user.id}`, { active: false }, { token: team.admin.token })).status).toBe(200);
    expect((await client.get('/api/auth/me', { token: first.body.accessToken })).status).toBe(401);
    const again = await embed(key, body);
    expect(again.status).toBe(403);
    expect(isProblem(again)).toBe(true);
    expect(again.body.code).toBe('account_deactivated');
  });
});
