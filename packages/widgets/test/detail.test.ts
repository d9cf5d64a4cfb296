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
    const activity = page.locator('tb-task-detail .activity');
    expect(await activity.textContent()).toContain('Ada Lovelace created the task');
    // Each change says from what to what, in labels and names.
    await ada.client.tasks.update(task.id, { status: 'in_review' });
    await expect.poll(() => activity.textContent()).toContain('Ada Lovelace changed status from To do to In review');
    expect(await activity.textContent()).toContain('Ada Lovelace changed priority from Low to Urgent');
    expect(await activity.textContent()).toContain('Ada Lovelace changed assignee from Unassigned to Bob Builder');
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

  it('deletes a task after confirmation, announces it and closes the board\'s dialog', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Retire the old wiki', status: 'todo' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await page.evaluate(() => document.addEventListener('tb-task-change', (e) => {
      (window as unknown as { actions: string[] }).actions = [...((window as unknown as { actions?: string[] }).actions ?? []), (e as CustomEvent<{ action: string }>).detail.action];
    }));
    await page.locator('tb-task-board .card', { hasText: 'Retire the old wiki' }).click();
    const detail = page.locator('tb-task-board dialog tb-task-detail');
    await detail.getByRole('button', { name: 'Delete' }).click();
    const confirm = detail.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Delete “Retire the old wiki”?');
    // Cancel keeps the task; the safe choice has the focus.
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.count()).toBe(0);
    expect((await ada.client.tasks.get(task.id)).title).toBe('Retire the old wiki');

    await detail.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tb-task-board dialog').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { actions?: string[] }).actions)).toEqual(['delete']);
    await expect(ada.client.tasks.get(task.id)).rejects.toThrow();
    await expect.poll(() => page.locator('tb-task-board .card', { hasText: 'Retire the old wiki' }).count()).toBe(0);

    // A member may not delete a task someone else created: no button.
    const other = await ada.client.tasks.create({ title: 'Not yours' });
    const bobs = await mount(env, bob.token, `<tb-task-detail task-id="${other.id}"></tb-task-detail>`);
    await expect.poll(() => bobs.locator('tb-task-detail .title').inputValue()).toBe('Not yours');
    expect(await bobs.locator('tb-task-detail .delete').count()).toBe(0);
    await bobs.context().close();
    await page.context().close();
  });

  it('lets the host replace the built-in fields through the "fields" slot', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const task = await ada.client.tasks.create({ title: 'Host-styled fields' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"><div slot="fields" id="host-fields">Design-system selects</div></tb-task-detail>`);
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe('Host-styled fields');
    // The four built-in fields are gone (the link-type select of "Linked tasks" is not one of them).
    expect(await page.locator('tb-task-detail :is([name="status"], [name="priority"], [name="assignedTo"], [name="dueDate"]):visible').count()).toBe(0);
    expect(await page.locator('tb-task-detail select[name="relationType"]').count()).toBe(1);
    expect(await page.locator('#host-fields').isVisible()).toBe(true);
    await page.context().close();
  });
});
