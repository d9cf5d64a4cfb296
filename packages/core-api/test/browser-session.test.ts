import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

const SESSION = { 'x-taskbase-session': '1' };

/** The cookie a response set, as `name=value`, and its attributes. */
function setCookie(headers: Headers): { pair: string; attributes: string } {
  const header = headers.get('set-cookie') ?? '';
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  return { pair, attributes: attributes.join('; ').toLowerCase() };
}

describe(`browser sessions: the refresh token only in an HttpOnly cookie (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Browser sessions');
  });
  afterAll(() => server.close());

  const signIn = () => client.post('/api/auth/session', { email: team.member.email, password: team.member.password }, { headers: SESSION });

  it('signs in with the refresh token in an HttpOnly, SameSite=Strict cookie scoped to the session routes, never in the body', async () => {
    const response = await signIn();
    expect(response.status).toBe(200);
    expect(response.body.accessToken).toEqual(expect.any(String));
    expect(response.body).not.toHaveProperty('refreshToken');
    expect(JSON.stringify(response.body)).not.toContain('tbr_');
    const cookie = setCookie(response.headers);
    expect(cookie.pair).toMatch(/^tb_refresh=tbr_/);
    expect(cookie.attributes).toContain('httponly');
    expect(cookie.attributes).toContain('samesite=strict');
    expect(cookie.attributes).toContain('path=/api/auth/session');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refreshes from the cookie, rotating it, and a replayed cookie ends the session', async () => {
    const first = setCookie((await signIn()).headers).pair;
    const refreshed = await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie: first } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const second = setCookie(refreshed.headers).pair;
    expect(second).not.toBe(first);
    const replayed = await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie: first } });
    expect(replayed.status).toBe(401);
    expect(setCookie(replayed.headers).pair).toBe('tb_refresh=');
    // Reuse revoked the whole family, the rotated cookie too.
    expect((await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie: second } })).status).toBe(401);
  });

  it('refuses session calls without the app’s header (a cross-site form cannot send it)', async () => {
    const cookie = setCookie((await signIn()).headers).pair;
    const forged = await client.post('/api/auth/session/refresh', undefined, { headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(isProblem(forged)).toBe(true);
    expect(forged.body.code).toBe('csrf');
    expect((await client.post('/api/auth/session', { email: team.member.email, password: team.member.password })).status).toBe(403);
    // The header is not one a cross-origin page may send: preflights do not allow it.
    const preflight = await client.request('OPTIONS', '/api/auth/session/refresh', {
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-taskbase-session' },
    });
    expect(preflight.headers.get('access-control-allow-headers') ?? '').not.toMatch(/x-taskbase-session/i);
  });

  it('after a password change from the app, keeps the new session’s refresh token in the cookie', async () => {
    const fresh = await createTeam(client, 'Browser password change');
    const signedIn = await client.post('/api/auth/session', { email: fresh.member.email, password: fresh.member.password }, { headers: SESSION });
    const changed = await client.patch(
      '/api/auth/me',
      { currentPassword: fresh.member.password, newPassword: 'another good password' },
      { token: signedIn.body.accessToken, headers: SESSION },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.session.accessToken).toEqual(expect.any(String));
    expect(changed.body.session).not.toHaveProperty('refreshToken');
    const cookie = setCookie(changed.headers).pair;
    expect(cookie).toMatch(/^tb_refresh=tbr_/);
    expect((await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie } })).status).toBe(200);
    // The cookie from before the change belongs to an ended session.
    expect((await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie: setCookie(signedIn.headers).pair } })).status).toBe(401);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const cookie = setCookie((await signIn()).headers).pair;
    const out = await client.delete('/api/auth/session', { headers: { ...SESSION, cookie } });
    expect(out.status).toBe(204);
    expect(setCookie(out.headers).pair).toBe('tb_refresh=');
    expect((await client.post('/api/auth/session/refresh', undefined, { headers: { ...SESSION, cookie } })).status).toBe(401);
    const none = await client.post('/api/auth/session/refresh', undefined, { headers: SESSION });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('no_session');
  });
});
