import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, createTeam, isProblem, uniqueEmail } from './support/client.js';
import { JWT_SECRET, databaseMode, startTestServer } from './support/server.js';

const PASSWORD = 'correct horse battery';

describe(`auth (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const register = async (email = uniqueEmail('auth')) => {
    const response = await client.post('/api/auth/register', { name: 'Ada', email, password: PASSWORD, workspaceName: 'Auth team' });
    expect(response.status).toBe(201);
    return { email, session: response.body };
  };

  it('registers, signs in, reads /me, rotates, detects reuse and logs out', async () => {
    const email = uniqueEmail('flow');
    const registered = await client.post('/api/auth/register', { name: 'Ada', email: email.toUpperCase(), password: PASSWORD, workspaceName: 'Flow' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email, role: 'admin', active: true }, workspace: { name: 'Flow' } });
    expect(registered.body.refreshToken).toMatch(/^tbr_/);
    expect(registered.body.user).not.toHaveProperty('passwordHash');

    const login = await client.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(registered.body.user.id);

    const me = await client.get('/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: registered.body.user.id, email }, workspace: { id: registered.body.workspace.id } });

    // Rotation: a new pair whose access token works.
    const rotated = await client.post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await client.get('/api/auth/me', { token: rotated.body.accessToken })).status).toBe(200);

    // Replaying the used token revokes the whole family, the new token included.
    const replay = await client.post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(replay.status).toBe(401);
    expect(isProblem(replay)).toBe(true);
    expect(replay.body.code).toBe('refresh_token_reused');
    const afterReuse = await client.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(afterReuse.status).toBe(401);
    expect(isProblem(afterReuse)).toBe(true);

    // Another sign-in (the registration's) is a separate family and still works.
    const other = await client.post('/api/auth/refresh', { refreshToken: registered.body.refreshToken });
    expect(other.status).toBe(200);

    // Logout ends that session: its refresh token no longer works.
    const logout = await client.post('/api/auth/logout', { refreshToken: other.body.refreshToken });
    expect(logout.status).toBe(204);
    const afterLogout = await client.post('/api/auth/refresh', { refreshToken: other.body.refreshToken });
    expect(afterLogout.status).toBe(401);
    expect(isProblem(afterLogout)).toBe(true);
    // Signed out is not stolen: the answer says the session ended, not that a token was reused.
    expect(afterLogout.body.code).toBe('session_ended');

    // Unknown tokens: refresh is 401, logout is a quiet no-op.
    expect((await client.post('/api/auth/refresh', { refreshToken: 'tbr_nope' })).status).toBe(401);
    expect((await client.post('/api/auth/refresh', { refreshToken: 'not-even-a-token' })).status).toBe(401);
    expect((await client.post('/api/auth/logout', { refreshToken: 'tbr_nope' })).status).toBe(204);
  });

  it('turns public sign-up off with ALLOW_SIGNUP=false', async () => {
    const closed = await startTestServer({ ALLOW_SIGNUP: 'false' });
    try {
      const refused = await new TestClient(closed.url).post('/api/auth/register', { name: 'Ada', email: uniqueEmail('closed'), password: PASSWORD, workspaceName: 'No' });
      expect(refused.status).toBe(403);
      expect(isProblem(refused)).toBe(true);
      expect(refused.body.code).toBe('signup_disabled');
    } finally {
      await closed.close();
    }
  });

  it('refuses a second account with the same email, in any case', async () => {
    const { email } = await register();
    const again = await client.post('/api/auth/register', { name: 'Eve', email: email.toUpperCase(), password: PASSWORD, workspaceName: 'Other' });
    expect(again.status).toBe(409);
    expect(isProblem(again)).toBe(true);
    expect(again.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    const { email } = await register();
    const from = new AddressClient(server.url);
    const unknown = await from.post('/api/auth/login', { email: uniqueEmail('nobody'), password: PASSWORD });
    const wrong = await from.post('/api/auth/login', { email, password: 'wrong password!' });
    for (const response of [unknown, wrong]) {
      expect(response.status).toBe(401);
      expect(isProblem(response)).toBe(true);
    }
    const { requestId: _a, ...unknownBody } = unknown.body;
    const { requestId: _b, ...wrongBody } = wrong.body;
    expect(unknownBody).toEqual(wrongBody);
    expect(unknownBody.code).toBe('invalid_credentials');
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
  });

  it('throttles an account after repeated failures with 429 and Retry-After, even for the right password', async () => {
    const { email } = await register();
    const from = new AddressClient(server.url);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await from.post('/api/auth/login', { email, password: `wrong ${attempt}` });
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await from.post('/api/auth/login', { email, password: 'wrong 6' });
    expect(blocked.status).toBe(429);
    expect(isProblem(blocked)).toBe(true);
    expect(blocked.body.code).toBe('rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // Blocked means blocked: the right password does not get through, from anywhere.
    expect((await from.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(429);
    expect((await new AddressClient(server.url).post('/api/auth/login', { email: email.toUpperCase(), password: PASSWORD })).status).toBe(429);

    // Another account on the same address is not affected.
    const { email: neighbour } = await register();
    expect((await from.post('/api/auth/login', { email: neighbour, password: PASSWORD })).status).toBe(200);
  });

  it('a successful sign-in clears the account counter', async () => {
    const { email } = await register();
    const from = new AddressClient(server.url);
    for (let round = 0; round < 2; round++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        expect((await from.post('/api/auth/login', { email, password: 'wrong' })).status).toBe(401);
      }
      expect((await from.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
    }
  });

  it('throttles an address that fails across many accounts', async () => {
    const from = new AddressClient(server.url);
    // 5 × LOGIN_MAX_FAILURES failures from one address, each on a different account.
    for (let attempt = 0; attempt < 25; attempt++) {
      expect((await from.post('/api/auth/login', { email: uniqueEmail('spray'), password: 'guess' })).status).toBe(401);
    }
    const { email } = await register();
    const blocked = await from.post('/api/auth/login', { email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // The same account from another address is fine.
    expect((await new AddressClient(server.url).post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });

  it('rejects missing, malformed, forged and expired access tokens', async () => {
    const { session } = await register();
    const claims = { sub: String(session.user.id), wid: session.workspace.id, role: 'admin' };
    const options = { issuer: 'taskbase', audience: 'taskbase-api' };
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      'not bearer': { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      garbage: { authorization: 'Bearer not.a.jwt' },
      'wrong secret': { authorization: `Bearer ${jwt.sign(claims, 'another-secret-that-is-long-enough-to-sign', options)}` },
      'alg none': { authorization: `Bearer ${jwt.sign(claims, '', { ...options, algorithm: 'none' })}` },
      'wrong audience': {
        authorization: `Bearer ${jwt.sign(claims, JWT_SECRET, { ...options, audience: 'elsewhere' })}`,
      },
      expired: {
        authorization: `Bearer ${jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, options)}`,
      },
    };
    for (const [label, headers] of Object.entries(cases)) {
      const response = await client.get('/api/auth/me', { headers });
      expect(response.status, label).toBe(401);
      expect(isProblem(response), label).toBe(true);
      expect(response.headers.get('www-authenticate'), label).toMatch(/^Bearer/);
    }
    const expired = await client.get('/api/auth/me', { headers: cases.expired! });
    expect(expired.body.code).toBe('token_expired');
  });

  it('PATCH /api/auth/me changes the name, and the password only with the current one', async () => {
    const team = await createTeam(client, 'Profile');
    const { member } = team;
    const renamed = await client.patch('/api/auth/me', { name: '  Grace Hopper ' }, { token: member.token });
    expect(renamed.status).toBe(200);
    expect(renamed.body.user.name).toBe('Grace Hopper');
    expect((await client.get('/api/auth/me', { token: member.token })).body.user.name).toBe('Grace Hopper');

    // A second session, to see that a password change ends it.
    const second = await client.post('/api/auth/login', { email: member.email, password: member.password });
    expect(second.status).toBe(200);

    const missing = await client.patch('/api/auth/me', { newPassword: 'a new password' }, { token: member.token });
    expect(missing.status).toBe(422);
    expect(isProblem(missing)).toBe(true);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })]);

    const wrong = await client.patch('/api/auth/me', { newPassword: 'a new password', currentPassword: 'not it' }, { token: member.token });
    expect(wrong.status).toBe(422);
    expect(isProblem(wrong)).toBe(true);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })]);
    // Nothing changed: the old password still signs in.
    const stillOld = await client.post('/api/auth/login', { email: member.email, password: member.password });
    expect(stillOld.status).toBe(200);

    const changed = await client.patch('/api/auth/me', { newPassword: 'a new password', currentPassword: member.password }, { token: member.token });
    expect(changed.status).toBe(200);

    const from = new AddressClient(server.url);
    expect((await from.post('/api/auth/login', { email: member.email, password: 'a new password' })).status).toBe(200);
    expect((await from.post('/api/auth/login', { email: member.email, password: member.password })).status).toBe(401);
    for (const refreshToken of [member.refreshToken, second.body.refreshToken, stillOld.body.refreshToken]) {
      const refreshed = await client.post('/api/auth/refresh', { refreshToken });
      expect(refreshed.status).toBe(401);
      expect(isProblem(refreshed)).toBe(true);
    }
  });

  it('PATCH /api/auth/me changes the email only with the current password, and not to a taken one', async () => {
    const team = await createTeam(client, 'Email');
    const { member, other } = team;
    const newEmail = uniqueEmail('moved');
    const without = await client.patch('/api/auth/me', { email: newEmail }, { token: member.token });
    expect(without.status).toBe(422);
    expect(without.body.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })]);

    const taken = await client.patch('/api/auth/me', { email: other.email.toUpperCase(), currentPassword: member.password }, { token: member.token });
    expect(taken.status).toBe(409);
    expect(isProblem(taken)).toBe(true);
    expect(taken.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);

    const moved = await client.patch('/api/auth/me', { email: newEmail, currentPassword: member.password }, { token: member.token });
    expect(moved.status).toBe(200);
    expect(moved.body.user.email).toBe(newEmail);
    expect((await client.post('/api/auth/login', { email: newEmail, password: member.password })).status).toBe(200);
  });
});
