import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, createClient, memoryStorage, type TaskbaseClient } from '../src/index.js';
import { adminClient, nowSeconds, password, resign, startTestServer, uniqueEmail } from './support/server.js';

/**
 * A browser's cookie jar for one origin, as a fetch: keeps what Set-Cookie says
 * (path included), sends it back where its path applies, and records every call.
 */
function browserFetch() {
  const jar = new Map<string, { value: string; path: string }>();
  const calls: { path: string; method: string; headers: Headers; credentials: RequestCredentials | undefined; body: string }[] = [];
  const fetchLike: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    calls.push({ path: url.pathname, method: init?.method ?? 'GET', headers, credentials: init?.credentials, body: String(init?.body ?? '') });
    const cookie = [...jar].filter(([, c]) => url.pathname.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`).join('; ');
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', value = ''] = pair.split('=');
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, { value, path });
    }
    return response;
  };
  return { fetch: fetchLike, jar, calls };
}

describe("session: 'browser': the refresh token only in the API's HttpOnly cookie", () => {
  let server: RunningServer;
  let email: string;
  beforeAll(async () => {
    server = await startTestServer();
    const admin = await adminClient(server.url);
    email = uniqueEmail('member');
    await admin.client.users.create({ name: 'Mel Member', email, password, role: 'member' });
  });
  afterAll(() => server.close());

  /** A client as a page of the API's origin makes it; a second one over the same jar is the page after a reload. */
  const page = (browser: ReturnType<typeof browserFetch>): TaskbaseClient<'browser'> =>
    createClient({ url: server.url, session: 'browser', fetch: browser.fetch, retryBaseDelay: 10 });

  it('signs in through /api/auth/session with the app header; no refresh token reaches the client', async () => {
    const browser = browserFetch();
    const client = page(browser);
    const session = await client.auth.signIn({ email, password });
    expect(session.user.email).toBe(email);
    expect(session).not.toHaveProperty('refreshToken');
    expect(JSON.stringify(session)).not.toContain('tbr_');
    expect(browser.jar.get('tb_refresh')).toEqual({ value: expect.stringMatching(/^tbr_/), path: '/api/auth/session' });
    expect((await client.tasks.list()).data).toEqual([]);
    expect(browser.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/auth/session', 'GET /api/tasks']);
    for (const call of browser.calls) {
      expect(call.headers.get('x-taskbase-session')).toBe('1');
      expect(call.credentials).toBe('same-origin');
    }
  });

  it('after a reload, resumes the sign-in with one refresh from the cookie (which rotates)', async () => {
    const browser = browserFetch();
    await page(browser).auth.signIn({ email, password });
    const before = browser.jar.get('tb_refresh')!.value;
    browser.calls.length = 0;
    const reloaded = page(browser);
    expect((await reloaded.auth.me()).user.email).toBe(email);
    expect(browser.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/auth/session/refresh', 'GET /api/auth/me']);
    expect(browser.calls[0]!.body).toBe(''); // the cookie, not a token in the body
    expect(browser.jar.get('tb_refresh')!.value).not.toBe(before);
  });

  it('a page without a session: the refresh is refused once, then nothing is asked again', async () => {
    const browser = browserFetch();
    const client = page(browser);
    await expect(client.auth.refresh()).rejects.toBeInstanceOf(AuthenticationError);
    expect(await client.auth.refresh()).toBeUndefined();
    await expect(client.auth.me()).rejects.toBeInstanceOf(AuthenticationError);
    expect(browser.calls.filter((call) => call.path === '/api/auth/session/refresh')).toHaveLength(1);
  });

  it('signs out: the server ends the session and clears the cookie, so a reload is signed out', async () => {
    const browser = browserFetch();
    const client = page(browser);
    await client.auth.signIn({ email, password });
    const cookie = browser.jar.get('tb_refresh')!.value;
    await client.auth.signOut();
    expect(browser.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/auth/session' });
    expect(browser.jar.has('tb_refresh')).toBe(false);
    await expect(client.tasks.list()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(page(browser).auth.me()).rejects.toBeInstanceOf(AuthenticationError);
    // The session is over on the server, not only forgotten by the page.
    const replay = await fetch(`${server.url}/api/auth/session/refresh`, { method: 'POST', headers: { 'x-taskbase-session': '1', cookie: `tb_refresh=${cookie}` } });
    expect(replay.status).toBe(401);
  });

  it('signs up into a browser session and ends the token session the registration answered', async () => {
    const browser = browserFetch();
    let registered: string | undefined;
    const client = createClient({
      url: server.url,
      session: 'browser',
      fetch: async (input, init) => {
        const response = await browser.fetch(input, init);
        if (String(input).endsWith('/api/auth/register')) registered = (await response.clone().json()).refreshToken;
        return response;
      },
    });
    const session = await client.auth.signUp({ name: 'Sue', email: uniqueEmail('signup'), password, workspaceName: 'Browser signup' });
    expect(session).not.toHaveProperty('refreshToken');
    expect(browser.jar.has('tb_refresh')).toBe(true);
    expect((await page(browser).auth.me()).user.name).toBe('Sue');
    const refresh = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: registered }) });
    expect(refresh.status).toBe(401);
  });

  it('a password change adopts the new session: the page keeps working, and after a reload too', async () => {
    const browser = browserFetch();
    // The sign-in's access token was issued a minute ago, so the password change (which ends tokens by the second) surely ends it.
    const client = createClient({
      url: server.url,
      session: 'browser',
      fetch: async (input, init) => {
        const response = await browser.fetch(input, init);
        if (!String(input).endsWith('/api/auth/session')) return response;
        const session = await response.json();
        session.accessToken = resign(session.accessToken, { iat: nowSeconds() - 60, exp: nowSeconds() + 840 });
        return new Response(JSON.stringify(session), { status: response.status, headers: response.headers });
      },
    });
    const own = uniqueEmail('changer');
    await client.auth.signUp({ name: 'Cy', email: own, password, workspaceName: 'Password change' });
    const oldCookie = browser.jar.get('tb_refresh')!.value;
    const updated = await client.auth.updateMe({ currentPassword: password, newPassword: 'a brand new password' });
    expect(updated.session?.accessToken).toEqual(expect.any(String));
    expect(updated.session).not.toHaveProperty('refreshToken');
    expect(browser.jar.get('tb_refresh')!.value).not.toBe(oldCookie);
    browser.calls.length = 0;
    // The old access token is dead: the one sent now is the adopted one (no 401, no refresh).
    expect((await client.tasks.list()).data).toEqual([]);
    expect(browser.calls.map((call) => `${call.method} ${call.path} ${call.headers.get('authorization')?.slice(-12)}`)).toEqual([
      `GET /api/tasks ${updated.session!.accessToken.slice(-12)}`,
    ]);
    expect((await page(browser).auth.me()).user.email).toBe(own);
  });
});

describe('updateMe adopts the new session in token mode too', () => {
  let server: RunningServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server.close());

  it('keeps the new refresh token and access token after a password change', async () => {
    const storage = memoryStorage();
    const { client } = await adminClient(server.url, { storage });
    const before = await storage.getItem('taskbase.refreshToken');
    const updated = await client.auth.updateMe({ currentPassword: password, newPassword: 'a brand new password' });
    expect(updated.session?.refreshToken).toMatch(/^tbr_/);
    expect(await storage.getItem('taskbase.refreshToken')).toBe(updated.session!.refreshToken);
    expect(await storage.getItem('taskbase.refreshToken')).not.toBe(before);
    expect((await client.tasks.list()).data).toEqual([]);
    expect(await client.auth.refresh()).toEqual(expect.any(String));
  });
});
