import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, createClient, memoryStorage, type TokenStorage } from '../src/index.js';
import { adminClient, nowSeconds, password, resign, startTestServer, uniqueEmail } from './support/server.js';

/** Tokens: fixed, from a provider, and email/password sessions refreshed by the client. */
describe('authentication', () => {
  let server: RunningServer;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer({ EMBED_TOKEN_TTL: '30' });
    const { client } = await adminClient(server.url);
    apiKey = (await client.apiKeys.create({ name: 'embed' })).key;
  });
  afterAll(() => server.close());

  const embedToken = async (externalId = 'host-1') =>
    (await createClient({ url: server.url }).auth.embedToken(apiKey, { externalId, name: 'Host User' })).accessToken;

  it('calls the tokenProvider when there is no token and when it is about to expire', async () => {
    let calls = 0;
    const tokens = [resign(await embedToken(), { iat: nowSeconds() - 880, exp: nowSeconds() + 20 })];
    const client = createClient({ url: server.url, tokenProvider: async () => (calls++, tokens.shift() ?? (await embedToken())) });
    expect(calls).toBe(0);
    await client.auth.me(); // no token yet
    expect(calls).toBe(1);
    await client.tasks.list(); // 20 s left of 900: renewed first
    expect(calls).toBe(2);
    await client.tasks.list(); // a fresh 30 s token is kept until half its life is left
    expect(calls).toBe(2);
  });

  it('calls the tokenProvider once more after a 401, then retries', async () => {
    const expired = `e30.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.forged`;
    const tokens = [expired];
    let calls = 0;
    const client = createClient({ url: server.url, tokenProvider: async () => (calls++, tokens.shift() ?? (await embedToken())) });
    expect((await client.auth.me()).user.externalId).toBe('host-1');
    expect(calls).toBe(2);
  });

  it('replaces an expired token before sending it', async () => {
    const expired = `e30.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 10 })).toString('base64url')}.x`;
    const tokens = [expired];
    const seen: string[] = [];
    const client = createClient({
      url: server.url,
      tokenProvider: async () => tokens.shift() ?? (await embedToken()),
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('authorization') ?? '');
        return fetch(input, init);
      },
    });
    await client.auth.me();
    expect(seen.filter((header) => header.includes(expired))).toHaveLength(1); // refused once, then renewed
    expect(seen.at(-1)).not.toContain(expired);
  });

  it('a fixed token that the server refuses is an AuthenticationError', async () => {
    const client = createClient({ url: server.url, token: 'not-a-token' });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as AuthenticationError).requestId).toMatch(/\S/);
  });

  it('signUp, signIn, automatic single-flight refresh, signOut', async () => {
    const writes: string[] = [];
    const inner = memoryStorage();
    const storage: TokenStorage = { ...inner, setItem: (key, value) => (writes.push(value), inner.setItem(key, value)) };
    const email = uniqueEmail('signup');
    const owner = createClient({ url: server.url, storage });
    await owner.auth.signUp({ name: 'Owner', email, password, workspaceName: 'Refresh' });
    expect(writes).toHaveLength(1);

    // The sign-in answers an access token with 20 s left of its 15 minutes.
    const client = createClient({
      url: server.url,
      storage,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).endsWith('/api/auth/login')) return response;
        const session = await response.json();
        session.accessToken = resign(session.accessToken, { iat: nowSeconds() - 880, exp: nowSeconds() + 20 });
        return new Response(JSON.stringify(session), { status: response.status, headers: response.headers });
      },
    });
    const session = await client.auth.signIn({ email, password });
    expect(session.user.email).toBe(email);
    expect(writes).toHaveLength(2);
    // These three refresh once, together (a rotating refresh token is never presented twice).
    const [a, b, c] = await Promise.all([client.auth.me(), client.tasks.list(), client.notifications.unreadCount()]);
    expect(a.user.email).toBe(email);
    expect(b.data).toEqual([]);
    expect(c.unread).toBe(0);
    expect(writes).toHaveLength(3);
    expect(await storage.getItem('taskbase.refreshToken')).toBe(writes.at(-1));

    await client.auth.signOut();
    expect(await storage.getItem('taskbase.refreshToken')).toBeNull();
    await expect(client.auth.me()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('a refresh token that was revoked ends the sign-in', async () => {
    const email = uniqueEmail('revoked');
    const storage = memoryStorage();
    const client = createClient({ url: server.url, storage });
    await client.auth.signUp({ name: 'Rev', email, password, workspaceName: 'Rev' });
    const stolen = (await storage.getItem('taskbase.refreshToken'))!;
    await client.auth.refresh(); // rotates
    // Replaying the old token revokes the whole family.
    await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: stolen }) });
    // The access token lives until it expires; the next renewal is refused and forgets the sign-in.
    await expect(client.auth.refresh()).rejects.toBeInstanceOf(AuthenticationError);
    expect(await storage.getItem('taskbase.refreshToken')).toBeNull();
  });
});
