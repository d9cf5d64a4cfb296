import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { columnTitles, mount } from './support/page.js';
import { structureApi } from './structure-board-seed.js';

describe('tb-task-board: labels, subtasks, blockers, structure filters and saved views', () => {
  it('a card shows its labels (three, then +N), subtask progress 1/2 and Blocked, and says so to screen readers', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const labels = await Promise.all([['backend', '#2563eb'], ['bug', '#dc2626'], ['customer', '#f59e0b'], ['urgent-fix', '#16a34a']].map(([n, c]) => api.label(n!, c!)));
    const parent = await api.task({ title: 'Migrate billing', status: 'in_progress', labelIds: labels.map((l) => l.id) });
    await api.task({ title: 'Export invoices', status: 'done', parentId: parent.id });
    await api.task({ title: 'Import invoices', status: 'todo', parentId: parent.id });
    const blocker = await api.task({ title: 'Sign the contract', status: 'todo' });
    await api.relate(blocker.id, 'blocks', parent.id);

    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    const card = page.locator('tb-task-board .card', { hasText: 'Migrate billing' });
    await expect.poll(() => card.locator('.chip').allTextContents()).toEqual(['backend', 'bug', 'customer', '+1 1 more: urgent-fix']);
    expect(await card.locator('.chip.more').getAttribute('title')).toBe('urgent-fix');
    const progress = card.locator('[part="subtasks"]');
    expect(await progress.textContent()).toBe('1/2');
    expect(await progress.getAttribute('aria-label')).toBe('1 of 2 subtasks done');
    const blocked = card.locator('[part="blocked"]');
    expect(await blocked.textContent()).toBe('Blocked');
    expect(await blocked.getAttribute('aria-label')).toBe('Blocked by 1 open task');
    expect(await card.getAttribute('aria-label')).toBe(
      `${parent.identifier} Migrate billing, Medium priority, Unassigned, Labels: backend, bug, customer, urgent-fix, 1 of 2 subtasks done, Blocked by 1 open task`,
    );
    // A task without structure shows none of it.
    const plain = page.locator('tb-task-board .card', { hasText: 'Sign the contract' });
    expect(await plain.locator('.chip, [part="subtasks"], [part="blocked"]').count()).toBe(0);

    // Once the blocker is done, the badge goes (live).
    await ada.client.tasks.update(blocker.id, { status: 'done' });
    await expect.poll(() => card.locator('[part="blocked"]').count()).toBe(0);
    await page.context().close();
  });

  it('the label filter (keyboard only) narrows the columns and their counts, and says how many tasks match', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const bug = await api.label('bug', '#dc2626');
    const ui = await api.label('ui', '#7c3aed');
    // A label only another project's tasks may carry is not offered on this board.
    const web = await ada.client.projects.create({ name: 'Website', key: 'WEB' });
    await ada.client.http.request({ method: 'POST', path: '/api/labels', body: { name: 'seo', color: '#0f766e', projectIds: [web.id] } });
    await api.task({ title: 'Crash on save', status: 'todo', labelIds: [bug.id] });
    await api.task({ title: 'Wrong total', status: 'in_progress', labelIds: [bug.id, ui.id] });
    await api.task({ title: 'New icons', status: 'todo', labelIds: [ui.id] });
    await api.task({ title: 'Plain task', status: 'done' });

    const page = await mount(env, ada.token, '<tb-task-board filters></tb-task-board>');
    const matches = page.locator('tb-task-board [part="matches"]');
    await expect.poll(() => matches.textContent()).toBe('4 tasks match');
    expect(await page.locator('tb-task-board .menu-panel label').allTextContents().then((l) => l.map((s) => s.trim()))).toEqual(['bug', 'ui']);
    const summary = page.locator('tb-task-board [part="label-filter"]');
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // the first label: bug
    await expect.poll(() => matches.textContent()).toBe('2 tasks match');
    await expect.poll(() => columnTitles(page, 'todo')).toEqual(['Crash on save']);
    expect(await columnTitles(page, 'in_progress')).toEqual(['Wrong total']);
    expect(await columnTitles(page, 'done')).toEqual([]);
    expect(await page.locator('tb-task-board .column[data-status="todo"] .count').textContent()).toBe('1');
    expect(await page.locator('tb-task-board').evaluate((el) => (el as unknown as { label: string }).label)).toBe(String(bug.id));
    // Escape closes the menu and gives the focus back to it.
    await page.keyboard.press('Escape');
    expect(await page.locator('tb-task-board details.menu').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await summary.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(await summary.textContent()).toContain('bug');

    // Both labels: any of them.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => matches.textContent()).toBe('3 tasks match');
    await expect.poll(() => columnTitles(page, 'todo')).toEqual(['Crash on save', 'New icons']);
    // A press outside closes the menu.
    const open = () => page.locator('tb-task-board details.menu').evaluate((el) => (el as HTMLDetailsElement).open);
    expect(await open()).toBe(true);
    await page.locator('tb-task-board #col-done').click();
    expect(await open()).toBe(false);
    await page.context().close();
  });

  it('the custom-field filter narrows the board (select option), and a `cf` attribute does too', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const tier = await api.field({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold', color: '#eab308' }, { name: 'Silver', color: '#94a3b8' }] });
    await api.field({ key: 'vip', name: 'VIP', type: 'checkbox' });
    await api.task({ title: 'Gold customer', status: 'todo', fields: { tier: 'Gold', vip: true } });
    await api.task({ title: 'Silver customer', status: 'todo', fields: { tier: 'Silver' } });
    await api.task({ title: 'No tier', status: 'todo' });

    const page = await mount(env, ada.token, '<tb-task-board filters></tb-task-board>');
    await expect.poll(() => columnTitles(page, 'todo').then((t) => t.length)).toBe(3);
    await page.locator('tb-task-board [part="field-filter"]').selectOption('tier');
    await page.locator('tb-task-board [part="field-value"]').selectOption(tier.options[1]!.id);
    await expect.poll(() => columnTitles(page, 'todo')).toEqual(['Silver customer']);
    expect(await page.locator('tb-task-board [part="matches"]').textContent()).toBe('1 task matches');
    await page.context().close();

    const vip = await mount(env, ada.token, '<tb-task-board cf="vip=true"></tb-task-board>');
    await expect.poll(() => columnTitles(vip, 'todo')).toEqual(['Gold customer']);
    await vip.context().close();
  });

  it('view="<id>" applies a saved view\'s filters, also a list view on the board', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const bug = await api.label('bug', '#dc2626');
    await api.task({ title: 'Crash on save', status: 'todo', labelIds: [bug.id] });
    await api.task({ title: 'Wrong total', status: 'in_review', labelIds: [bug.id] });
    await api.task({ title: 'Not a bug', status: 'todo' });
    const view = await api.view({ name: 'Bugs', query: `label=${bug.id}`, layout: 'list' });

    const page = await mount(env, ada.token, `<tb-task-board filters view="${view.id}"></tb-task-board>`);
    await expect.poll(() => columnTitles(page, 'todo')).toEqual(['Crash on save']);
    expect(await columnTitles(page, 'in_review')).toEqual(['Wrong total']);
    const matches = page.locator('tb-task-board [part="matches"]');
    await expect.poll(() => matches.textContent()).toBe('View: Bugs 2 tasks match');
    await page.context().close();

    // A label named in the attribute (by name) filters too, and the menu shows it ticked.
    const named = await mount(env, ada.token, '<tb-task-board filters label="bug"></tb-task-board>');
    await expect.poll(() => columnTitles(named, 'todo')).toEqual(['Crash on save']);
    expect(await named.locator('tb-task-board [part="label-filter"]').textContent()).toBe('Labels: bug');
    await named.context().close();

    const again = await mount(env, ada.token, `<tb-task-board filters view="${view.id}"></tb-task-board>`);
    await expect.poll(() => columnTitles(again, 'in_review')).toEqual(['Wrong total']);
    // The board's own filters apply on top.
    await again.locator('tb-task-board').evaluate((el) => el.setAttribute('q', 'total'));
    await expect.poll(() => columnTitles(again, 'todo')).toEqual([]);
    expect(await columnTitles(again, 'in_review')).toEqual(['Wrong total']);
    await again.context().close();
  });
});
