import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';

describe('tb-task-detail', () => {
  it('renders a task, saves an edit with its version and lists the activity', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Draft the FAQ', description: 'Ten questions', priority: 'low' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`);
    const title = page.locator('tb-task-detail .title');
    await expect.poll(() => title.inputValue()).toBe('Draft the FAQ');
    expect(await page.locator('tb-task-detail textarea[name="description"]').inputValue()).toBe('Ten questions');
    await page.locator('tb-task-detail select[name="priority"]').selectOption('urgent');
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).priority).toBe('urgent');
    await page.locator('tb-task-detail select[name="assignedTo"]').selectOption(String(bob.id));
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).assignedTo).toBe(bob.id);
    await expect.poll(() => page.locator('tb-task-detail .activity li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('tb-task-detail .activity').textContent()).toContain('Ada Lovelace created the task');
    await page.context().close();
  });

  it('shows a 412 conflict with the server values and resolves it either way', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Original title', assignedTo: bob.id });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`);
    const title = page.locator('tb-task-detail .title');
    await expect.poll(() => title.inputValue()).toBe('Original title');
    // Ada starts typing; meanwhile Bob renames the task through the API.
    await title.fill('Ada’s title');
    await bob.client.tasks.update(task.id, { title: 'Bob’s title' });
    await title.press('Enter');
    const conflict = page.locator('tb-task-detail .conflict');
    await expect.poll(() => conflict.count()).toBe(1);
    expect(await conflict.locator('td.theirs').textContent()).toBe('Bob’s title');
    expect(await conflict.locator('td.mine').textContent()).toBe('Ada’s title');
    expect((await ada.client.tasks.get(task.id)).title).toBe('Bob’s title');

    await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).title).toBe('Ada’s title');
    await expect.poll(() => conflict.count()).toBe(0);

    // Another stale edit, resolved by reloading theirs.
    await title.fill('Second try');
    await bob.client.tasks.update(task.id, { title: 'Bob again' });
    await title.press('Enter');
    await expect.poll(() => conflict.count()).toBe(1);
    await conflict.getByRole('button', { name: 'Reload theirs' }).click();
    await expect.poll(() => title.inputValue()).toBe('Bob again');
    expect((await ada.client.tasks.get(task.id)).title).toBe('Bob again');
    await page.context().close();
  });
});
