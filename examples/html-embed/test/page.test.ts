import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@taskbase/sdk';
import { createStaticServer } from '../src/serve.js';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let site: Server;
let siteOrigin: string;
let taskbase: Awaited<ReturnType<typeof startTaskbase>>;
let browser: Browser;

beforeAll(async () => {
  site = createStaticServer().listen(0, '127.0.0.1');
  await once(site, 'listening');
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // The page is on another origin than the API, so the API must allow it.
  [taskbase, browser] = await Promise.all([
    startTaskbase({ CORS_ORIGINS: siteOrigin }),
    chromium.launch({ executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  site?.closeAllConnections();
  site?.close();
  await taskbase?.stop();
});

describe('index.html with the self-contained widgets file', () => {
  it('shows live tasks on the board, the unread count on the bell and a chosen task in the detail, themed', async () => {
    const { client: admin } = await newWorkspace(taskbase.url);
    const { user, temporaryPassword } = await admin.users.create({ name: 'Maya Member', email: `maya-${Date.now()}@example.test`, role: 'member' });
    const maya = createClient({ url: taskbase.url });
    const session = await maya.auth.signIn({ email: user.email!, password: temporaryPassword! });
    await admin.tasks.create({ title: 'Water the plants', assignedTo: user.id });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${siteOrigin}/#url=${encodeURIComponent(taskbase.url)}&token=${session.accessToken}`);

    await page.locator('tb-task-board').getByText('Water the plants').waitFor();
    await page.locator('tb-notification-bell [part="badge"]').getByText('1', { exact: true }).waitFor();

    // Live: a change made elsewhere appears without a reload.
    await admin.tasks.create({ title: 'Order more coffee', assignedTo: user.id, priority: 'urgent' });
    await page.locator('tb-task-board').getByText('Order more coffee').waitFor();
    await page.locator('tb-notification-bell [part="badge"]').getByText('2', { exact: true }).waitFor();

    // The page's tb-task-open listener puts the card in the detail panel.
    await page.locator('tb-task-board').getByText('Order more coffee').click();
    const title = page.locator('tb-task-detail [part="title"]');
    await title.waitFor();
    await expect.poll(() => title.inputValue()).toBe('Order more coffee');
    expect(await page.locator('tb-task-board dialog[open]').count()).toBe(0);

    // Themed through --tb-* variables set on the provider.
    const primary = await page.locator('tb-task-board').evaluate((board) => getComputedStyle(board).getPropertyValue('--tb-color-primary').trim());
    expect(primary).toBe('#0f766e');
    expect(errors).toEqual([]);
  });
});
