import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@taskbase/core-api';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';
import { axeViolations, field } from './pages.js';

const run = randomUUID().slice(0, 8);
const password = 'correct horse battery';
const member = { name: 'Mia Member', email: `mia-${run}@example.test` };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let page: Page;
let ada: TaskbaseClient;
let mia: TaskbaseClient;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  ada = createClient({ url: api.url });
  await ada.auth.signUp({ name: 'Ada Admin', email: `ada-${run}@example.test`, password, workspaceName: `Acme ${run}` });
  await ada.users.create({ ...member, role: 'member', password });
  mia = createClient({ url: api.url });
  await mia.auth.signIn({ email: member.email, password });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  await page.goto(`${api.url}/sign-in`);
  await field(page, 'Email').fill(member.email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

describe('Shell: notifications grouped by task in the toolbar, and the notification settings page', () => {
  it('the toolbar bell shows one row per task, live, and opens the task by its identifier', async () => {
    const me = (await mia.auth.me()).user;
    const task = await ada.tasks.create({ title: 'Prepare the board meeting', assignedTo: me.id });
    await ada.tasks.update(task.id, { status: 'in_progress' });
    await ada.tasks.create({ title: 'Renew the office lease', assignedTo: me.id });
    const bell = page.getByRole('button', { name: 'Notifications, 3 unread' });
    await bell.waitFor(); // pushed over the WebSocket
    await bell.click();
    const rows = page.locator('tb-notification-bell .item');
    await expect.poll(() => rows.count()).toBe(2);
    const row = page.locator(`tb-notification-bell .item[data-task-id="${task.id}"]`);
    expect(await row.locator('.count').textContent()).toContain('2');
    expect(await row.locator('.kinds').textContent()).toBe('Assignments · Status changes');
    await row.locator('.open').click();
    await page.waitForURL(`**/tasks/${task.identifier}`);
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
  });

  it('the account menu leads to the notification settings, which save each switch and keep it across a reload', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('notification-settings-link').click();
    await page.waitForURL('**/settings/notifications');
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    expect(await page.title()).toBe('Notifications · Taskbase');
    const prefs = page.locator('tb-notification-preferences');
    await prefs.locator('table').waitFor();
    // This server has no SMTP: the page says so and email stays off limits.
    expect(await prefs.locator('[part="notice"]').textContent()).toContain('Email is not configured on this server');
    const comments = prefs.getByRole('switch', { name: 'In-app: Comments' });
    expect(await comments.isChecked()).toBe(true);
    await comments.click();
    await expect.poll(() => prefs.locator('[part="status"]').textContent()).toContain('Saved');
    expect((await mia.notifications.getPreferences()).channels.commented.inApp).toBe(false);

    await prefs.getByRole('combobox', { name: 'Timezone' }).click();
    await page.keyboard.type('tokyo');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await mia.notifications.getPreferences()).timezone).toBe('Asia/Tokyo');

    await page.reload();
    await page.locator('tb-notification-preferences table').waitFor();
    expect(await page.locator('tb-notification-preferences').getByRole('switch', { name: 'In-app: Comments' }).isChecked()).toBe(false);
    expect(await page.locator('tb-notification-preferences').getByRole('combobox', { name: 'Timezone' }).inputValue()).toBe('Asia/Tokyo');
    expect(await axeViolations(page)).toEqual([]);
  });
});
