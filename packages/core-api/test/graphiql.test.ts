import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../src/app.js';
import { loadGraphqlConfig } from '../src/graphql/config.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { startTestServer } from './support/server.js';

describe('GraphiQL at /graphiql (graphql-yoga’s build, served from this origin)', () => {
  let server: RunningServer;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    team = await createTeam(new TestClient(server.url), 'GraphiQL');
    browser = await chromium.launch({
      executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers with a tight CSP: scripts and workers from this origin only, no eval, no inline script', async () => {
    const response = await fetch(`${server.url}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/worker-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|blob:|https?:/);
    const html = await response.text();
    for (const [, attributes] of html.matchAll(/<script([^>]*)>/g)) expect(attributes).toMatch(/src="\/graphiql\/assets\/|type="application\/json"/);
    expect(html).not.toMatch(/https?:\/\//);

    const script = await fetch(`${server.url}/graphiql/assets/graphiql.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const etag = script.headers.get('etag')!;
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect((await fetch(`${server.url}/graphiql/assets/graphiql.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${server.url}/graphiql/assets/nothing.js`)).status).toBe(404);
  });

  it('runs a query with a token, with no console error, no CSP violation and no request leaving the origin', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    const violations: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    // Workers' requests are the page's too (they would show here).
    page.on('worker', (worker) => requests.push(worker.url()));
    await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __cspViolation(text: string): void }).__cspViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    await page.goto(`${server.url}/graphiql`);

    await page.getByLabel(/access token/i).fill(team.member.token);
    // The schema arrives (introspection with the token), for the Docs pane and completion.
    const introspected = page.waitForResponse((response) => response.url() === `${server.url}/graphql` && (response.request().postData() ?? '').includes('__schema'));
    await page.getByRole('button', { name: 'Open GraphiQL' }).click();
    const introspection = await introspected;
    expect(introspection.status()).toBe(200);
    expect(introspection.request().headers().authorization).toBe(`Bearer ${team.member.token}`);

    const answered = page.waitForResponse(
      (response) => response.url() === `${server.url}/graphql` && (response.request().postData() ?? '').includes('query Me'),
    );
    await page.getByRole('button', { name: /execute query/i }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { data: { me: { id: string } } }).data.me.id).toBe(String(team.member.id));
    // The answer shows in the result pane.
    await page.locator('.graphiql-response').getByText(team.member.email).waitFor({ timeout: 10_000 });
    // The editors' workers ran from this origin.
    await expect.poll(() => requests.some((url) => url.endsWith('/graphiql/assets/graphql.worker.js'))).toBe(true);

    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== server.url)).toEqual([]);
    // The token was not written to storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(team.member.token);
    await page.close();
  });

  it('is not served when GRAPHIQL=false (the default in production)', async () => {
    expect(loadGraphqlConfig({}, 'production').graphiql).toBe(false);
    expect(loadGraphqlConfig({}, 'development').graphiql).toBe(true);
    expect(loadGraphqlConfig({ GRAPHIQL: 'true' }, 'production').graphiql).toBe(true);
    const { app } = createApp(server.services, { bus: server.bus, graphql: loadGraphqlConfig({ GRAPHIQL: 'false' }, 'test') });
    const http: Server = createServer(app.callback());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      for (const path of ['/graphiql', '/graphiql/assets/graphiql.js']) {
        const response = await fetch(base + path);
        expect(response.headers.get('content-type') ?? '').not.toMatch(/javascript/);
        expect(await response.text()).not.toMatch(/YogaGraphiQL|graphiql-token/);
      }
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
