import type { RunningServer } from '@taskbase/core-api';
import { createClient } from '@taskbase/sdk';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';

// Layout defects of issue 22, measured in the browser on the demo workspace (admin@demo.taskbase.dev).
const DEMO = { email: 'admin@demo.taskbase.dev', password: 'taskbase-demo' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi({ seedDemo: true }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('Email').first().fill(DEMO.email);
  await page.getByLabel('Password').first().fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
  return page;
}

/** Whether an element shows all of its text: nothing clipped by its own box. */
function fullyShown(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
}

/** The number of lines a text element's text takes. */
function lines(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });
}

/** Whether two elements' boxes overlap. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [(await a.boundingBox())!, (await b.boundingBox())!];
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

describe('Layout on desktop and phone (production build, demo data)', () => {
  for (const viewport of [DESKTOP, PHONE]) {
    it(`API-key dialog at ${viewport.width}px: hints do not overlap the next field and the origins label is whole`, async () => {
      const page = await signedIn(viewport);
      await page.goto(`${api.url}/admin/api-keys`);
      await page.getByRole('button', { name: 'Create key' }).first().click();
      const dialog = page.getByRole('dialog');
      const fields = dialog.locator('mat-form-field');
      await fields.nth(2).waitFor();
      for (let i = 0; i < 2; i++) {
        const hint = fields.nth(i).locator('mat-hint');
        const nextLabel = fields.nth(i + 1).locator('mat-label');
        expect(await overlap(hint, nextLabel), `hint ${i} against the next label`).toBe(false);
      }
      const originsLabel = fields.nth(1).locator('label');
      expect(await fullyShown(originsLabel)).toBe(true);
    });

    it(`invite dialog at ${viewport.width}px: the role hint is whole`, async () => {
      const page = await signedIn(viewport);
      await page.goto(`${api.url}/admin/team`);
      await page.getByRole('button', { name: 'Invite' }).click();
      const hint = page.getByRole('dialog').getByText('Admins manage people, API keys and webhooks.');
      await hint.waitFor();
      expect(await fullyShown(hint)).toBe(true);
      const actions = page.getByRole('dialog').locator('mat-dialog-actions');
      expect(await overlap(hint, actions)).toBe(false);
    });
  }

  it('the drawer on a phone highlights only the current page', async () => {
    const page = await signedIn(PHONE);
    await page.goto(`${api.url}/board`);
    await page.getByRole('button', { name: 'Open navigation' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Board', exact: true }).waitFor();
    // Once open, the drawer focuses the current page's link (it used to focus its first link, highlighting "Dashboard" too).
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('mat-sidenav'))).toBe(true);
    const highlighted = await nav.locator('a[mat-list-item]').evaluateAll((links) =>
      links
        .filter((a) => a.getAttribute('aria-current') === 'page' || a === document.activeElement)
        .map((a) => a.querySelector('[matListItemTitle]')?.textContent?.trim()),
    );
    expect(highlighted).toEqual(['Board']);
  });

  it('webhook event names stay whole in the endpoints table on a phone', async () => {
    const admin = createClient({ url: api.url });
    await admin.auth.signIn(DEMO);
    await admin.webhooks.create({ url: 'http://127.0.0.1:9/hooks', eventTypes: ['task.status_changed', 'comment.created', 'task.assigned'] });
    const page = await signedIn(PHONE);
    await page.goto(`${api.url}/admin/webhooks`);
    const names = page.locator('td .event-name');
    await names.first().waitFor();
    for (const name of await names.all()) expect(await lines(name), await name.textContent() ?? '').toBe(1);
  });

  it('/demo fits a 390px phone: no page-wide horizontal scroll, the board scrolls inside its card', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${api.url}/demo`);
    await page.locator('tb-task-board .card').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });

  it('the demo workspace reads like a real team\'s month: varied priorities and days, some overdue, @mentions, distinct initials', async () => {
    const admin = createClient({ url: api.url });
    await admin.auth.signIn(DEMO);
    const { counts } = await admin.analytics.counts();
    const byPriority = Object.values(counts.byPriority);
    expect(byPriority.every((n) => n > 0)).toBe(true);
    expect(new Set(byPriority).size).toBeGreaterThan(2); // not "15 of each"
    expect(new Set(Object.values(counts.byStatus)).size).toBeGreaterThan(2);
    expect(counts.overdue).toBeGreaterThanOrEqual(3);

    const tasks = [];
    for await (const task of admin.tasks.iterate({ sort: 'createdAt' })) tasks.push(task);
    const perDay = new Map<string, number>();
    for (const task of tasks) perDay.set(task.createdAt.slice(0, 10), (perDay.get(task.createdAt.slice(0, 10)) ?? 0) + 1);
    expect(perDay.size).toBeGreaterThanOrEqual(15); // spread over the month…
    expect(Math.max(...perDay.values())).toBeGreaterThan(1); // …but not one a day like a timer

    const mentions = (await admin.notifications.list({ limit: 100 })).data.filter((n) => n.type === 'comment.mention');
    expect(mentions.length).toBeGreaterThan(0);
    const { data: people } = await admin.users.list({ limit: 100 });
    const initials = people.map((p) => p.name.split(' ').map((part) => part[0]).join(''));
    expect(new Set(initials).size).toBe(people.length);
  });
});

describe('The sign-in page in development, where the demo workspace exists (issue 22 item 10)', () => {
  for (const viewport of [DESKTOP, PHONE]) {
    it(`offers the demo sign-ins, and one click signs in (${viewport.width}px)`, async () => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${api.url}/sign-in`);
      const demo = page.getByRole('region', { name: 'Try the demo workspace' });
      await demo.waitFor();
      await expect(demo.textContent()).resolves.toContain(DEMO.password);
      expect(await demo.getByRole('button').count()).toBe(3); // one per role
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await demo.getByRole('button', { name: /\(admin\)/ }).click();
      await page.waitForURL('**/dashboard');
    });
  }
});
