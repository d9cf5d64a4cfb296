import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';

describe('tb-task-list, tb-comments, tb-analytics', () => {
  it('tb-task-list filters, sorts, loads more on scroll and emits tb-task-select', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    await ada.client.tasks.bulk({ items: Array.from({ length: 30 }, (_, i) => ({ title: `Row ${String(i).padStart(2, '0')}`, priority: i % 2 ? 'high' : 'low' })) });
    // A scroller shorter than ten rows, so the first page cannot already show the sentinel
    // (which would rightly load the next page before the assertion below).
    const page = await mount(env, ada.token, '<tb-task-list page-size="10" style="--tb-list-max-height: 200px"></tb-task-list>');
    const rows = page.locator('tb-task-list tbody tr');
    await expect.poll(() => rows.count()).toBe(10);
    await rows.last().scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    await page.locator('tb-task-list .scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('tb-task-list .scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(async () => { await page.locator('tb-task-list .scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight)); return rows.count(); }).toBe(30);
    await page.locator('tb-task-list select').nth(1).selectOption('high');
    await expect.poll(() => rows.count()).toBe(15);
    await page.locator('tb-task-list th button', { hasText: 'Priority' }).click();
    await page.evaluate(() => document.addEventListener('tb-task-select', (e) => ((window as unknown as { picked: string }).picked = (e as CustomEvent).detail.task.title)));
    await rows.first().click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { picked?: string }).picked)).toMatch(/^Row /);
    expect(await rows.first().getAttribute('aria-selected')).toBe('true');
    await page.context().close();
  });

  it('tb-comments shows the thread, posts with @mention completion, edits and deletes own', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Discuss', assignedTo: bob.id });
    await bob.client.comments.create(task.id, { comment: 'Bob was here' });
    const page = await mount(env, ada.token, `<tb-comments task-id="${task.id}"></tb-comments>`);
    const comments = page.locator('tb-comments .comment');
    await expect.poll(() => comments.count()).toBe(1);
    expect(await comments.first().locator('strong').textContent()).toBe('Bob Builder');
    const box = page.locator('tb-comments #composer');
    await box.click();
    await page.keyboard.type('Thanks @bo');
    await expect.poll(async () => (await page.locator('tb-comments .suggestions [role="option"]').allTextContents()).map((s) => s.trim())).toEqual(['BBBob Builder']);
    await page.keyboard.press('Enter');
    await page.keyboard.type('see above');
    expect(await box.inputValue()).toBe('Thanks @Bob Builder see above');
    await page.locator('tb-comments .composer button.primary').click();
    await expect.poll(() => comments.count()).toBe(2);
    const stored = (await ada.client.comments.list(task.id)).data.at(-1)!;
    expect(stored.mentions).toEqual([bob.id]);
    // Bob's comment offers no edit to Ada (a member's own only), hers does.
    const mine = comments.nth(1);
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.locator('textarea').fill('Edited text');
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await ada.client.comments.list(task.id)).data.at(-1)!.comment).toBe('Edited text');
    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await ada.client.comments.list(task.id)).data.length).toBe(1);
    // Live: Bob comments again through the API.
    await bob.client.comments.create(task.id, { comment: 'Live from Bob' });
    await expect.poll(() => comments.count()).toBe(2);
    await page.context().close();
  });

  it('tb-analytics draws labelled SVG charts with table alternatives from the summary', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await ada.client.tasks.create({ title: 'One', priority: 'urgent', assignedTo: bob.id });
    const done = await ada.client.tasks.create({ title: 'Two', priority: 'low' });
    await ada.client.tasks.update(done.id, { status: 'done' });
    const page = await mount(env, ada.token, '<tb-analytics></tb-analytics>');
    const charts = page.locator('tb-analytics svg[role="img"]');
    await expect.poll(() => charts.count()).toBe(4);
    expect(await charts.first().getAttribute('aria-label')).toContain('To do 1');
    expect(await charts.first().getAttribute('aria-label')).toContain('Done 1');
    expect(await page.locator('tb-analytics table.sr-only').count()).toBe(4);
    expect(await charts.nth(3).getAttribute('aria-label')).toContain('Bob Builder');
    // Live: a new task changes the figures.
    await ada.client.tasks.create({ title: 'Three' });
    await expect.poll(() => charts.first().getAttribute('aria-label')).toContain('To do 2');
    await page.context().close();
  });

  it('tb-analytics: whole-number axis ticks without repeats, and four distinct priority colours', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    // One task created today: the busiest day counts 1, where the old ticks read "1, 1, 0".
    await ada.client.tasks.create({ title: 'Only one', priority: 'high' });
    const page = await mount(env, ada.token, '<tb-analytics></tb-analytics>');
    const trend = page.locator('tb-analytics svg[role="img"]').nth(2);
    await trend.waitFor();
    const yLabels = await trend.locator('text.axis[x="0"]').allTextContents();
    expect(yLabels).toEqual(['0', '1']);
    const fills = await page.locator('tb-analytics svg[role="img"]').nth(1).locator('rect').evaluateAll((rects) => rects.map((r) => getComputedStyle(r).fill));
    expect(fills).toHaveLength(4);
    expect(new Set(fills).size).toBe(4);
    await page.context().close();
  });

  it('names the likely cause when the page\'s origin is not allowed (localhost versus 127.0.0.1), not just "Failed to fetch"', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    // The API allows only the 127.0.0.1 origin; the same page opened at localhost is refused by CORS.
    const localhost = env.origin.replace('127.0.0.1', 'localhost');
    const page = await mount(env, ada.token, '<tb-task-list></tb-task-list>', { origin: localhost });
    const alert = page.locator('tb-task-list [role="alert"]');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain(`this page’s origin, ${localhost}, is not allowed`);
    expect(text).toContain('localhost and 127.0.0.1 are different origins');
    expect(text).toContain('Otherwise the server is down or unreachable');
    await page.context().close();
  });
});
