import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { startServer, type RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, uniqueEmail, type TestResponse } from './support/client.js';
import { databaseMode, startTestServer, testConfig } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectSecurityHeaders(response: TestResponse, label: string): void {
  expect(response.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(response.headers.get('x-frame-options'), label).toBe('DENY');
  expect(response.headers.get('referrer-policy'), label).toBe('no-referrer');
  expect(response.headers.get('content-security-policy'), label).toContain("default-src 'none'");
  expect(response.headers.get('x-powered-by'), label).toBeNull();
}

describe(`system routes and HTTP behaviour (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  it('GET /healthz answers 200', async () => {
    const response = await client.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 on a reachable, migrated database', async () => {
    const response = await client.get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready' });
  });

  it('serves the OpenAPI document with every foundation route', async () => {
    const response = await client.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const operations = Object.values(response.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((path) =>
      Object.values(path).map((operation) => operation.operationId),
    );
    for (const id of ['register', 'login', 'refresh', 'logout', 'getMe', 'updateMe', 'createEmbedToken', 'listUsers', 'getUser', 'createUser', 'updateUser', 'listApiKeys', 'createApiKey', 'revokeApiKey']) {
      expect(operations).toContain(id);
    }
    expect(response.body.components.schemas.Problem).toBeTruthy();
  });

  it('gives every response an X-Request-Id and echoes a valid incoming one', async () => {
    const responses = [
      await client.get('/healthz'),
      await client.get('/api/nope'),
      await client.get('/api/users'),
      await client.post('/api/auth/login', { email: 'x' }),
      await client.request('OPTIONS', '/api/users'),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    // Problem documents carry the same id.
    expect(responses[1]!.body.requestId).toBe(ids[1]);

    const echoed = await client.get('/healthz', { headers: { 'x-request-id': 'edge-proxy:42.a_b-c' } });
    expect(echoed.headers.get('x-request-id')).toBe('edge-proxy:42.a_b-c');
    const echoedProblem = await client.get('/api/users', { headers: { 'x-request-id': 'trace-123' } });
    expect(echoedProblem.headers.get('x-request-id')).toBe('trace-123');
    expect(echoedProblem.body.requestId).toBe('trace-123');

    // Anything that could forge log lines or headers is replaced.
    for (const bad of ['has spaces', 'x'.repeat(65), '<script>', 'a;b', 'é']) {
      const response = await client.get('/healthz', { headers: { 'x-request-id': encodeURI(bad) === bad ? bad : encodeURIComponent(bad) } });
      expect(response.headers.get('x-request-id'), bad).toMatch(UUID);
    }
  });

  it('sends the security headers on every response', async () => {
    const team = await createTeam(client, 'Headers');
    const responses: Array<[string, TestResponse]> = [
      ['healthz', await client.get('/healthz')],
      ['openapi', await client.get('/openapi.json')],
      ['api', await client.get('/api/users', { token: team.member.token })],
      ['problem', await client.get('/api/nope')],
      ['401', await client.get('/api/auth/me')],
      ['405', await client.request('PUT', '/api/users')],
      ['415', await client.request('POST', '/api/auth/login', { rawBody: 'x', headers: { 'content-type': 'text/plain' } })],
    ];
    for (const [label, response] of responses) expectSecurityHeaders(response, label);
  });

  it('answers a wrong method on an existing path with a 405 problem naming the allowed methods', async () => {
    for (const [method, path] of [
      ['PUT', '/api/users'],
      ['DELETE', '/api/auth/me'],
      ['POST', '/healthz'],
      ['PATCH', '/api/api-keys'],
    ] as const) {
      const response = await client.request(method, path);
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(isProblem(response), `${method} ${path}`).toBe(true);
      expect(response.body.code).toBe('method_not_allowed');
      expect(response.headers.get('allow')).toBeTruthy();
    }
    expect((await client.request('PUT', '/api/users')).headers.get('allow')).toMatch(/GET.*POST|POST.*GET/);
  });

  it('answers an unknown path with a 404 problem', async () => {
    for (const path of ['/api/nope', '/api/users/1/nothing', '/%E0%A4%A']) {
      const response = await client.get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(isProblem(response), path).toBe(true);
    }
  });
});

describe('readiness and failures without a usable database', () => {
  it('GET /readyz answers 503 when the database is unreachable, and API routes answer 503 problems', async () => {
    const databaseUrl = 'postgres://postgres@127.0.0.1:1/none';
    const database = await openDatabase({ databaseUrl, acquireTimeoutMs: 1000 });
    // A server must start while its database is down, and say so on /readyz.
    const server = await startServer(testConfig({ DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'false', SEED_DEMO: 'false' }), { database }).catch(
      async (error: unknown) => {
        await database.close();
        throw new Error(`the server refused to start while its database is unreachable: ${String(error)}`);
      },
    );
    try {
      const client = new TestClient(server.url);
      const ready = await client.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('database_unreachable');
      expect((await client.get('/healthz')).status).toBe(200);

      const login = await client.post('/api/auth/login', { email: uniqueEmail('down'), password: 'whatever it is' });
      expect(login.status).toBe(503);
      expect(isProblem(login)).toBe(true);
      expect(login.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.stringify(login.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    } finally {
      await server.close();
      await database.close();
    }
  });

  it('an unexpected error answers a 500 problem with the request id and no internals', async () => {
    // A database without our tables: every query is a bug the server did not
    // expect (undefined table), which is how a real defect surfaces.
    let database: Database;
    if (process.env.DATABASE_URL) {
      const url = new URL(process.env.DATABASE_URL);
      url.searchParams.set('options', '-c search_path=taskbase_no_such_schema');
      database = await openDatabase({ databaseUrl: url.toString(), acquireTimeoutMs: 5000 });
    } else {
      database = await openDatabase({});
    }
    const server = await startServer(testConfig({ MIGRATE_ON_START: 'false', SEED_DEMO: 'false' }), { database });
    try {
      const client = new TestClient(server.url);
      const ready = await client.get('/readyz');
      expect(ready.status).toBe(503);

      const response = await client.post('/api/auth/login', { email: uniqueEmail('bug'), password: 'whatever it is' }, { headers: { 'x-request-id': 'bug-report-1' } });
      expect(response.status).toBe(500);
      expect(isProblem(response)).toBe(true);
      expect(response.body).toMatchObject({ status: 500, code: 'internal_error', requestId: 'bug-report-1', detail: 'An unexpected error occurred' });
      expect(response.body).not.toHaveProperty('stack');
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/auth_throttle|relation|does not exist|\bat\s|\.ts:|node_modules/);
      expectSecurityHeaders(response, '500');
    } finally {
      await server.close();
      await database.close();
    }
  });
});
