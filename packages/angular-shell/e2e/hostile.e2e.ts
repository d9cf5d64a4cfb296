import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@taskbase/core-api';
import { createClient } from '@taskbase/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';
import { field } from './pages.js';

// Each payload, if it ever ran, would set window.__pwned to say which one it was.
const RLO = '\u202E';
const TITLE = `${RLO}<img src=x onerror="window.__pwned='title-img'"><svg onload="window.__pwned='title-svg'"> ok`;
const DESCRIPTION = `<script>window.__pwned='description-script'</script><a href="javascript:window.__pwned='description-href'">open</a> javascript:window.__pwned='text'`;
const COMMENT = `<img src=x onerror="window.__pwned='comment-img'"> see <a href="javascript:window.__pwned='comment-href'">this</a> ${RLO}evil`;

const run = randomUUID().slice(0, 8);
const member = { name: 'Hal Hostile', email: `hal-${run}@example.test`, password: 'correct horse battery' };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let page: Page;
let taskId: number;
const cspViolations: string[] = [];

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  const admin = createClient({ url: api.url });
  await admin.auth.signUp({ name: 'Ada Admin', email: `ada-${run}@example.test`, password: 'correct horse battery', workspaceName: `Hostile ${run}` });
  const { user } = await admin.users.create({ ...member, role: 'member' });
  const task = await admin.tasks.create({ title: TITLE, description: DESCRIPTION, assignedTo: user.id, priority: 'urgent' });
  taskId = task.id;
  await admin.comments.create(task.id, { comment: COMMENT });
  await admin.tasks.update(task.id, { status: 'in_review' });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(`${api.url}/sign-in`);
  await field(page, 'Email').fill(member.email);
  await field(page, 'Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

/**
 * Markup the page could have made out of the hostile text, anywhere (shadow
 * roots included). The page's CSP would also refuse inline handlers: these
 * checks hold the first wall (text stays text) on its own, and a handler the
 * CSP refused would show up as a violation.
 */
async function expectInert(target: Page): Promise<void> {
  const found = await target.evaluate(() => {
    const elements: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        elements.push(element);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return {
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      handlers: elements.filter((element) => [...element.attributes].some((a) => /^on/i.test(a.name))).map((element) => element.outerHTML.slice(0, 120)),
      inlineScripts: elements.filter((element) => element.localName === 'script' && !element.hasAttribute('src')).length,
      hostileImages: elements.filter((element) => element.localName === 'img' && element.getAttribute('src') === 'x').length,
      javascriptLinks: elements
        .filter((element) => ['href', 'src', 'xlink:href', 'action', 'formaction'].some((name) => /^\s*javascript:/i.test(element.getAttribute(name) ?? '')))
        .map((element) => element.outerHTML.slice(0, 120)),
    };
  });
  expect(found).toEqual({ pwned: undefined, handlers: [], inlineScripts: 0, hostileImages: 0, javascriptLinks: [] });
  expect(cspViolations).toEqual([]);
}

describe('Shell: hostile titles, descriptions and comments render as text (production build, real core-api)', () => {
  it('the dashboard lists the hostile title as text', async () => {
    await page.getByText(TITLE, { exact: true }).first().waitFor();
    await expectInert(page);
  });

  it('the board shows the hostile title as text', async () => {
    await page.goto(`${api.url}/board`);
    await expect.poll(() => page.locator('tb-task-board .card-title').allTextContents()).toEqual([TITLE]);
    await expectInert(page);
  });

  it('the task page shows the hostile title, description and comment as text', async () => {
    await page.goto(`${api.url}/tasks/${taskId}`);
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe(TITLE);
    expect(await page.locator('tb-task-detail textarea[name="description"]').inputValue()).toBe(DESCRIPTION);
    // Comments are Markdown: the server's sanitized HTML keeps the words and drops the image and the javascript: link.
    await expect.poll(async () => (await page.locator('tb-comments .text').allTextContents()).map((text) => text.trim())).toEqual([`see this ${RLO}evil`]);
    await expectInert(page);
  });

  it('the notifications (the bell in the toolbar) word the hostile title as text', async () => {
    await page.locator('tb-notification-bell .bell').click();
    // Grouped by task: the hostile title is the row's title, the newest message under it; flattened, every message.
    await expect.poll(() => page.locator('tb-notification-bell .item .title').allTextContents()).toEqual(expect.arrayContaining([TITLE]));
    expect(await page.locator('tb-notification-bell .item .msg').allTextContents()).toEqual(expect.arrayContaining([`Ada Admin moved “${TITLE}” to In review`]));
    await page.locator('tb-notification-bell [part="group-toggle"]').click();
    await expect.poll(() => page.locator('tb-notification-bell .item .msg').allTextContents()).toEqual(
      expect.arrayContaining([`Ada Admin assigned you "${TITLE}"`, `Ada Admin moved “${TITLE}” to In review`]),
    );
    await expectInert(page);
  });
});
