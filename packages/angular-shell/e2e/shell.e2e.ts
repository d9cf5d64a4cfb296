import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '@taskbase/core-api';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium, startApi, startReceiver, startShellServer } from './harness.js';
import { axeViolations, field, screenshot, type AxeViolation } from './pages.js';

const password = 'correct horse battery';
const run = randomUUID().slice(0, 8);
const admin = { name: 'Ada Admin', email: `ada-${run}@example.test`, workspace: `Acme ${run}` };
const teammate = { name: 'Tom Teammate', email: `tom-${run}@example.test`, password: '' };
const taskTitle = `Ship the shell ${run}`;

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let shell: Awaited<ReturnType<typeof startShellServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: Browser;
let adminContext: BrowserContext;
let memberContext: BrowserContext;
let adminPage: Page;
let memberPage: Page;
let taskId: number;
/** The task's identifier in the default project (GEN-1): what the shell's links and addresses use. */
let identifier: string;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  [shell, receiver, browser] = await Promise.all([startShellServer(api.url), startReceiver(), launchChromium()]);
  adminContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  memberContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  adminPage = await adminContext.newPage();
  memberPage = await memberContext.newPage();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([shell?.close(), receiver?.close()]);
  await cleanupApi?.();
});

async function signIn(page: Page, email: string, secret: string): Promise<void> {
  await page.goto(`${shell.url}/sign-in`);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
}

describe('Angular shell, end to end (production build, real core-api, headless Chromium)', () => {
  it("loads under core-api's Content-Security-Policy, with its icon font", async () => {
    const page = await adminContext.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${shell.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    expect(violations).toEqual([]);
    expect(await page.evaluate(() => document.fonts.check('24px "Material Symbols Outlined"'))).toBe(true);
    await page.close();
  });

  it('signs up: creates a workspace and lands on the dashboard with its name in the toolbar', async () => {
    await adminPage.goto(`${shell.url}/sign-up`);
    await field(adminPage, 'Workspace name').fill(admin.workspace);
    await field(adminPage, 'Your name').fill(admin.name);
    await field(adminPage, 'Email').fill(admin.email);
    await field(adminPage, 'Password').fill(password);
    await adminPage.getByRole('button', { name: 'Create workspace' }).click();
    await adminPage.waitForURL('**/dashboard');
    await adminPage.getByTestId('workspace-name').getByText(admin.workspace).waitFor();
    await adminPage.getByRole('heading', { name: 'Hello, Ada' }).waitFor();
  });

  it('the admin invites a teammate (Material dialog) who signs in with the temporary password', async () => {
    await adminPage.getByRole('link', { name: 'Team', exact: true }).click();
    await adminPage.waitForURL('**/admin/team');
    await adminPage.getByRole('button', { name: 'Invite' }).click();
    const dialog = adminPage.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await dialog.getByText('Enter their name.').waitFor(); // validation messages before any request
    await field(dialog, 'Name').fill(teammate.name);
    await field(dialog, 'Email').fill(teammate.email);
    await dialog.getByRole('button', { name: 'Invite' }).click();
    // The dialog's element can be in the DOM a tick before Angular fills in its text: wait for the text.
    const secret = adminPage.getByTestId('secret-value').filter({ hasText: /\S{8,}/ });
    teammate.password = (await secret.textContent())!.trim();
    expect(teammate.password.length).toBeGreaterThanOrEqual(8);
    await adminPage.getByRole('button', { name: 'Done' }).click();
    await adminPage.getByRole('cell', { name: teammate.email }).waitFor();

    await signIn(memberPage, teammate.email, teammate.password);
    await memberPage.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();
  });

  it('creates a task on the board and opens it through the router; the deep link survives a reload', async () => {
    await adminPage.getByRole('link', { name: 'Board', exact: true }).click();
    await adminPage.waitForURL('**/board');
    await adminPage.locator('tb-task-board').getByRole('button', { name: '+ Add task' }).first().click();
    await adminPage.getByRole('textbox', { name: 'Task title' }).fill(taskTitle);
    await adminPage.locator('tb-task-board').getByRole('button', { name: 'Create', exact: true }).click();
    const card = adminPage.locator('tb-task-board').getByText(taskTitle);
    await card.waitFor();
    await card.click();
    await adminPage.waitForURL(/\/tasks\/GEN-\d+$/);
    identifier = new URL(adminPage.url()).pathname.split('/').pop()!;
    await adminPage.getByRole('dialog').waitFor({ state: 'detached' }); // no widget dialog: the router took over

    // The page looks the task up by its identifier; its answer names the id. (A response of the
    // page before the reload can arrive too, with no body left to read: skip it.)
    const opened = new Promise<number>((done) => {
      const listener = async (answer: Response) => {
        if (!answer.url().endsWith(`/api/tasks/${identifier}`) || answer.request().method() !== 'GET') return;
        try {
          const { id } = (await answer.json()) as { id: number };
          adminPage.off('response', listener);
          done(id);
        } catch {
          // navigated away from: the next one will do
        }
      };
      adminPage.on('response', listener);
    });
    await adminPage.reload();
    taskId = await opened;
    expect(taskId).toBeGreaterThan(0);
    await adminPage.getByRole('heading', { name: `Task ${identifier}` }).waitFor();
    const title = adminPage.locator('tb-task-detail .title');
    await title.waitFor();
    await expect.poll(() => title.inputValue()).toBe(taskTitle);
  });

  it('comments on the task', async () => {
    const comments = adminPage.locator('tb-comments');
    await comments.getByRole('textbox', { name: /Write a comment/ }).fill('Looks ready to me');
    await comments.getByRole('button', { name: 'Comment', exact: true }).click();
    await comments.getByText('Looks ready to me').waitFor();
  });

  it('assigns the task to the teammate, who sees the notification live and opens the task from it', async () => {
    const saved = adminPage.waitForResponse((answer) => answer.url().endsWith(`/api/tasks/${taskId}`) && answer.request().method() === 'PATCH');
    // The shell slots Material selects into tb-task-detail in place of its native status, priority and assignee ones
    // (the widget's own relation-type and custom-field selects have no slot, and stay).
    expect(await adminPage.locator('tb-task-detail :is(select[name="status"], select[name="priority"], select[name="assignedTo"]):visible').count()).toBe(0);
    await adminPage.getByRole('combobox', { name: 'Assignee' }).click();
    await adminPage.locator('mat-option', { hasText: teammate.name }).click();
    expect((await saved).status()).toBe(200);

    const bell = memberPage.getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.waitFor(); // pushed over the WebSocket, no reload
    await bell.click();
    await memberPage.locator('tb-notification-bell').getByRole('button', { name: new RegExp(taskTitle) }).first().click();
    await memberPage.waitForURL(`**/tasks/${identifier}`); // the notification names the id; the address shows the identifier
    await memberPage.locator('tb-comments').getByText('Looks ready to me').waitFor();
  });

  it('the admin adds a webhook to a local receiver, sends a test event and sees the delivery in the log', async () => {
    await adminPage.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await adminPage.waitForURL('**/admin/webhooks');
    await adminPage.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = adminPage.getByRole('dialog');
    await field(dialog, 'Endpoint URL').fill(receiver.url);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await adminPage.getByTestId('secret-value').filter({ hasText: /^whsec_/ }).waitFor();
    await adminPage.getByRole('button', { name: 'Done' }).click();

    await adminPage.getByRole('button', { name: 'Send test event' }).click();
    const hook = await receiver.next('webhook.test');
    expect(hook.headers['webhook-signature']).toMatch(/^v1,/);
    const log = adminPage.getByTestId('delivery-log');
    await log.getByText('succeeded').waitFor();
    await log.getByRole('button', { name: /^Attempts of delivery/ }).first().click();
    await adminPage.getByTestId('attempts').getByText('200').waitFor();
    await adminPage.getByRole('button', { name: 'Close' }).click();
  });

  it('the admin renames the workspace in settings, and the toolbar follows at once', async () => {
    await adminPage.getByRole('link', { name: 'Settings', exact: true }).click();
    await adminPage.waitForURL('**/admin/settings');
    const name = adminPage.getByTestId('workspace-name-field');
    await expect.poll(() => name.inputValue()).toBe(admin.workspace);
    admin.workspace = `${admin.workspace} renamed`;
    await name.fill(admin.workspace);
    const saved = adminPage.waitForResponse((answer) => answer.url().endsWith('/api/workspace') && answer.request().method() === 'PATCH');
    await adminPage.getByRole('button', { name: 'Save' }).click();
    expect((await saved).status()).toBe(200);
    await adminPage.getByTestId('workspace-name').getByText(admin.workspace).waitFor();
    await adminPage.reload();
    await adminPage.getByTestId('workspace-name').getByText(admin.workspace).waitFor();
  });

  it('the role guard keeps a member out of the admin pages', async () => {
    expect(await memberPage.getByRole('link', { name: 'Webhooks', exact: true }).count()).toBe(0);
    await memberPage.goto(`${shell.url}/admin/team`);
    await memberPage.waitForURL('**/forbidden');
    await memberPage.getByRole('heading', { name: 'Admins only' }).waitFor();
  });

  it('keeps the session across a reload and signs out', async () => {
    await memberPage.reload();
    await memberPage.getByRole('heading', { name: 'Admins only' }).waitFor();
    await memberPage.getByTestId('user-menu').click();
    await memberPage.getByTestId('sign-out').click();
    await memberPage.waitForURL('**/sign-in');
    await memberPage.goto(`${shell.url}/dashboard`);
    await memberPage.waitForURL('**/sign-in?returnUrl=%2Fdashboard');
  });

  it('every page: screenshots in light, dark and narrow, and no axe-core violation', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const pages: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
      { name: 'dashboard', path: '/dashboard', ready: (p) => p.getByRole('heading', { name: 'My open tasks' }).waitFor() },
      { name: 'board', path: '/board', ready: (p) => p.locator('tb-task-board').getByText(taskTitle).waitFor() },
      { name: 'list', path: '/list', ready: (p) => p.locator('tb-task-list').getByText(taskTitle).waitFor() },
      { name: 'task', path: `/tasks/${identifier}`, ready: (p) => p.locator('tb-comments').getByText('Looks ready to me').waitFor() },
      { name: 'team', path: '/admin/team', ready: (p) => p.getByRole('cell', { name: teammate.email }).waitFor() },
      { name: 'api-keys', path: '/admin/api-keys', ready: (p) => p.getByText('No API keys yet.').waitFor() },
      { name: 'webhooks', path: '/admin/webhooks', ready: (p) => p.getByTestId('delivery-log').getByText('succeeded').first().waitFor() },
      { name: 'settings', path: '/admin/settings', ready: (p) => p.getByTestId('workspace-name-field').waitFor() },
      { name: 'profile', path: '/profile', ready: (p) => p.getByTestId('profile-name').waitFor() },
    ];
    const signedOut = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const outPage = await signedOut.newPage();
    const shots: string[] = [];
    for (const [page, list] of [
      [outPage, [
        { name: 'sign-in', path: '/sign-in', ready: (p: Page) => p.getByRole('heading', { name: 'Sign in' }).waitFor() },
        { name: 'sign-up', path: '/sign-up', ready: (p: Page) => p.getByRole('heading', { name: 'Create a workspace' }).waitFor() },
      ]],
      [adminPage, pages],
    ] as const) {
      for (const entry of list) {
        for (const mode of ['light', 'dark', 'narrow'] as const) {
          await page.emulateMedia({ colorScheme: mode === 'dark' ? 'dark' : 'light' });
          await page.setViewportSize(mode === 'narrow' ? { width: 390, height: 844 } : { width: 1360, height: 900 });
          await page.goto(`${shell.url}${entry.path}`);
          await entry.ready(page);
          shots.push(await screenshot(page, `${entry.name}-${mode}`));
          if (mode !== 'narrow') {
            const violations = await axeViolations(page);
            if (violations.length) found[`${entry.name} (${mode})`] = violations;
          }
        }
      }
    }
    await signedOut.close();
    writeFileSync(join(ARTIFACTS, 'axe-violations.json'), JSON.stringify(found, null, 2));
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
    expect(found).toEqual({});
  });
});
