import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Task } from '@taskbase/sdk';
import type {} from '@taskbase/widgets'; // the tb-* event types
import { createHostApp } from '../src/server.js';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let taskbase: Awaited<ReturnType<typeof startTaskbase>>;
let browser: Browser;
const hosts: Server[] = [];

beforeAll(async () => {
  [taskbase, browser] = await Promise.all([startTaskbase(), chromium.launch({ executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })]);
});
afterAll(async () => {
  await browser?.close();
  for (const host of hosts) {
    host.closeAllConnections();
    host.close();
  }
  await taskbase?.stop();
});

/** A free port on 127.0.0.1, so the API key can name the host's origin before the host starts. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startHost(apiKey: string, port: number): Promise<void> {
  const host = createHostApp({ taskbaseUrl: taskbase.url, apiKey });
  hosts.push(host);
  host.listen(port, '127.0.0.1');
  await once(host, 'listening');
}

describe('host app embedding the widgets as its own users', () => {
  it('signs a host user in, acts as them in Taskbase, and never shows the API key to the browser', async () => {
    const { client: admin } = await newWorkspace(taskbase.url);
    const port = await freePort();
    const hostOrigin = `http://127.0.0.1:${port}`;
    // Tokens this key mints work only from the host's origin.
    const { key } = await admin.apiKeys.create({ name: 'Host App', allowedOrigins: [hostOrigin] });
    await startHost(key, port);

    // No host session, no Taskbase token.
    expect((await fetch(`${hostOrigin}/taskbase-token`)).status).toBe(401);

    const page = await browser.newPage();
    const seen: string[] = [];
    page.on('request', (request) => seen.push(request.url(), JSON.stringify(request.headers()), request.postData() ?? ''));
    page.on('response', async (response) => {
      if (response.status() < 300 || response.status() >= 400) seen.push(await response.text().catch(() => ''));
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(hostOrigin);
    await page.getByLabel('Username').fill('alan');
    await page.getByLabel('Password').fill('alan-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Alan Turing').waitFor();

    // Create a task from the board, and hear the widget say so.
    const changed = page.evaluate(
      () => new Promise<Task>((resolve) => document.addEventListener('tb-task-change', (event) => resolve(event.detail.task), { once: true })),
    );
    await page.getByRole('button', { name: 'Add task' }).first().click();
    await page.getByLabel('Task title').fill('Book the meeting room');
    await page.getByLabel('Task title').press('Enter');
    const task = await changed;
    await page.getByText('Book the meeting room').first().waitFor();

    // Taskbase has it, created by the embedded user that stands for the host's Alan.
    const stored = await admin.tasks.get(task.id);
    expect(stored.title).toBe('Book the meeting room');
    expect(await admin.users.get(stored.createdBy)).toMatchObject({ externalId: 'host-user-2', name: 'Alan Turing', email: 'alan@host.example', role: 'member' });

    // Nothing the browser sent or received carries the key.
    seen.push(await page.content());
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((text) => text.includes(key))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('gives each deal its own project, created on first use, and a board whose token sees only that project', async () => {
    const { client: admin } = await newWorkspace(taskbase.url);
    const port = await freePort();
    const hostOrigin = `http://127.0.0.1:${port}`;
    // manager: the backend's own identity creates the projects.
    const { key } = await admin.apiKeys.create({ name: 'Host App', allowedOrigins: [hostOrigin], maxRole: 'manager' });
    await startHost(key, port);
    const elsewhere = await admin.tasks.create({ title: 'A task of the General project' });

    // No project for the deal until someone opens it.
    await expect(admin.projects.get('ext:deal-42')).rejects.toMatchObject({ status: 404 });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(hostOrigin);
    await page.getByLabel('Username').fill('alan');
    await page.getByLabel('Password').fill('alan-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Acme Corp renewal' }).click();
    await page.getByRole('heading', { name: 'Acme Corp renewal' }).waitFor();

    const project = await admin.projects.get('ext:deal-42');
    expect(project).toMatchObject({ externalId: 'deal-42', name: 'Acme Corp renewal', key: 'ACR', isDefault: false });

    // A task added on the deal's board lands in the deal's project.
    const changed = page.evaluate(
      () => new Promise<Task>((resolve) => document.addEventListener('tb-task-change', (event) => resolve(event.detail.task), { once: true })),
    );
    await page.getByRole('button', { name: 'Add task' }).first().click();
    await page.getByLabel('Task title').fill('Send the renewal contract');
    await page.getByLabel('Task title').press('Enter');
    const task = await changed;
    expect(await admin.tasks.get(task.id)).toMatchObject({ projectId: project.id, identifier: 'ACR-1' });
    expect(await page.getByText(elsewhere.title).count()).toBe(0);

    // Opening the deal again creates nothing: the upsert is idempotent.
    await page.reload();
    await page.getByText('Send the renewal contract').first().waitFor();
    const mirrors = [];
    for await (const each of admin.projects.iterate()) if (each.externalId === 'deal-42') mirrors.push(each);
    expect(mirrors).toHaveLength(1);

    // The deal page's token is narrowed to the deal's project: other tasks answer 404.
    const cookies = await page.context().cookies(hostOrigin);
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const token = await (await fetch(`${hostOrigin}/deals/deal-42/taskbase-token`, { headers: { cookie } })).text();
    const scoped = createClient({ url: taskbase.url, token });
    expect((await scoped.tasks.list()).data.map((t) => t.id)).toEqual([task.id]);
    await expect(scoped.tasks.get(elsewhere.id)).rejects.toMatchObject({ status: 404 });
    await expect(scoped.tasks.get('ACR-1')).resolves.toMatchObject({ id: task.id });

    // Another deal, another project, another board.
    await page.goto(`${hostOrigin}/deals/deal-7`);
    await page.getByRole('heading', { name: 'Globex pilot' }).waitFor();
    expect(await admin.projects.get('ext:deal-7')).toMatchObject({ name: 'Globex pilot' });
    await page.getByRole('button', { name: 'Add task' }).first().waitFor();
    expect(await page.getByText('Send the renewal contract').count()).toBe(0);

    // Without a host session, no token; an unknown deal is not found.
    expect((await fetch(`${hostOrigin}/deals/deal-42/taskbase-token`)).status).toBe(401);
    expect((await fetch(`${hostOrigin}/deals/deal-999/taskbase-token`, { headers: { cookie } })).status).toBe(404);
    expect(errors).toEqual([]);
  });
});
