import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEnv } from './support/env.js';
import { axe, mount } from './support/page.js';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/widgets/', import.meta.url));

/** Until every widget has shown its data (no "Loading…" state left). */
async function loaded(page: Page, tag: string): Promise<void> {
  await page.waitForFunction((t) => {
    const root = document.querySelector(t)?.shadowRoot;
    return !!root && !root.querySelector('.state[role="status"]') && (root.textContent ?? '').trim().length > 0;
  }, tag);
}

describe('a host page whose stylesheet would lower the widgets\' contrast', () => {
  it('tb-task-board, tb-task-list and tb-project-picker keep WCAG AA contrast and a heading outline under `* { color }`, `h1–h4 { color }` and `button { color; background }`', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const day = 86_400_000;
    const first = await ada.client.tasks.create({ title: 'Design the onboarding flow', priority: 'high', assignedTo: bob.id, dueDate: new Date(Date.now() + 3 * day).toISOString() });
    await ada.client.tasks.create({ title: 'Fix flaky login test', priority: 'urgent', assignedTo: ada.id, dueDate: new Date(Date.now() - 2 * day).toISOString() });
    const review = await ada.client.tasks.create({ title: 'Review billing webhooks', priority: 'low' });
    await ada.client.tasks.update(review.id, { status: 'in_review' });
    await ada.client.tasks.update(first.id, { status: 'in_progress' });

    // The page has an h1, so the board's column headings (heading-level defaults to 2) continue its outline.
    const page = await mount(env, ada.token, '<tb-project-picker></tb-project-picker><tb-task-board filters></tb-task-board><tb-task-list></tb-task-list>', { path: '/test/fixtures/hostile-colors.html' });
    await loaded(page, 'tb-task-board');
    await loaded(page, 'tb-task-list');
    await loaded(page, 'tb-project-picker');
    await page.locator('tb-task-board .card').first().waitFor();
    await page.locator('tb-task-list tbody tr').first().waitFor();

    // The host rule does reach the custom element itself (it outranks :host) …
    expect(await page.locator('tb-task-board').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(208, 208, 208)');
    // … but no text inside takes it.
    const inner = await page.evaluate(() => {
      const colors: string[] = [];
      for (const tag of ['tb-task-board', 'tb-task-list', 'tb-project-picker']) {
        const walk = (root: ParentNode) => {
          for (const el of root.querySelectorAll('*')) {
            if ([...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) colors.push(getComputedStyle(el).color);
            if (el.shadowRoot) walk(el.shadowRoot);
          }
        };
        walk(document.querySelector(tag)!.shadowRoot!);
      }
      return colors;
    });
    expect(inner.length).toBeGreaterThan(10);
    expect(inner).not.toContain('rgb(208, 208, 208)');
    expect(inner).not.toContain('rgb(221, 221, 221)');
    expect(inner).not.toContain('rgb(238, 238, 238)');

    const titles = page.locator('tb-task-board [part="column-title"]');
    expect(await titles.evaluateAll((els) => els.map((el) => `${el.getAttribute('role')} ${el.getAttribute('aria-level')}`))).toEqual(Array(4).fill('heading 2'));

    const inWidgets = await axe(page, 'tb-provider');
    expect(inWidgets.filter((v) => v.id === 'color-contrast' || v.id === 'heading-order'), 'inside the widgets').toEqual([]);
    // The picker's list, open over the board, too.
    await page.locator('tb-project-picker [role="combobox"]').click();
    await page.locator('tb-project-picker [role="option"]').first().waitFor();
    expect(await axe(page, 'tb-project-picker'), 'with the project list open').toEqual([]);
    await page.keyboard.press('Escape');
    // The outline across the whole page (the host's h1, then the columns).
    const whole = await axe(page, 'body');
    expect(whole.filter((v) => v.id === 'heading-order'), 'the page outline').toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('tb-task-board').screenshot({ path: `${ARTIFACTS}task-board-hostile-colors.png`, animations: 'disabled' });

    // heading-level moves the columns (and the task dialog's headings, one below) under a host h2.
    await page.evaluate(() => {
      const h2 = document.createElement('h2');
      h2.textContent = 'Tasks';
      document.querySelector('tb-provider')!.prepend(h2);
      document.querySelector('tb-task-board')!.setAttribute('heading-level', '3');
    });
    await expect.poll(() => titles.first().getAttribute('aria-level')).toBe('3');
    await page.locator('tb-task-board .card-title', { hasText: 'Design the onboarding flow' }).click();
    // Every section heading of the detail (subtasks, linked tasks, activity) is one level below the columns.
    const sections = page.locator('tb-task-board dialog tb-task-detail .section[role="heading"]');
    await expect.poll(() => sections.evaluateAll((headings) => [...new Set(headings.map((h) => h.getAttribute('aria-level')))])).toEqual(['4']);
    expect(await sections.count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('tb-task-board dialog tb-comments .thread-title').getAttribute('aria-level')).toBe('4');
    await page.context().close();
  });
});

describe('a token whose key does not allow the page\'s origin', () => {
  it('says so for certain, naming the page\'s origin and the allowed ones (English and French)', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const { key } = await ada.client.apiKeys.create({ name: 'Elsewhere', allowedOrigins: ['http://some.other.origin'] });
    const { accessToken } = await ada.client.auth.embedToken(key, { externalId: `host-${Date.now()}`, name: 'Host User' });
    // The API allows the 127.0.0.1 test page by CORS_ORIGINS; the same page at localhost is allowed by nothing,
    // so the browser refuses the call as it refuses one from any origin the key does not list.
    const localhost = env.origin.replace('127.0.0.1', 'localhost');
    const page = await mount(env, accessToken, '<tb-task-list></tb-task-list><tb-task-board locale="fr"></tb-task-board>', { origin: localhost });
    const list = page.locator('tb-task-list [role="alert"] span');
    await list.waitFor();
    expect(await list.textContent()).toBe(
      `This page’s origin, ${localhost}, is not allowed for this key. Allowed: http://some.other.origin. (localhost and 127.0.0.1 are different origins.)`,
    );
    const board = page.locator('tb-task-board [role="alert"] span');
    await board.waitFor();
    expect(await board.textContent()).toBe(
      `L’origine de cette page, ${localhost}, n’est pas autorisée pour cette clé. Autorisées : http://some.other.origin. (localhost et 127.0.0.1 sont des origines différentes.)`,
    );
    // The token is never put into the page's text.
    expect(await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('tb-provider *')].map((el) => el.shadowRoot?.textContent ?? '').join(''))).not.toContain(accessToken.split('.')[1]);
    await page.context().close();
  });
});
