import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CustomField, Label, Task } from '@taskbase/sdk';
import { testEnv, type Person, type TestEnv } from './support/env.js';
import { axe, mount } from './support/page.js';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots17/';

/** Labels, custom fields of every type, a parent with subtasks, links and watchers for one task. */
async function seed(ada: Person, bob: Person) {
  const labels: Label[] = [];
  for (const [name, color] of [['Bug', '#b42318'], ['Backend', '#3451d1'], ['Docs', '#1f7a3f'], ['Needs design', '#a21caf']] as const) {
    labels.push(await ada.client.labels.create({ name, color }));
  }
  const fields: CustomField[] = [];
  const defs = [
    { key: 'note', name: 'Customer note', type: 'text' },
    { key: 'points', name: 'Story points', type: 'number' },
    { key: 'size', name: 'Size', type: 'select', options: [{ name: 'Small' }, { name: 'Medium' }, { name: 'Large' }] },
    { key: 'platforms', name: 'Platforms', type: 'multi_select', options: [{ name: 'Web' }, { name: 'iOS' }, { name: 'Android' }] },
    { key: 'reviewer', name: 'Reviewer', type: 'user' },
    { key: 'launch', name: 'Launch day', type: 'date' },
    { key: 'customer_facing', name: 'Customer facing', type: 'checkbox' },
    { key: 'spec', name: 'Spec', type: 'url', description: 'A link to the design or spec' },
  ] as const;
  for (const def of defs) fields.push(await ada.client.fields.create({ ...def, options: 'options' in def ? [...def.options] : undefined }));
  const task = await ada.client.tasks.create({ title: 'Checkout: pay with saved cards', description: 'Let returning customers pick a saved card.', priority: 'high', assignedTo: bob.id });
  return { labels, fields, task };
}

const detail = (taskId: number) => `<tb-task-detail task-id="${taskId}"></tb-task-detail>`;

async function opened(page: Page, title: string): Promise<void> {
  await expect.poll(() => page.locator('tb-task-detail .title').inputValue(), { timeout: 15_000 }).toBe(title);
  await page.locator('tb-task-detail .cf').first().waitFor();
}

describe('tb-task-detail: labels, fields, subtasks, links, watchers', () => {
  let env: TestEnv;
  let ada: Person;
  let bob: Person;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const get = (id: number): Promise<Task> => ada.client.tasks.get(id);

  beforeAll(async () => {
    env = await testEnv();
    ({ ada, bob } = await env.workspace());
    seeded = await seed(ada, bob);
  });

  it('adds labels from the picker and removes them with the button and Backspace', async () => {
    const { task } = seeded;
    const page = await mount(env, ada.token, detail(task.id));
    await opened(page, task.title);
    const picker = page.getByRole('combobox', { name: 'Add label' });
    await picker.fill('bu');
    const options = page.locator('tb-task-detail [role="listbox"] [role="option"]');
    await expect.poll(() => options.allTextContents()).toEqual(['Bug']);
    await picker.press('Enter');
    await expect.poll(async () => (await get(task.id)).labels.map((l) => l.name)).toEqual(['Bug']);
    await picker.fill('doc');
    await expect.poll(() => options.allTextContents()).toEqual(['Docs']);
    await options.first().click();
    await expect.poll(async () => (await get(task.id)).labels.map((l) => l.name)).toEqual(['Bug', 'Docs']);
    await expect.poll(() => page.locator('tb-task-detail .chip .chip-name').allTextContents()).toEqual(['Bug', 'Docs']);

    await page.getByRole('button', { name: 'Remove label Bug' }).click();
    await expect.poll(async () => (await get(task.id)).labels.map((l) => l.name)).toEqual(['Docs']);
    // Backspace in the empty picker removes the last label.
    await picker.focus();
    await picker.press('Escape');
    await picker.press('Backspace');
    await expect.poll(async () => (await get(task.id)).labels).toEqual([]);
    await expect.poll(() => page.locator('tb-task-detail .activity').textContent()).toContain('Ada Lovelace changed labels: added Bug');
    // A label added elsewhere meanwhile is kept: the list sent is made again from the server's version.
    await ada.client.tasks.update(task.id, { labelIds: [seeded.labels.find((l) => l.name === 'Backend')!.id] });
    await picker.fill('bug');
    await expect.poll(() => options.allTextContents()).toEqual(['Bug']);
    await picker.press('Enter');
    await expect.poll(async () => (await get(task.id)).labels.map((l) => l.name)).toEqual(['Backend', 'Bug']);
    await ada.client.tasks.update(task.id, { labelIds: [] });
    await page.context().close();
  });

  it('saves custom fields of each kind and shows a refusal next to its field', async () => {
    const { task, fields } = seeded;
    const page = await mount(env, ada.token, detail(task.id));
    await opened(page, task.title);
    const field = (key: string) => page.locator(`tb-task-detail [name="fields.${key}"]`);
    const saved = async (key: string) => (await get(task.id)).fields[key];

    await page.getByLabel('Customer note').fill('Asked for by three enterprise customers');
    await page.getByLabel('Customer note').press('Enter');
    await expect.poll(() => saved('note')).toBe('Asked for by three enterprise customers');
    await page.getByLabel('Story points').fill('5');
    await page.getByLabel('Story points').press('Tab');
    await expect.poll(() => saved('points')).toBe(5);
    await page.getByLabel('Size').selectOption({ label: 'Large' });
    const size = fields.find((f) => f.key === 'size')!;
    await expect.poll(() => saved('size')).toBe(size.options.find((o) => o.name === 'Large')!.id);
    await page.getByRole('checkbox', { name: 'Customer facing' }).check();
    await expect.poll(() => saved('customer_facing')).toBe(true);
    await page.getByRole('group', { name: 'Platforms' }).getByRole('checkbox', { name: 'Web' }).check();
    await expect.poll(() => saved('platforms')).toEqual([fields.find((f) => f.key === 'platforms')!.options[0]!.id]);
    await page.getByLabel('Reviewer').selectOption({ label: 'Ada Lovelace' });
    await expect.poll(() => saved('reviewer')).toBe(ada.id);
    await page.getByLabel('Launch day').fill('2027-03-01');
    await page.getByLabel('Launch day').press('Tab');
    await expect.poll(() => saved('launch')).toBe('2027-03-01');
    // Clearing a value removes it.
    await page.getByLabel('Story points').fill('');
    await page.getByLabel('Story points').press('Tab');
    await expect.poll(async () => 'points' in (await get(task.id)).fields).toBe(false);

    // A refusal (422 naming fields.spec) is shown under that field, which is marked invalid.
    await field('spec').fill('not a link');
    await field('spec').press('Tab');
    const error = page.locator('tb-task-detail .cf[data-key="spec"] .field-error');
    await expect.poll(() => error.count()).toBe(1);
    expect(await error.textContent()).toMatch(/\S/);
    expect(await field('spec').getAttribute('aria-invalid')).toBe('true');
    expect('spec' in (await get(task.id)).fields).toBe(false);
    await field('spec').fill('https://example.com/specs/saved-cards');
    await field('spec').press('Tab');
    await expect.poll(() => saved('spec')).toBe('https://example.com/specs/saved-cards');
    await expect.poll(() => error.count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Open link' }).getAttribute('href')).toBe('https://example.com/specs/saved-cards');
    await page.context().close();
  });

  it('adds a subtask inline and completes it with its checkbox', async () => {
    const { task } = seeded;
    const page = await mount(env, ada.token, detail(task.id));
    await opened(page, task.title);
    await page.evaluate(() => document.addEventListener('tb-task-change', (e) => {
      const w = window as unknown as { changes?: string[] };
      const { task, action } = (e as CustomEvent<{ task: { title: string }; action: string }>).detail;
      w.changes = [...(w.changes ?? []), `${action} ${task.title}`];
    }));
    const input = page.getByRole('textbox', { name: 'Subtask title' });
    await input.fill('Store the card token');
    await input.press('Enter');
    await expect.poll(async () => (await ada.client.tasks.list({ parent: String(task.id) })).data.map((t) => t.title)).toEqual(['Store the card token']);
    await input.fill('Show the saved cards');
    await page.getByRole('button', { name: 'Add subtask' }).click();
    const rows = page.locator('tb-task-detail .subtasks li');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Store the card token' }).check();
    await expect.poll(async () => (await ada.client.tasks.list({ parent: String(task.id), statusCategory: ['completed'] })).data.map((t) => t.title)).toEqual(['Store the card token']);
    await expect.poll(async () => (await get(task.id)).subtasks).toEqual({ total: 2, completed: 1 });
    await expect.poll(() => page.locator('tb-task-detail .subtasks li.done').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { changes?: string[] }).changes)).toEqual(['create Store the card token', 'create Show the saved cards', 'update Store the card token']);
    expect(await page.locator('tb-task-detail [part="subtasks"] .count').textContent()).toBe('1 of 2 done');
    // Oldest first, whatever their status (a task's position is its place in its status's column).
    expect(await page.locator('tb-task-detail .subtasks .title-link').allTextContents()).toEqual(['Store the card token', 'Show the saved cards']);
    // Done elsewhere: the detail listens to its subtasks too.
    const second = (await ada.client.tasks.list({ parent: String(task.id) })).data.find((t) => t.title === 'Show the saved cards')!;
    await ada.client.tasks.update(second.id, { status: 'done' });
    await expect.poll(() => page.locator('tb-task-detail .subtasks li.done').count(), { timeout: 10_000 }).toBe(2);
    await page.context().close();
  });

  it('sets and clears the parent, linked from the subtask', async () => {
    const { task } = seeded;
    const child = await ada.client.tasks.create({ title: 'Card expiry reminders' });
    const page = await mount(env, ada.token, detail(child.id));
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue(), { timeout: 15_000 }).toBe(child.title);
    await page.getByRole('button', { name: 'Set parent' }).click();
    const search = page.getByRole('combobox', { name: 'Set parent' });
    await search.fill(task.identifier);
    await expect.poll(() => page.locator('tb-task-detail [role="option"]').first().textContent()).toContain(task.title);
    await search.press('Enter');
    await expect.poll(async () => (await get(child.id)).parentId).toBe(task.id);
    const link = page.locator('tb-task-detail .parent .link');
    await expect.poll(() => link.textContent()).toContain(task.title);
    await page.getByRole('button', { name: 'Remove parent' }).click();
    await expect.poll(async () => (await get(child.id)).parentId).toBe(null);
    await page.context().close();
  });

  it('links a task as blocking and lists it by type; removes the link', async () => {
    const { task } = seeded;
    const other = await ada.client.tasks.create({ title: 'Migrate the payments vault' });
    const page = await mount(env, ada.token, detail(task.id));
    await opened(page, task.title);
    await page.getByLabel('Link type').selectOption('blocked_by');
    const search = page.getByRole('combobox', { name: 'Link a task' });
    await search.fill(other.identifier);
    await expect.poll(() => page.locator('tb-task-detail [part="relations"] [role="option"]').first().textContent()).toContain(other.title);
    await search.press('Enter');
    await expect.poll(async () => (await ada.client.tasks.relations.list(task.id)).data.map((r) => [r.type, r.task.id])).toEqual([['blocked_by', other.id]]);
    const group = page.locator('tb-task-detail .group[data-type="blocked_by"]');
    await expect.poll(() => group.textContent()).toContain(other.title);
    expect(await group.textContent()).toContain('Blocked by');
    await expect.poll(() => page.locator('tb-task-detail .blocked').textContent()).toContain('Blocked by 1 open task');
    // And the other way round: "blocks".
    const third = await ada.client.tasks.create({ title: 'Announce saved cards' });
    await page.getByLabel('Link type').selectOption('blocks');
    await search.fill(third.identifier);
    await expect.poll(() => page.locator('tb-task-detail [part="relations"] [role="option"]').first().textContent()).toContain(third.title);
    await search.press('Enter');
    await expect.poll(() => page.locator('tb-task-detail .group[data-type="blocks"]').textContent()).toContain(third.title);
    expect((await ada.client.tasks.relations.list(third.id)).data.map((r) => [r.type, r.task.id])).toEqual([['blocked_by', task.id]]);
    await page.getByRole('button', { name: `Remove link to ${third.identifier}` }).click();
    await expect.poll(async () => (await ada.client.tasks.relations.list(task.id)).data.length).toBe(1);
    await page.context().close();
  });

  it('watches and unwatches the task; shows the watchers', async () => {
    const { task } = seeded;
    await bob.client.tasks.watchers.remove(task.id, 'me').catch(() => undefined);
    const page = await mount(env, bob.token, detail(task.id));
    await opened(page, task.title);
    const watch = page.getByRole('button', { name: 'Watch', exact: true });
    await watch.click();
    await expect.poll(async () => (await bob.client.tasks.watchers.list(task.id)).watching).toBe(true);
    const unwatch = page.getByRole('button', { name: 'Stop watching' });
    expect(await unwatch.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('tb-task-detail .avatars li[title="Bob Builder"]').count()).toBe(1);
    await unwatch.click();
    await expect.poll(async () => (await bob.client.tasks.watchers.list(task.id)).watching).toBe(false);
    await expect.poll(() => page.locator('tb-task-detail .avatars li[title="Bob Builder"]').count()).toBe(0);
    await page.context().close();
  });

  it('deletes a task with its subtasks after saying so', async () => {
    const parent = await ada.client.tasks.create({ title: 'Old checkout experiment' });
    const child = await ada.client.tasks.create({ title: 'Old checkout copy', parentId: parent.id });
    const page = await mount(env, ada.token, detail(parent.id));
    await opened(page, parent.title);
    await page.locator('tb-task-detail').getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.locator('tb-task-detail').getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('its 1 subtask(s)');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tb-task-detail .state').textContent()).toBe('This task was deleted.');
    await expect(ada.client.tasks.get(child.id)).rejects.toThrow();
    await page.context().close();
  });

  it('has no axe violations, and is screenshotted filled in light, dark and at 375px', async () => {
    // A task of its own, every section filled (the file's other tests need not run first).
    const { labels, fields } = seeded;
    const epic = await ada.client.tasks.create({ title: 'Payments revamp' });
    const task = await ada.client.tasks.create({
      title: 'Checkout: pay with saved cards', description: 'Let returning customers pick a saved card at checkout.', priority: 'high', assignedTo: bob.id, parentId: epic.id,
      labelIds: [labels[0]!.id, labels[1]!.id, labels[3]!.id],
      fields: {
        note: 'Asked for by three enterprise customers', points: 8, size: 'Medium', platforms: ['web', 'ios'].map((id) => fields[3]!.options.find((o) => o.name.toLowerCase() === id)!.id),
        reviewer: ada.id, launch: '2027-03-01', customer_facing: true, spec: 'https://example.com/specs/saved-cards',
      },
    });
    const done = await ada.client.tasks.create({ title: 'Store the card token', parentId: task.id });
    await ada.client.tasks.update(done.id, { status: 'done' });
    await ada.client.tasks.create({ title: 'Show the saved cards on the payment step', parentId: task.id, status: 'in_progress' });
    await ada.client.tasks.create({ title: 'Let customers remove a card from their account settings', parentId: task.id });
    const vault = await ada.client.tasks.create({ title: 'Migrate the payments vault', status: 'in_progress' });
    await ada.client.tasks.relations.add(vault.id, { type: 'blocks', taskId: task.id });
    const announce = await ada.client.tasks.create({ title: 'Announce saved cards' });
    await ada.client.tasks.relations.add(task.id, { type: 'blocks', taskId: announce.id });
    const related = await ada.client.tasks.create({ title: 'Card expiry reminders' });
    await ada.client.tasks.relations.add(task.id, { type: 'relates_to', taskId: related.id });
    await ada.client.tasks.update(related.id, { status: 'done' });
    await bob.client.tasks.watchers.add(task.id);
    await bob.client.comments.create(task.id, { comment: 'I can take the vault migration, @Ada Lovelace.' });
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, options] of [['light', { colorScheme: 'light' }], ['dark', { colorScheme: 'dark' }], ['narrow', { colorScheme: 'light', width: 375 }]] as const) {
      const page = await mount(env, ada.token, detail(task.id), { ...options, width: 'width' in options ? options.width : 820 });
      await opened(page, task.title);
      await page.locator('tb-task-detail .subtasks li').first().waitFor();
      await page.locator('tb-task-detail .group[data-type="relates_to"]').waitFor();
      await expect.poll(() => page.locator('tb-task-detail .parent .link').textContent()).toContain('Payments revamp');
      const violations = await axe(page, 'tb-task-detail');
      expect(violations, name).toEqual([]);
      await page.locator('tb-task-detail').screenshot({ path: `${SHOTS}detail-${name}.png`, animations: 'disabled' });
      if (name === 'light') {
        await page.getByRole('combobox', { name: 'Add label' }).focus();
        await page.locator('tb-task-detail .options [role="option"]').first().waitFor();
        expect(await axe(page, 'tb-task-detail'), 'open picker').toEqual([]);
        await page.locator('tb-task-detail').screenshot({ path: `${SHOTS}detail-picker.png`, animations: 'disabled' });
      }
      await page.context().close();
    }
  }, 90_000);
});
