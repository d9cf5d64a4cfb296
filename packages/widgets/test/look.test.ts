import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEnv, type Person } from './support/env.js';
import { axe, mount } from './support/page.js';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/widgets/', import.meta.url));

/** A small, realistic workspace for the screenshots. */
async function seed(ada: Person, bob: Person): Promise<number> {
  const day = 86_400_000;
  const items = [
    ['Design the onboarding flow', 'todo', 'high', bob.id, 3],
    ['Write release notes', 'todo', 'medium', null, 9],
    ['Fix flaky login test', 'todo', 'urgent', ada.id, -2],
    ['Build CSV export', 'in_progress', 'medium', bob.id, 5],
    ['Dark mode polish', 'in_progress', 'low', ada.id, null],
    ['Review billing webhooks', 'in_review', 'high', ada.id, 1],
    ['Ship SSO sign-in', 'done', 'urgent', bob.id, -5],
    ['Measure search latency', 'done', 'low', null, null],
  ] as const;
  let first = 0;
  for (const [title, status, priority, assignedTo, due] of items) {
    const task = await ada.client.tasks.create({ title, priority, assignedTo, description: 'Keep the scope small and ship it behind a flag.', dueDate: due === null ? null : new Date(Date.now() + due * day).toISOString() });
    if (status !== 'todo') await ada.client.tasks.update(task.id, { status });
    first ||= task.id;
  }
  await bob.client.comments.create(first, { comment: 'I can pick this up after the current sprint, @Ada Lovelace.' });
  await ada.client.comments.create(first, { comment: 'Great, thanks! Added a first draft of the copy.' });
  await ada.client.tasks.update(first + 1, { assignedTo: bob.id });
  return first;
}

const ELEMENTS = (taskId: number) => ({
  'task-board': '<tb-task-board filters></tb-task-board>',
  'task-list': '<tb-task-list></tb-task-list>',
  'task-detail': `<tb-task-detail task-id="${taskId}"></tb-task-detail>`,
  comments: `<tb-comments task-id="${taskId}"></tb-comments>`,
  'notification-bell': '<div style="display:flex;justify-content:flex-end;align-items:flex-start;min-height:400px;padding:4px 8px"><tb-notification-bell></tb-notification-bell></div>',
  analytics: '<tb-analytics></tb-analytics>',
});

async function ready(page: Page, name: string): Promise<void> {
  const tag = `tb-${name}`;
  await page.waitForFunction((t) => {
    const root = document.querySelector(t)?.shadowRoot;
    return !!root && !root.querySelector('.state[role="status"]') && (root.textContent ?? '').trim().length > 0;
  }, tag);
  if (name === 'notification-bell') {
    await page.locator('tb-notification-bell .bell').click();
    await page.locator('tb-notification-bell .item').first().waitFor();
  }
}

describe('looks, accessibility, theming and strings', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  let people: { ada: Person; bob: Person };
  let taskId = 0;
  beforeAll(async () => {
    env = await testEnv();
    people = await env.workspace();
    taskId = await seed(people.ada, people.bob);
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`every element has no axe violations and is screenshotted in ${scheme}`, async () => {
      for (const [name, html] of Object.entries(ELEMENTS(taskId))) {
        const token = name === 'notification-bell' ? people.bob.token : people.ada.token;
        const page = await mount(env, token, html, { colorScheme: scheme, width: name === 'comments' || name === 'task-detail' ? 760 : 1280 });
        await ready(page, name);
        const violations = await axe(page, `tb-${name}`);
        expect(violations, `${name} (${scheme})`).toEqual([]);
        const target = name === 'notification-bell' ? page.locator('tb-provider > div') : page.locator(`tb-${name}`);
        await target.screenshot({ path: `${ARTIFACTS}${name}-${scheme}.png`, animations: 'disabled' });
        await page.context().close();
      }
      // Six pages in turn: near 30 s on a busy 2-core machine.
    }, 90_000);
  }

  it('a --tb-* variable set by the host changes the computed style inside, and theme="dark" forces dark', async () => {
    const page = await mount(env, people.ada.token, '<tb-task-board></tb-task-board>');
    await page.locator('tb-task-board .card').first().waitFor();
    const bg = () => page.locator('tb-task-board .btn.add').first().evaluate((el) => getComputedStyle(el).color);
    const before = await bg();
    await page.addStyleTag({ content: 'tb-task-board { --tb-color-muted: rgb(255, 0, 0); --tb-radius: 0px; }' });
    expect(await bg()).toBe('rgb(255, 0, 0)');
    expect(before).not.toBe('rgb(255, 0, 0)');
    const cardBg = () => page.locator('tb-task-board .card').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await cardBg()).toBe('rgb(255, 255, 255)');
    await page.evaluate(() => document.querySelector('tb-provider')!.setAttribute('theme', 'dark'));
    await expect.poll(cardBg).toBe('rgb(42, 46, 56)');
    await page.context().close();
  });

  it('switching the locale changes the strings; a strings override wins', async () => {
    const page = await mount(env, people.ada.token, '<tb-task-board></tb-task-board>');
    const heading = page.locator('tb-task-board #col-todo');
    await expect.poll(() => heading.textContent()).toBe('To do');
    await page.evaluate(() => (window as unknown as { TaskbaseWidgets?: unknown }).TaskbaseWidgets);
    await page.evaluate(async () => {
      const board = document.querySelector('tb-task-board')!;
      board.setAttribute('locale', 'fr');
    });
    await expect.poll(() => heading.textContent()).toBe('À faire');
    await page.evaluate(() => {
      const board = document.querySelector('tb-task-board') as unknown as { strings: Record<string, string> };
      board.strings = { 'status.todo': 'Backlog' };
    });
    await expect.poll(() => heading.textContent()).toBe('Backlog');
    await page.context().close();
  });

  it('aggressive host styles neither break a widget nor are changed by one', async () => {
    const page = await mount(env, people.ada.token, '<tb-task-board></tb-task-board>');
    await page.locator('tb-task-board .card').first().waitFor();
    const inner = await page.locator('tb-task-board .btn.add').first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { bg: s.backgroundColor, font: s.fontFamily, transform: s.textTransform, border: s.borderTopStyle };
    });
    expect(inner.bg).not.toBe('rgb(255, 105, 180)');
    expect(inner.font).not.toContain('Comic Sans');
    expect(inner.transform).toBe('none');
    expect(inner.border).not.toBe('dotted');
    const host = await page.locator('#host-button').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(host).toBe('rgb(255, 105, 180)');
    await page.context().close();
  });
});
