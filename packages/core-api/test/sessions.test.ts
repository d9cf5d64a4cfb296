import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { SseSubscription } from './support/sse.js';
import { eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

const TASK_CHANGES = 'subscription { taskChanged { type taskId } }';

/**
 * Who a token stands for, and for how long: embed identities belong to the
 * host app, a key's role cap holds on every request, and a password change
 * or a deactivation ends every kind of session at once.
 */
describe(`sessions and identities (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ GRAPHQL_MAX_STREAMS_PER_USER: '3' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  async function embedKey(team: Team, maxRole = 'member') {
    const created = await client.post('/api/api-keys', { name: 'Host', maxRole }, { token: team.admin.token });
    expect(created.status).toBe(201);
    return created.body.key as string;
  }

  const mint = (key: string, body: Record<string, unknown>) => client.post('/api/auth/embed-token', body, { headers: { authorization: `Bearer ${key}` } });

  describe('embedded identities', () => {
    it('refuses to set an email or password with an embed token, so no one can take the identity over', async () => {
      const team = await createTeam(client, 'Embedded identity');
      const minted = await mint(await embedKey(team), { externalId: `host-${randomUUID()}`, name: 'Host user' });
      const token = minted.body.accessToken;
      const email = `taken-over-${randomUUID()}@example.test`;
      const attempt = await client.patch('/api/auth/me', { email, newPassword: 'a password of mine' }, { token });
      expect(attempt.status).toBe(403);
      expect(isProblem(attempt)).toBe(true);
      expect(attempt.body.code).toBe('identity_managed_by_host');
      expect(attempt.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'newPassword']);
      // Nothing was written: the address does not sign in.
      expect((await new AddressClient(server.url).post('/api/auth/login', { email, password: 'a password of mine' })).status).toBe(401);
      // The name is the user's to change (the host sends it again at the next mint).
      expect((await client.patch('/api/auth/me', { name: 'Renamed' }, { token })).status).toBe(200);
    });

    it('says in the token how it was minted', async () => {
      const team = await createTeam(client, 'Token kinds');
      const minted = await mint(await embedKey(team), { externalId: `host-${randomUUID()}`, name: 'Host user' });
      expect(jwt.decode(minted.body.accessToken)).toMatchObject({ via: 'embed', kid: expect.any(Number), cap: 'member' });
      expect(jwt.decode(team.member.token)).not.toHaveProperty('via');
    });

    it('acts with the lower of the user’s role and the key’s cap, on every request', async () => {
      const team = await createTeam(client, 'Capped');
      const key = await embedKey(team, 'member');
      // The workspace's only admin, mirrored by the host app: their stored role stays admin.
      const externalId = `host-${randomUUID()}`;
      const first = await mint(await embedKey(team, 'admin'), { externalId, name: 'Boss', role: 'admin' });
      expect(first.body.user.role).toBe('admin');
      await client.patch(`/api/users/${team.admin.id}`, { active: false }, { token: first.body.accessToken });
      const capped = await mint(key, { externalId, name: 'Boss', role: 'member' });
      expect(capped.status).toBe(200);
      expect(capped.body.user.role).toBe('admin'); // the last active admin is never demoted
      const keys = await client.get('/api/api-keys', { token: capped.body.accessToken });
      expect(keys.status).toBe(403);
      expect((await client.get('/api/api-keys', { token: first.body.accessToken })).status).toBe(200);
    });

    it('tells open sessions when the host app changes its user (a role through the next mint)', async () => {
      const team = await createTeam(client, 'Remint');
      const key = await embedKey(team, 'manager');
      const externalId = `host-${randomUUID()}`;
      await mint(key, { externalId, name: 'Changes', role: 'member' });
      const after = (await client.get('/api/events?limit=1000', { token: team.admin.token })).body.lastId;
      await mint(key, { externalId, name: 'Changes', role: 'manager' });
      // The feed lists settled events: on a shared PostgreSQL another test's transaction can hold this one back a moment.
      const updated = await eventually(async () => {
        const events = (await client.get(`/api/events?after=${after}`, { token: team.admin.token })).body.data as Array<{ event: string; data: any }>;
        return events.find((e) => e.event === 'user.updated');
      }, 20_000, 'user.updated in the feed');
      expect(updated.data.user.role).toBe('manager');
    });
  });

  describe('a password change ends every session', () => {
    it('refuses earlier access tokens, closes sockets and GraphQL streams, and hands this client a new session', async () => {
      const team = await createTeam(client, 'Password change');
      const { member } = team;
      // Tokens count time in whole seconds: these two were issued seconds before the change, as sessions usually are.
      const earlier = () => forge(server, { sub: String(member.id), wid: team.workspaceId, role: 'member', iat: Math.floor(Date.now() / 1000) - 5 });
      const [here, elsewhere] = [earlier(), earlier()];
      const socket = await TestSocket.subscribed(server.url, elsewhere, ['tasks']);
      const stream = await SseSubscription.open(server.url, elsewhere, TASK_CHANGES);

      const changed = await client.patch('/api/auth/me', { currentPassword: member.password, newPassword: 'a brand new password' }, { token: here });
      expect(changed.status).toBe(200);
      expect(changed.body.session.accessToken).toEqual(expect.any(String));

      for (const token of [here, elsewhere]) {
        const refused = await client.get('/api/auth/me', { token });
        expect(refused.status).toBe(401);
        expect(refused.body.code).toBe('session_ended');
      }
      expect((await client.get('/api/auth/me', { token: changed.body.session.accessToken })).status).toBe(200);
      expect((await client.post('/api/auth/refresh', { refreshToken: changed.body.session.refreshToken })).status).toBe(200);
      expect(await socket.closedWith()).toEqual({ code: 4401, reason: 'session ended' });
      await stream.ended;
      expect(stream.errors.map((e) => e.extensions?.code)).toContain('SESSION_ENDED');
    });
  });

  describe('GraphQL streams', () => {
    it('end when the user is deactivated, and deliver nothing after', async () => {
      const team = await createTeam(client, 'Stream deactivated');
      const stream = await SseSubscription.open(server.url, team.member.token, TASK_CHANGES);
      expect((await client.patch(`/api/users/${team.member.id}`, { active: false }, { token: team.admin.token })).status).toBe(200);
      await stream.ended;
      expect(stream.errors.map((e) => e.extensions?.code)).toContain('ACCOUNT_DEACTIVATED');
      expect((await client.post('/api/tasks', { title: 'After the end' }, { token: team.admin.token })).status).toBe(201);
      expect(stream.events).toEqual([]);
    });

    it('end when the token expires', async () => {
      const team = await createTeam(client, 'Stream expiry');
      const short = forge(server, { sub: String(team.member.id), wid: team.workspaceId, role: 'member', exp: Math.floor(Date.now() / 1000) + 2 });
      const stream = await SseSubscription.open(server.url, short, TASK_CHANGES);
      await stream.ended;
      expect(stream.errors.map((e) => e.extensions?.code)).toContain('TOKEN_EXPIRED');
    });

    it('are capped per user', async () => {
      const team = await createTeam(client, 'Stream cap');
      const open = await Promise.all([1, 2, 3].map(() => SseSubscription.open(server.url, team.member.token, TASK_CHANGES)));
      const fourth = await SseSubscription.open(server.url, team.member.token, TASK_CHANGES);
      await fourth.ended;
      expect(fourth.errors.map((e) => e.extensions?.code)).toContain('TOO_MANY_SUBSCRIPTIONS');
      // Another user is not affected; closing a stream frees its place once the server sees the client go.
      const theirs = await SseSubscription.open(server.url, team.manager.token, TASK_CHANGES);
      expect(await accepted(theirs)).toBe(true);
      open[0]!.close();
      let again: SseSubscription | undefined;
      for (let attempt = 0; attempt < 20 && !again; attempt++) {
        const stream = await SseSubscription.open(server.url, team.member.token, TASK_CHANGES);
        if (await accepted(stream)) again = stream;
      }
      expect(again).toBeDefined();
      for (const stream of [...open, theirs, again!]) stream.close();

      /** Whether a stream is live: it receives the next change, rather than being ended by the server. */
      async function accepted(stream: SseSubscription): Promise<boolean> {
        const live = stream.received(1, 5000).then(() => true);
        await client.post('/api/tasks', { title: 'Is anyone there?' }, { token: team.admin.token });
        return Promise.race([live, stream.ended.then(() => false)]);
      }
    });
  });
});

/** A token as the server signs them, with claims of the test's choosing. */
function forge(server: RunningServer, claims: Record<string, unknown>): string {
  const { secret, issuer, audience } = server.services.config.jwt;
  const exp = (claims.exp as number | undefined) ?? Math.floor(Date.now() / 1000) + 600;
  return jwt.sign({ ...claims, exp }, secret, { algorithm: 'HS256', issuer, audience });
}
