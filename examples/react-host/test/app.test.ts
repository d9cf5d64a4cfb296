import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
// What `vite build` wrote (the test script builds first).
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let site: Server;
let siteOrigin: string;
let taskbase: Awaited<ReturnType<typeof startTaskbase>>;
let browser: Browser;

beforeAll(async () => {
  site = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? 'index.html' : path);
    const body = await readFile(file).catch(() => undefined);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  }).listen(0, '127.0.0.1');
  await once(site, 'listening');
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
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

describe('the built React app', () => {
  it('passes properties to the widgets and reacts to their events, with live data', async () => {
    const { client: admin, email, password } = await newWorkspace(taskbase.url);
    const session = await admin.auth.signIn({ email, password });
    await admin.tasks.create({ title: 'Prepare the demo', priority: 'high' });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${siteOrigin}/#url=${encodeURIComponent(taskbase.url)}&token=${session.accessToken}`);

    // tokenProvider (a function) reached the provider: the board loads live data.
    const board = page.locator('tb-task-board');
    await board.getByText('Prepare the demo').waitFor();
    await admin.tasks.create({ title: 'Made elsewhere' });
    await board.getByText('Made elsewhere').waitFor();

    // onTbTaskSelect → React state → <TbTaskDetail taskId>.
    await board.getByText('Prepare the demo').click();
    const title = page.locator('tb-task-detail [part="title"]');
    await title.waitFor();
    await expect.poll(() => title.inputValue()).toBe('Prepare the demo');

    // `strings` (an object) renamed the board's button; onTbTaskChange feeds React's list.
    await board.getByRole('button', { name: 'New card' }).first().click();
    await board.getByLabel('Card title').fill('Made in React');
    await board.getByLabel('Card title').press('Enter');
    await page.getByRole('list', { name: 'Changes made here' }).getByText('create: Made in React').waitFor();
    expect((await admin.tasks.list({ q: 'Made in React' })).data).toHaveLength(1);

    const primary = await board.evaluate((element) => getComputedStyle(element).getPropertyValue('--tb-color-primary').trim());
    expect(primary).toBe('#9333ea');
    expect(errors).toEqual([]);
  });
});
