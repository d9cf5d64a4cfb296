import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type Person, type TestEnv } from './support/env.js';
import { axe, mount } from './support/page.js';

const live = (page: Page, tag: string) =>
  page.waitForFunction((t) => (document.querySelector(t) as unknown as { connection: string }).connection === 'open', tag);

/** Counts the page's requests for the grouped list (a live change applied in place makes none). */
function countGroupFetches(page: Page): () => number {
  let count = 0;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && url.pathname === '/api/notifications' && url.searchParams.get('group') === 'task') count++;
  });
  return () => count;
}

/** Records tb-task-open and tb-notification-click details. */
const recordEvents = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { opened: unknown[]; clicked: unknown[] };
    w.opened = [];
    w.clicked = [];
    document.addEventListener('tb-task-open', (e) => w.opened.push((e as CustomEvent).detail));
    document.addEventListener('tb-notification-click', (e) => w.clicked.push((e as CustomEvent).detail.taskId));
  });

describe('tb-notification-bell grouped by task (issue 19)', () => {
  let env: TestEnv;
  let ada: Person;
  let bob: Person;
  beforeAll(async () => {
    env = await testEnv();
    ({ ada, bob } = await env.workspace());
  });

  it('shows one row per task with its count, kinds and newest message; updates a row live in place; marks a task read; archives with undo', async () => {
    const invoice = await ada.client.tasks.create({ title: 'Polish the invoice PDF', assignedTo: bob.id });
    await ada.client.tasks.update(invoice.id, { status: 'in_progress' });
    const offsite = await ada.client.tasks.create({ title: 'Book the team offsite', assignedTo: bob.id });
    const page = await mount(env, bob.token, '<tb-notification-bell></tb-notification-bell>');
    const fetches = countGroupFetches(page);
    await recordEvents(page);
    const bell = page.locator('tb-notification-bell');
    await expect.poll(() => bell.locator('.badge').textContent()).toBe('3');
    await live(page, 'tb-notification-bell');
    await bell.locator('.bell').click();
    const rows = bell.locator('.item');
    await expect.poll(() => rows.count()).toBe(2);
    const invoiceRow = bell.locator(`.item[data-task-id="${invoice.id}"]`);
    expect(await invoiceRow.locator('.title').textContent()).toBe('Polish the invoice PDF');
    expect(await invoiceRow.locator('.ident').textContent()).toBe(invoice.identifier);
    expect((await invoiceRow.locator('.count').textContent())?.trim()).toContain('2');
    expect(await invoiceRow.locator('.kinds').textContent()).toBe('Assignments · Status changes');
    expect(await invoiceRow.locator('.msg').textContent()).toBe('Ada Lovelace moved “Polish the invoice PDF” to In progress');
    expect(await rows.first().getAttribute('data-task-id')).toBe(String(offsite.id));
    expect(await axe(page, 'tb-notification-bell'), 'grouped panel').toEqual([]);

    // A new notification about a task in the list: its row counts it and moves to the top, with no reload of the list.
    const before = fetches();
    await ada.client.tasks.update(invoice.id, { status: 'in_review' });
    await expect.poll(() => invoiceRow.locator('.count').textContent()).toContain('3');
    await expect.poll(() => rows.first().getAttribute('data-task-id')).toBe(String(invoice.id));
    await expect.poll(() => bell.locator('.badge').textContent()).toBe('4');
    expect(fetches()).toBe(before);

    // Mark the task's notifications read: one call, the row and the badge follow.
    await invoiceRow.hover();
    await invoiceRow.locator('[part="mark-read"]').click();
    await expect.poll(() => invoiceRow.getAttribute('class')).not.toContain('unread');
    await expect.poll(() => bell.locator('.badge').textContent()).toBe('1');
    expect((await bob.client.notifications.unreadCount()).unread).toBe(1);

    // Archive a task's row; Undo brings it back; archived again, the server leaves it out.
    const offsiteRow = bell.locator(`.item[data-task-id="${offsite.id}"]`);
    await offsiteRow.hover();
    await offsiteRow.locator('[part="archive"]').click();
    await expect.poll(() => offsiteRow.count()).toBe(0);
    await expect.poll(() => bell.locator('.notice').textContent()).toContain(`Archived ${offsite.identifier}`);
    await expect.poll(() => bell.locator('.badge').count()).toBe(0);
    await bell.locator('.notice button', { hasText: 'Undo' }).click();
    await expect.poll(() => offsiteRow.count()).toBe(1);
    await offsiteRow.hover();
    await offsiteRow.locator('[part="archive"]').click();
    await expect.poll(() => offsiteRow.count()).toBe(0);
    await expect.poll(async () => (await bob.client.notifications.list({ limit: 50 })).data.filter((n) => n.taskId === offsite.id).length).toBe(0);

    // Clicking a row opens its task: tb-task-open with the identifier (and tb-notification-click as before).
    await invoiceRow.locator('.open').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { opened: unknown[] }).opened)).toEqual([{ taskId: invoice.id, identifier: invoice.identifier }]);
    expect(await page.evaluate(() => (window as unknown as { clicked: unknown[] }).clicked)).toEqual([invoice.id]);
    expect(await bell.locator('.panel').count()).toBe(0);
    await page.context().close();
  });

  it('follows another client live: a task read elsewhere, a new task, all read', async () => {
    const first = await ada.client.tasks.create({ title: 'Draft the Q3 roadmap', assignedTo: bob.id });
    const page = await mount(env, bob.token, '<tb-notification-bell></tb-notification-bell>');
    const bell = page.locator('tb-notification-bell');
    await live(page, 'tb-notification-bell');
    await bell.locator('.bell').click();
    const row = bell.locator(`.item[data-task-id="${first.id}"]`);
    await expect.poll(() => row.getAttribute('class')).toContain('unread');
    // Bob's phone (another client) reads that task's notifications.
    await bob.client.notifications.markTaskRead(first.id);
    await expect.poll(() => row.getAttribute('class')).not.toContain('unread');
    // A new task assigned to Bob appears at the top.
    const second = await ada.client.tasks.create({ title: 'Renew the TLS certificates', assignedTo: bob.id });
    await expect.poll(() => bell.locator('.item').first().getAttribute('data-task-id')).toBe(String(second.id));
    await expect.poll(() => bell.locator('.badge').textContent()).not.toBeNull();
    await bob.client.notifications.markAllRead();
    await expect.poll(() => bell.locator('.item.unread').count()).toBe(0);
    await expect.poll(() => bell.locator('.badge').count()).toBe(0);
    await page.context().close();
  });

  it('flattens with group="none" or the panel toggle (kept in localStorage), and is driven by the keyboard', async () => {
    const task = await ada.client.tasks.create({ title: 'Write the changelog', assignedTo: bob.id });
    await ada.client.tasks.update(task.id, { status: 'in_progress' });
    await ada.client.tasks.create({ title: 'Order new laptops', assignedTo: bob.id });
    const page = await mount(env, bob.token, '<tb-notification-bell group="none"></tb-notification-bell>');
    const bell = page.locator('tb-notification-bell');
    await bell.locator('.bell').click();
    const flatCount = (await bob.client.notifications.list({ limit: 30 })).data.length;
    await expect.poll(() => bell.locator('.item').count()).toBe(flatCount);
    expect(await bell.locator('[part="group-toggle"]').getAttribute('aria-pressed')).toBe('false');
    expect(await axe(page, 'tb-notification-bell'), 'flat panel').toEqual([]);

    // The toggle groups, and the choice outlives the element (a new bell, even with group="none", groups).
    await bell.locator('[part="group-toggle"]').click();
    const groups = (await bob.client.notifications.listGroups({ limit: 30 })).data.length;
    await expect.poll(() => bell.locator('.item').count()).toBe(groups);
    expect(groups).toBeLessThan(flatCount);
    expect(await page.evaluate(() => localStorage.getItem('tb-notification-bell:group'))).toBe('task');
    await bell.locator('[part="group-toggle"]').click();
    await expect.poll(() => bell.locator('.item').count()).toBe(flatCount);
    await page.evaluate(() => (document.querySelector('tb-provider')!.innerHTML = '<tb-notification-bell></tb-notification-bell>'));
    await page.locator('tb-notification-bell .bell').click();
    await expect.poll(() => page.locator('tb-notification-bell .item').count()).toBe(flatCount);

    // Keyboard: Down from the bell opens the panel on the first row; Down/End move; Escape closes back to the bell.
    const focused = () => page.evaluate(() => {
      const root = document.querySelector('tb-notification-bell')!.shadowRoot!;
      const el = root.activeElement as HTMLElement | null;
      return el ? (el.classList.contains('bell') ? 'bell' : `row ${[...root.querySelectorAll('.item .open')].indexOf(el)}`) : 'none';
    });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('tb-notification-bell .panel').count()).toBe(0);
    expect(await focused()).toBe('bell');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('row 0');
    await page.keyboard.press('ArrowDown');
    await expect.poll(focused).toBe('row 1');
    await page.keyboard.press('End');
    await expect.poll(focused).toBe(`row ${flatCount - 1}`);
    await page.keyboard.press('Home');
    await expect.poll(focused).toBe('row 0');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('tb-notification-bell .panel').count()).toBe(0);
    expect(await focused()).toBe('bell');
    await page.context().close();
  });

  it('says so when there is nothing, and shows a failure with Retry', async () => {
    const { bob: fresh } = await env.workspace();
    const page = await mount(env, fresh.token, '<tb-notification-bell></tb-notification-bell>');
    const bell = page.locator('tb-notification-bell');
    await bell.locator('.bell').click();
    await expect.poll(() => bell.locator('.empty').textContent()).toContain('You are all caught up');
    const grouped = (url: URL) => url.searchParams.get('group') === 'task';
    await page.route(grouped, (route) => route.fulfill({ status: 500, json: { title: 'Internal error', status: 500 } }));
    await bell.locator('[part="group-toggle"]').click();
    await bell.locator('[part="group-toggle"]').click();
    await expect.poll(() => bell.locator('[role="alert"]').count()).toBe(1);
    await page.unroute(grouped);
    await bell.locator('[role="alert"] button', { hasText: 'Retry' }).click();
    await expect.poll(() => bell.locator('.empty').count()).toBe(1);
    await page.context().close();
  });
});

describe('tb-notification-preferences (issue 19)', () => {
  let env: TestEnv;
  let bob: Person;
  beforeAll(async () => {
    env = await testEnv();
    ({ bob } = await env.workspace());
  });

  /** The page as if the server had email (this test server has no SMTP): the GET's emailAvailable is set to true. */
  const withEmail = (page: Page) =>
    page.route(`${env.api}/api/notifications/preferences`, async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const answer = await route.fetch();
      return route.fulfill({ response: answer, json: { ...(await answer.json()), emailAvailable: true } });
    });
  /** Closes a page whose withEmail route may still be fetching (a reload after a save), without an unhandled "context disposed". */
  const close = async (page: Page) => {
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.context().close();
  };
  const sw = (page: Page, label: string) => page.locator(`tb-notification-preferences input[role="switch"][aria-label="${label}"]`);

  it('loads, saves a switch at once (kept across a reload), the digest and a searched timezone', async () => {
    const page = await mount(env, bob.token, '<tb-notification-preferences></tb-notification-preferences>', { beforeMount: withEmail });
    const el = page.locator('tb-notification-preferences');
    await el.locator('table').waitFor();
    expect(await el.locator('tbody tr').count()).toBe(8);
    const server = await bob.client.notifications.getPreferences();
    expect(await sw(page, 'Email: Comments').isChecked()).toBe(server.channels.commented!.email);
    expect(await sw(page, 'In-app: Assignments').isChecked()).toBe(true);
    expect(await axe(page, 'tb-notification-preferences')).toEqual([]);

    await page.evaluate(() => document.addEventListener('tb-preferences-change', () => ((window as unknown as { saved: number }).saved = ((window as unknown as { saved?: number }).saved ?? 0) + 1)));
    await sw(page, 'In-app: Comments').click();
    await sw(page, 'Email: Comments').click();
    await expect.poll(() => el.locator('[part="status"]').textContent()).toContain('Saved');
    await expect.poll(async () => (await bob.client.notifications.getPreferences()).channels.commented).toEqual({ inApp: false, email: !server.channels.commented!.email });
    // Two quick clicks, one request.
    expect(await page.evaluate(() => (window as unknown as { saved: number }).saved)).toBe(1);

    await el.locator('[part="digest"] label', { hasText: 'Daily' }).click();
    await expect.poll(async () => (await bob.client.notifications.getPreferences()).emailDigest).toBe('daily');
    await expect.poll(() => el.locator('#digest-hint').textContent()).toContain('08:00');

    const tz = el.locator('input[role="combobox"]');
    await tz.click();
    await page.keyboard.type('new york');
    await expect.poll(() => el.locator('[role="option"] span:first-child').allTextContents()).toEqual(['America/New York']);
    expect(await el.locator('[role="option"] .off').textContent()).toMatch(/^UTC-0[45]:00$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await bob.client.notifications.getPreferences()).timezone).toBe('America/New_York');
    expect(await tz.inputValue()).toBe('America/New York');

    await close(page);
    const again = await mount(env, bob.token, '<tb-notification-preferences></tb-notification-preferences>', { beforeMount: withEmail });
    await again.locator('tb-notification-preferences table').waitFor();
    expect(await sw(again, 'In-app: Comments').isChecked()).toBe(false);
    expect(await again.locator('tb-notification-preferences [part="digest"] label.on').textContent()).toContain('Daily');
    expect(await again.locator('tb-notification-preferences input[role="combobox"]').inputValue()).toBe('America/New York');
    await close(again);
  });

  it('puts a switch back and offers Retry when a save fails', async () => {
    const page = await mount(env, bob.token, '<tb-notification-preferences></tb-notification-preferences>');
    const el = page.locator('tb-notification-preferences');
    await el.locator('table').waitFor();
    const before = await sw(page, 'In-app: Due soon').isChecked();
    await page.route(`${env.api}/api/notifications/preferences`, (route) =>
      route.request().method() === 'PUT' ? route.fulfill({ status: 503, json: { title: 'Service unavailable', status: 503 } }) : route.fallback());
    await sw(page, 'In-app: Due soon').click();
    await expect.poll(() => el.locator('[role="alert"]').textContent()).toContain('not saved');
    expect(await sw(page, 'In-app: Due soon').isChecked()).toBe(before);
    await page.unroute(`${env.api}/api/notifications/preferences`);
    await el.locator('[role="alert"] button', { hasText: 'Retry' }).click();
    await expect.poll(() => el.locator('[part="status"]').textContent()).toContain('Saved');
    expect(await sw(page, 'In-app: Due soon').isChecked()).toBe(!before);
    expect((await bob.client.notifications.getPreferences()).channels.due_soon!.inApp).toBe(!before);
    await close(page);
  });

  it('says email is not configured when the server has none: email switches and the digest are off limits', async () => {
    const page = await mount(env, bob.token, '<tb-notification-preferences></tb-notification-preferences>', { colorScheme: 'dark' });
    const el = page.locator('tb-notification-preferences');
    await el.locator('table').waitFor();
    expect((await bob.client.notifications.getPreferences()).emailAvailable).toBe(false);
    expect(await el.locator('[part="notice"]').textContent()).toContain('Email is not configured on this server');
    expect(await sw(page, 'Email: Assignments').isDisabled()).toBe(true);
    expect(await sw(page, 'In-app: Assignments').isDisabled()).toBe(false);
    expect(await el.locator('[part="digest"] input:disabled').count()).toBe(3);
    expect(await axe(page, 'tb-notification-preferences')).toEqual([]);
    await close(page);
  });
});
