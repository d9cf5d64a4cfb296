import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@taskbase/core-api';
import { createClient } from '@taskbase/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';
import { field } from './pages.js';

const run = randomUUID().slice(0, 8);
const member = { name: 'Sam Session', email: `sam-${run}@example.test`, password: 'first password 1' };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: ReturnType<typeof createClient>;
let memberId: number;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  admin = createClient({ url: api.url });
  await admin.auth.signUp({ name: 'Ada Admin', email: `ada-${run}@example.test`, password: 'correct horse battery', workspaceName: `Sessions ${run}` });
  memberId = (await admin.users.create({ ...member, role: 'member' })).user.id;
  await admin.tasks.create({ title: `Session task ${run}` });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

/** Everything the page's scripts can read that could hold a token: both storages, and document.cookie. */
function readableByScripts(target: Page) {
  return target.evaluate(() => {
    const entries = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => [storage.key(i)!, storage.getItem(storage.key(i)!)!] as const);
    return { localStorage: entries(localStorage), sessionStorage: entries(sessionStorage), cookie: document.cookie };
  });
}

/** Whether a stored value looks like a token: a refresh token (tbr_…) or a JWT. */
const looksLikeToken = (value: string) => /tbr_|eyJ[\w-]+\.[\w-]+\./.test(value);

async function expectNoTokenInPage(target: Page): Promise<void> {
  const readable = await readableByScripts(target);
  for (const [key, value] of [...readable.localStorage, ...readable.sessionStorage]) {
    expect(looksLikeToken(value), `${key} holds a token`).toBe(false);
    expect(key).not.toMatch(/token/i);
  }
  expect(readable.cookie).not.toMatch(/tb_refresh|tbr_/);
}

async function sessionCookie() {
  return (await context.cookies()).find((cookie) => cookie.name === 'tb_refresh');
}

describe('Shell sign-in is a browser session: no token in page storage (production build, real core-api)', () => {
  it('after sign-in, localStorage and sessionStorage hold no token; the refresh token is an HttpOnly cookie', async () => {
    await page.goto(`${api.url}/sign-in`);
    await field(page, 'Email').fill(member.email);
    await field(page, 'Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/dashboard');
    await expectNoTokenInPage(page);
    const cookie = await sessionCookie();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth/session' });
    expect(cookie?.value).toMatch(/^tbr_/);
  });

  it('a reload stays signed in (one refresh from the cookie), still with nothing in page storage', async () => {
    const before = (await sessionCookie())!.value;
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/auth/session/refresh'));
    await page.reload();
    expect((await refreshed).status()).toBe(200);
    await page.getByRole('button', { name: `Account menu for ${member.name}` }).waitFor();
    await page.goto(`${api.url}/board`);
    await page.locator('tb-task-board').getByText(`Session task ${run}`).waitFor();
    expect((await sessionCookie())!.value).not.toBe(before); // rotated
    await expectNoTokenInPage(page);
  });

  it('a password change on the profile page keeps the user signed in, across a reload too', async () => {
    await page.goto(`${api.url}/profile`);
    await field(page, 'Current password').fill(member.password);
    await field(page, 'New password').fill('second password 2');
    await field(page, 'Repeat the new password').fill('second password 2');
    const cookieBefore = (await sessionCookie())!.value;
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    expect((await sessionCookie())!.value).not.toBe(cookieBefore);
    await expectNoTokenInPage(page);
    // Live updates go on: the server closed the old session's socket, and it reconnects with the new one.
    await admin.tasks.create({ title: `Assigned after the change ${run}`, assignedTo: memberId });
    await expect.poll(() => page.locator('tb-notification-bell .badge').textContent()).toBe('1');
    // The page goes on working with the adopted session...
    await page.goto(`${api.url}/board`);
    await page.locator('tb-task-board').getByText(`Session task ${run}`).waitFor();
    // ...and so does the next page load.
    await page.reload();
    await page.getByRole('button', { name: `Account menu for ${member.name}` }).waitFor();
    await page.locator('tb-task-board').getByText(`Session task ${run}`).waitFor();
    // The old session cookie ended with the old password.
    const replay = await fetch(`${api.url}/api/auth/session/refresh`, { method: 'POST', headers: { 'x-taskbase-session': '1', cookie: `tb_refresh=${cookieBefore}` } });
    expect(replay.status).toBe(401);
  });

  it('sign-out ends the server session: a reload lands on sign-in, and the old cookie is refused', async () => {
    const cookie = (await sessionCookie())!.value;
    const ended = page.waitForResponse((response) => response.url().endsWith('/api/auth/session') && response.request().method() === 'DELETE');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    expect((await ended).status()).toBe(204);
    await page.waitForURL('**/sign-in');
    expect(await sessionCookie()).toBeUndefined();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.goto(`${api.url}/board`);
    await page.waitForURL('**/sign-in?returnUrl=%2Fboard');
    const replay = await fetch(`${api.url}/api/auth/session/refresh`, { method: 'POST', headers: { 'x-taskbase-session': '1', cookie: `tb_refresh=${cookie}` } });
    expect(replay.status).toBe(401);
    await expectNoTokenInPage(page);
  });
});
