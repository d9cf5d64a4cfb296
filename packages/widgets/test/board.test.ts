import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { columnTitles, mount } from './support/page.js';

describe('tb-task-board', () => {
  it('renders real tasks in status columns with priority, assignee and overdue due dates', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await ada.client.tasks.create({ title: 'Write the launch post', status: 'todo', priority: 'high', assignedTo: bob.id, dueDate: '2020-01-01T00:00:00.000Z' });
    await ada.client.tasks.create({ title: 'Fix the login bug', status: 'in_progress', priority: 'urgent' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    const card = page.locator('tb-task-board .card', { hasText: 'Write the launch post' });
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => card.locator('.due').getAttribute('class')).toContain('overdue');
    expect(await card.locator('.pill').textContent()).toBe('High');
    expect(await card.locator('.avatar').getAttribute('title')).toBe('Bob Builder');
    expect(await columnTitles(page, 'in_progress')).toEqual(['Fix the login bug']);
    await page.context().close();
  });

  it('creates a task inline in a column and persists it', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await page.locator('tb-task-board .column[data-status="in_review"] .add').click();
    await page.locator('tb-task-board .add-form input').fill('Review the pricing page');
    await page.locator('tb-task-board .add-form input').press('Enter');
    await expect.poll(() => columnTitles(page, 'in_review')).toEqual(['Review the pricing page']);
    const { data } = await ada.client.tasks.list({ q: 'pricing' });
    expect(data.map((t) => [t.title, t.status])).toEqual([['Review the pricing page', 'in_review']]);
    await page.context().close();
  });

  it('moves a card by drag and drop: status and position change in the database', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const a = await ada.client.tasks.create({ title: 'Alpha', status: 'todo' });
    const b = await ada.client.tasks.create({ title: 'Bravo', status: 'done' });
    const c = await ada.client.tasks.create({ title: 'Charlie', status: 'done' });
    await ada.client.tasks.move(c.id, { status: 'done', afterId: b.id });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await expect.poll(() => columnTitles(page, 'done')).toEqual(['Bravo', 'Charlie']);
    // Drop Alpha on the upper half of Charlie: between Bravo and Charlie.
    const target = page.locator('tb-task-board .card', { hasText: 'Charlie' });
    await page.locator('tb-task-board .card', { hasText: 'Alpha' }).dragTo(target, { targetPosition: { x: 20, y: 4 } });
    await expect.poll(async () => (await ada.client.tasks.get(a.id)).status).toBe('done');
    const done = (await ada.client.tasks.list({ status: ['done'], sort: 'position' })).data.map((t) => t.title);
    expect(done).toEqual(['Bravo', 'Alpha', 'Charlie']);
    await expect.poll(() => columnTitles(page, 'done')).toEqual(['Bravo', 'Alpha', 'Charlie']);
    await page.context().close();
  });

  it('moves a card with the keyboard and announces each step', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const a = await ada.client.tasks.create({ title: 'Alpha', status: 'todo' });
    await ada.client.tasks.create({ title: 'Bravo', status: 'in_progress' });
    await ada.client.tasks.create({ title: 'Charlie', status: 'in_progress' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    const card = page.locator('tb-task-board .card', { hasText: 'Alpha' });
    await card.focus();
    await page.keyboard.press('Space');
    const live = page.locator('tb-task-board [aria-live]');
    await expect.poll(() => live.textContent()).toContain('Picked up Alpha');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => live.textContent()).toContain('In progress, position 2 of 3');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await ada.client.tasks.get(a.id)).status).toBe('in_progress');
    const column = (await ada.client.tasks.list({ status: ['in_progress'], sort: 'position' })).data.map((t) => t.title);
    expect(column).toEqual(['Bravo', 'Alpha', 'Charlie']);

    // Escape puts a picked-up card back.
    await page.locator('tb-task-board .card', { hasText: 'Charlie' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Escape');
    await expect.poll(() => live.textContent()).toContain('cancelled');
    expect(await columnTitles(page, 'in_progress')).toEqual(['Bravo', 'Alpha', 'Charlie']);
    await page.context().close();
  });

  it('shows a change made through the API by another user within a second', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Live one', status: 'todo', assignedTo: bob.id });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await expect.poll(() => columnTitles(page, 'todo')).toEqual(['Live one']);
    await page.waitForFunction(() => {
      const board = document.querySelector('tb-task-board') as unknown as { connection: string };
      return board.connection === 'open';
    });
    const started = Date.now();
    await bob.client.tasks.update(task.id, { title: 'Live one, renamed by Bob', status: 'in_review' });
    await expect.poll(() => columnTitles(page, 'in_review'), { timeout: 1000, interval: 25 }).toEqual(['Live one, renamed by Bob']);
    expect(Date.now() - started).toBeLessThan(1000);
    await page.context().close();
  });

  it('lets the host take over opening a card (cancelable tb-task-open)', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    await ada.client.tasks.create({ title: 'Open me', status: 'todo' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await page.evaluate(() => {
      document.addEventListener('tb-task-open', (e) => {
        (window as unknown as { opened: number }).opened = (e as CustomEvent<{ taskId: number }>).detail.taskId;
        e.preventDefault();
      });
    });
    await page.locator('tb-task-board .card', { hasText: 'Open me' }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { opened?: number }).opened)).toBeGreaterThan(0);
    expect(await page.locator('tb-task-board dialog').count()).toBe(0);
    await page.context().close();

    // Without preventDefault, the built-in dialog opens with the task's detail.
    const plain = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await plain.locator('tb-task-board .card', { hasText: 'Open me' }).click();
    await expect.poll(() => plain.locator('tb-task-board dialog tb-task-detail .title').inputValue()).toBe('Open me');
    await plain.context().close();
  });

  it('shows a column\'s true count beyond the first 100 cards, loads the rest on scroll and keeps the count live', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const items = Array.from({ length: 105 }, (_, i) => ({ title: `Shipped ${String(i + 1).padStart(3, '0')}`, status: 'done' }));
    await ada.client.tasks.bulk({ items: items.slice(0, 100) });
    await ada.client.tasks.bulk({ items: items.slice(100) });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    const done = page.locator('tb-task-board .column[data-status="done"]');
    await expect.poll(() => done.locator('.count').textContent()).toBe('105');
    expect(await done.locator('.card').count()).toBe(100);
    await page.waitForFunction(() => (document.querySelector('tb-task-board') as unknown as { connection: string }).connection === 'open');

    // Scrolling to the column's end fetches the next page with the cursor; no card is listed twice.
    await done.locator('.card').last().scrollIntoViewIfNeeded();
    await expect.poll(() => done.locator('.card').count()).toBe(105);
    expect(new Set(await columnTitles(page, 'done')).size).toBe(105);
    expect(await done.locator('.load-more').count()).toBe(0);

    // A task added elsewhere updates the count live, and the reload keeps every card scrolled to.
    await bob.client.tasks.create({ title: 'Shipped by Bob', status: 'done' });
    await expect.poll(() => done.locator('.count').textContent()).toBe('106');
    expect(await done.locator('.card').count()).toBe(106);
    await page.context().close();
  });

  // 102 tasks and three boards mounted one after the other: 4-12 s alone, past 30 s in CI on the embedded database.
  it('shows true counts to a member and under a filter, and "100+" only when the server cannot count', { timeout: 90_000 }, async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const items = Array.from({ length: 102 }, (_, i) => ({ title: `Low ${i + 1}`, status: 'todo', priority: i < 101 ? 'low' : 'high' }));
    await ada.client.tasks.bulk({ items: items.slice(0, 100) });
    await ada.client.tasks.bulk({ items: items.slice(100) });
    // A member sees the whole board, and its true totals (GET /api/tasks/counts counts what the list lists).
    const page = await mount(env, bob.token, '<tb-task-board></tb-task-board>');
    const todo = page.locator('tb-task-board .column[data-status="todo"]');
    await expect.poll(() => todo.locator('.count').textContent()).toBe('102');
    expect(await todo.locator('.card').count()).toBe(100);
    await page.context().close();

    const filtered = await mount(env, bob.token, '<tb-task-board priority="low"></tb-task-board>');
    const lows = filtered.locator('tb-task-board .column[data-status="todo"]');
    await expect.poll(() => lows.locator('.count').textContent()).toBe('101');
    expect(await lows.locator('.card').count()).toBe(100);
    await filtered.context().close();

    // An older server without the counts route: a lower bound until the column is fully loaded.
    const older = await mount(env, bob.token, '<tb-task-board></tb-task-board>', {
      beforeMount: (p) => p.route('**/api/tasks/counts**', (route) => route.fulfill({ status: 404, contentType: 'application/problem+json', body: '{"status":404,"code":"not_found","title":"Not Found","detail":"Not found"}' })),
    });
    const column = older.locator('tb-task-board .column[data-status="todo"]');
    await expect.poll(() => column.locator('.count').textContent()).toBe('100+');
    await column.locator('.load-more').click();
    await expect.poll(() => column.locator('.count').textContent()).toBe('102');
    await older.context().close();
  });

  it('fits a phone: the columns scroll inside the board, the page never scrolls sideways', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    await ada.client.tasks.create({ title: 'Urgent and overdue', status: 'done', priority: 'urgent', dueDate: '2020-01-01T00:00:00.000Z' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>', { width: 390 });
    await page.locator('tb-task-board .card').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('tb-task-board .columns').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.context().close();
  });

  it('gives people who share initials distinct avatars ("MM", "Ma", "Mi")', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const tag = Math.random().toString(36).slice(2, 8);
    for (const name of ['Mia Manager', 'Max Manager', 'Milo Member']) {
      const { user } = await ada.client.users.create({ name, email: `${name.split(' ')[0]!.toLowerCase()}-${tag}@example.test`, role: 'member', password: 'correct horse battery' });
      await ada.client.tasks.create({ title: `For ${name}`, assignedTo: user.id });
    }
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    const avatars = page.locator('tb-task-board .avatar');
    await expect.poll(() => avatars.count()).toBe(3);
    const shown = await avatars.allTextContents();
    expect(new Set(shown.map((s) => s.trim())).size).toBe(3);
    await page.context().close();
  });
});
