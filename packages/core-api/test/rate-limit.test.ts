import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

const LIMITS = { RATE_LIMIT_PER_MINUTE: '20', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '15', RATE_LIMIT_SYNC_MS: '60000' };

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

  /** A minute window may end mid-test: wait for a fresh one when fewer than 15 s are left. */
  const freshWindow = async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  };

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

  it('shares the count between API processes', async () => {
    await freshWindow();
    const user = team.manager;
    for (let i = 0; i < 12; i += 1) expect((await new TestClient(first.url).get('/api/auth/me', { token: user.token })).status).toBe(200);
    await first.services.rateLimiter.flush();
    for (let i = 0; i < 8; i += 1) expect((await new TestClient(second.url).get('/api/auth/me', { token: user.token })).status).toBe(200);
    await second.services.rateLimiter.flush();
    // 20 spent between the two: the next one is refused on either.
    expect((await new TestClient(second.url).get('/api/auth/me', { token: user.token })).status).toBe(429);
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
