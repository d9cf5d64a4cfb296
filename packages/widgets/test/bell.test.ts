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
});
