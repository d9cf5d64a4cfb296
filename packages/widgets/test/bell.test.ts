import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';

describe('tb-notification-bell', () => {
  it('counts a new assignment live, lists it, emits tb-notification-click and marks all read', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const first = await ada.client.tasks.create({ title: 'Old news', assignedTo: bob.id });
    const page = await mount(env, bob.token, '<tb-notification-bell></tb-notification-bell>');
    const badge = page.locator('tb-notification-bell .badge');
    await expect.poll(() => badge.textContent()).toBe('1');
    await page.waitForFunction(() => (document.querySelector('tb-notification-bell') as unknown as { connection: string }).connection === 'open');
    const second = await ada.client.tasks.create({ title: 'Fresh assignment' });
    await ada.client.tasks.update(second.id, { assignedTo: bob.id });
    await expect.poll(() => badge.textContent(), { timeout: 2000 }).toBe('2');

    await page.evaluate(() => document.addEventListener('tb-notification-click', (e) => ((window as unknown as { clicked: unknown }).clicked = (e as CustomEvent).detail.taskId)));
    await page.locator('tb-notification-bell .bell').click();
    const items = page.locator('tb-notification-bell .item');
    await expect.poll(() => items.count()).toBe(2);
    await items.filter({ hasText: 'Old news' }).locator('.open').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { clicked?: number }).clicked)).toBe(first.id);
    await expect.poll(() => badge.textContent()).toBe('1');
    await page.locator('tb-notification-bell .bell').click();
    await page.locator('tb-notification-bell [part="mark-all"]').click();
    await expect.poll(() => badge.count()).toBe(0);
    await expect.poll(async () => (await bob.client.notifications.unreadCount()).unread).toBe(0);
    await page.context().close();
  });

  it('opens its panel inside the viewport wherever the bell sits (left edge, right edge, a phone)', async () => {
    const env = await testEnv();
    const { bob } = await env.workspace();
    for (const [width, align] of [[1280, 'left'], [1280, 'right'], [390, 'left'], [390, 'center']] as const) {
      const page = await mount(env, bob.token, `<div style="text-align:${align}"><tb-notification-bell></tb-notification-bell></div>`, { width });
      await page.locator('tb-notification-bell .bell').click();
      const panel = page.locator('tb-notification-bell .panel');
      await panel.waitFor();
      const box = (await panel.boundingBox())!;
      expect(box.x, `${align} at ${width}px`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${align} at ${width}px`).toBeLessThanOrEqual(width);
      await page.context().close();
    }
  });

  it('words a status change with the status label, not the API key ("In progress")', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Polish the invoice PDF', assignedTo: bob.id });
    await ada.client.tasks.update(task.id, { status: 'in_progress' });
    const page = await mount(env, bob.token, '<tb-notification-bell></tb-notification-bell>');
    await page.locator('tb-notification-bell .bell').click();
    const item = page.locator('tb-notification-bell .item', { hasText: 'moved' });
    await expect.poll(() => item.locator('.msg').textContent()).toBe('Ada Lovelace moved “Polish the invoice PDF” to In progress');
    await page.context().close();
  });
});
