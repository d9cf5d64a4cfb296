import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { RunningServer } from '../src/server.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, uniqueEmail } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

const PASSWORD = 'correct horse battery';

describe(`sign-in abuse (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    // One proxy in front, as in the documented nginx set-up; as many sign-ins checked at once as failures allowed (5).
    server = await startTestServer({ TRUST_PROXY: 'true', LOGIN_MAX_CONCURRENT: '5' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const register = async () => {
    const email = uniqueEmail('abuse');
    const response = await client.post('/api/auth/register', { name: 'Ada', email, password: PASSWORD, workspaceName: 'Abuse' });
    expect(response.status).toBe(201);
    return email;
  };

  it('counts concurrent guesses before checking them: no more than the limit get an answer', async () => {
    const email = await register();
    const from = new AddressClient(server.url);
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => from.post('/api/auth/login', { email, password: `guess ${i}` })));
    const statuses = guesses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5); // LOGIN_MAX_FAILURES in tests
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  });

  it('lets honest sign-ins to one account happen at once, up to LOGIN_MAX_CONCURRENT, then asks the rest to retry in a second', async () => {
    const email = await register();
    const from = new AddressClient(server.url);
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => from.post('/api/auth/login', { email, password: PASSWORD })))).map((r) => r);
    const refused = statuses.filter((response) => response.status === 429);
    expect(statuses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(5);
    for (const response of refused) expect(response.headers.get('retry-after')).toBe('1');
    // None of them was a failure: the account signs in at once afterwards.
    expect((await from.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });

  it('a successful sign-in does not spend the address’s budget', async () => {
    const email = await register();
    const from = new AddressClient(server.url);
    // More successful sign-ins from one address than its failure budget (5 × 5).
    for (let i = 0; i < 30; i++) expect((await from.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });

  it('behind a proxy, takes the address the proxy saw: rotating the client-sent X-Forwarded-For escapes nothing', async () => {
    const proxySaw = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) {
      const forged = `203.0.113.${i + 1}`;
      const response = await client.post('/api/auth/login', { email: uniqueEmail('spray'), password: 'guess' }, { headers: { 'x-forwarded-for': `${forged}, ${proxySaw}` } });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 25).every((status) => status === 401)).toBe(true);
    expect(statuses[25]).toBe(429);
  });
});

describe('TRUST_PROXY', () => {
  const config = (value: string | undefined) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), ...(value === undefined ? {} : { TRUST_PROXY: value }) });

  it('takes false, true (one proxy) or a number of proxies', () => {
    expect(config(undefined)).toMatchObject({ trustProxy: false, proxyHops: 0 });
    expect(config('false')).toMatchObject({ trustProxy: false, proxyHops: 0 });
    expect(config('true')).toMatchObject({ trustProxy: true, proxyHops: 1 });
    expect(config('2')).toMatchObject({ trustProxy: true, proxyHops: 2 });
    expect(() => config('many')).toThrow(/TRUST_PROXY/);
    expect(() => config('11')).toThrow(/TRUST_PROXY/);
  });
});
