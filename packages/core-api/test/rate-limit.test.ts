import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { eventually } from './support/webhooks.js';

const LIMITS = { RATE_LIMIT_PER_MINUTE: '20', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '15', RATE_LIMIT_SYNC_MS: '60000' };

/** A minute window may end mid-test: wait for a fresh one when fewer than 15 s are left. */
async function freshWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Spends `count` of `token`'s requests on `url`, each expected to answer `status`. */
async function spend(url: string, token: string, count: number, status = 200): Promise<void> {
  const client = new TestClient(url);
  for (let i = 0; i < count; i += 1) expect((await client.get('/api/auth/me', { token })).status).toBe(status);
}

describe(`rate limits (${databaseMode()} database)`, () => {
  let first: RunningServer;
  let second: RunningServer;
  let team: Team;
  beforeAll(async () => {
    // Team set-up runs on an unlimited server; the limited ones share its database.
    const setup = await startTestServer();
    team = await createTeam(new TestClient(setup.url), 'Limited');
    await setup.close();
    first = await startTestServer(LIMITS);
    second = await startTestServer(LIMITS);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('answers 429 with Retry-After and RateLimit headers once a user spends the minute', async () => {
    await freshWindow();
    const client = new TestClient(first.url);
    const user = team.member;
    const statuses = [];
    let last;
    for (let i = 0; i < 21; i += 1) {
      last = await client.get('/api/auth/me', { token: user.token });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('ratelimit-limit')).toBe('20');
        expect(last.headers.get('ratelimit-remaining')).toBe('19');
      }
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(last!.status).toBe(429);
    expect(isProblem(last!)).toBe(true);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    // Another user is not affected.
    expect((await client.get('/api/auth/me', { token: team.other.token })).status).toBe(200);
  });

  it('limits a burst of GraphQL requests exactly as the same burst of REST calls', async () => {
    await freshWindow();
    const client = new TestClient(first.url);
    const { token } = team.admin;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 21; i += 1) {
      last = await client.post('/graphql', { query: '{ me { id } }' }, { token });
      statuses.push(last.status);
      if (i === 0) expect(last.headers.get('ratelimit-remaining')).toBe('19');
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(last!.status).toBe(429);
    expect(isProblem(last!)).toBe(true);
    expect(last!.body.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-limit')).toBe('20');
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    // One budget for both surfaces: REST is refused too, for that user only.
    expect((await client.get('/api/auth/me', { token })).status).toBe(429);
    expect((await client.post('/graphql', { query: '{ me { id } }' }, { token: team.other.token })).status).toBe(200);
  });

  it('shares the count between API processes', async () => {
    await freshWindow();
    const user = team.manager;
    await spend(first.url, user.token, 12);
    await first.services.rateLimiter.flush();
    await spend(second.url, user.token, 8);
    await second.services.rateLimiter.flush();
    // 20 spent between the two: the next one is refused on either.
    await spend(second.url, user.token, 1, 429);
  });

  it('limits anonymous calls per address', async () => {
    await freshWindow();
    const from = new AddressClient(first.url);
    const statuses = [];
    for (let i = 0; i < 16; i += 1) statuses.push((await from.post('/api/auth/refresh', { refreshToken: 'tbr_nope' })).status);
    expect(statuses.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(statuses[15]).toBe(429);
    expect((await new AddressClient(first.url).post('/api/auth/refresh', { refreshToken: 'tbr_nope' })).status).toBe(401);
  });
});

/** Run where REDIS_URL names a Redis server (CI starts one); keys get a prefix of their own. */
describe.runIf(process.env.REDIS_URL)('rate limits shared through Redis (REDIS_URL)', () => {
  let proxy: TcpProxy;
  let first: RunningServer;
  let second: RunningServer;
  let team: Team;
  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL!);
    proxy = await TcpProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
    const setup = await startTestServer();
    team = await createTeam(new TestClient(setup.url), 'Limited by Redis');
    await setup.close();
    const env = { ...LIMITS, REDIS_URL: proxy.rewrite(process.env.REDIS_URL!), REDIS_KEY_PREFIX: `taskbase-test-${process.pid}-${Date.now()}:` };
    first = await startTestServer(env);
    second = await startTestServer(env);
  });
  afterAll(async () => {
    proxy.up();
    await first?.close();
    await second?.close();
    await proxy?.close();
  });

  it('shares the count between API processes', async () => {
    await freshWindow();
    await spend(first.url, team.member.token, 12);
    await first.services.rateLimiter.flush();
    await spend(second.url, team.member.token, 8);
    await second.services.rateLimiter.flush();
    await first.services.rateLimiter.flush(); // reads the total back: 20, spent between the two
    await spend(first.url, team.member.token, 1, 429);
    await spend(second.url, team.member.token, 1, 429);
  });

  it('keeps answering while Redis is unreachable, limiting per process, and shares again once it is back', async () => {
    await freshWindow();
    const user = team.manager;
    proxy.down();
    // Nothing is refused for want of Redis: each process counts alone meanwhile.
    await spend(first.url, user.token, 15);
    await first.services.rateLimiter.flush();
    await spend(second.url, user.token, 15);
    await second.services.rateLimiter.flush();
    proxy.up();
    // Back: the counts kept meanwhile reach Redis (30 > 20), and both processes refuse.
    await eventually(async () => {
      await Promise.all([first.services.rateLimiter.flush(), second.services.rateLimiter.flush()]);
      const answers = await Promise.all([first, second].map((server) => new TestClient(server.url).get('/api/auth/me', { token: user.token })));
      return answers.every((answer) => answer.status === 429);
    }, 10_000, 'both processes to refuse once Redis is back');
  });
});
