import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './support/server.js';

/** What a page did: console errors, uncaught errors, CSP violations, and every URL it asked for. */
interface Watch {
  errors: string[];
  violations: string[];
  requests: string[];
}

async function open(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; watch: Watch }> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1400, height: 900 } });
  const watch: Watch = { errors: [], violations: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => watch.requests.push(request.url()));
  await page.exposeFunction('__cspViolation', (text: string) => watch.violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __cspViolation(text: string): void }).__cspViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, watch };
}

describe('the API reference at /docs (Scalar, served from this origin)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers with a tight CSP: scripts from this origin only, no eval, no inline script', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const html = await response.text();
    // Scripts only by src, from this origin; the configuration is JSON, not script.
    for (const [, attributes] of html.matchAll(/<script([^>]*)>/g)) expect(attributes).toMatch(/src="\/docs\/assets\/|type="application\/json"/);
    expect(html).not.toMatch(/https?:\/\//);

    const bundle = await fetch(`${server.url}/docs/assets/scalar.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = bundle.headers.get('etag')!;
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${server.url}/docs/assets/scalar.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('renders the operations with no console error, no CSP violation and no request leaving the origin', async () => {
    const { page, watch } = await open(browser, `${server.url}/docs`, 'dark');
    await page.getByText('Create a workspace and its first admin, and sign them in').first().waitFor({ timeout: 20_000 });
    // A collapsed group opens from the sidebar: the attachments' operations are there too.
    await page.getByRole('button', { name: /^Attachments$/ }).or(page.getByText('Attachments', { exact: true })).first().click();
    await page.getByText('Attach a file to a task', { exact: false }).first().waitFor({ timeout: 10_000 });
    // Dark mode follows the system and has a toggle.
    expect(await page.evaluate(() => document.body.classList.contains('dark-mode'))).toBe(true);
    await page.getByRole('button', { name: /light mode|dark mode/i }).first().click();
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('light-mode'))).toBe(true);
    await page.waitForTimeout(500);
    expect(watch.errors).toEqual([]);
    expect(watch.violations).toEqual([]);
    expect(watch.requests.filter((url) => new URL(url).origin !== server.url)).toEqual([]);
    expect(watch.requests).toContain(`${server.url}/openapi.json`);
    await page.close();
  });

  it("sends a 'try it' request to this same server", async () => {
    const { page, watch } = await open(browser, `${server.url}/docs#tag/auth/GET/api/auth/me`);
    await page.getByText('The signed-in user and their workspace').first().waitFor({ timeout: 20_000 });
    const section = page.locator('section, .section').filter({ hasText: 'The signed-in user and their workspace' }).filter({ has: page.getByRole('button', { name: /test request/i }) }).last();
    await section.getByRole('button', { name: /test request/i }).first().click();
    const sent = page.waitForResponse((response) => response.url() === `${server.url}/api/auth/me`);
    await page.getByRole('button', { name: /^send/i }).first().click();
    const response = await sent;
    expect(response.status()).toBe(401); // it reached the server, which asked for a token
    expect(watch.errors.filter((text) => !/401/.test(text))).toEqual([]);
    expect(watch.violations).toEqual([]);
    expect(watch.requests.filter((url) => new URL(url).origin !== server.url)).toEqual([]);
    await page.close();
  });
});
