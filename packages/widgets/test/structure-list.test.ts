import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';
import { structureApi } from './structure-board-seed.js';

const titles = (page: Page) => page.locator('tb-task-list tbody tr .title-line').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));

describe('tb-task-list: labels, badges, structure filters, saved views and custom-field columns', () => {
  it('a row shows labels, subtask progress and Blocked', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const bug = await api.label('bug', '#dc2626');
    const parent = await api.task({ title: 'Migrate billing', labelIds: [bug.id] });
    await api.task({ title: 'Export invoices', status: 'done', parentId: parent.id });
    await api.task({ title: 'Import invoices', parentId: parent.id });
    const blocker = await api.task({ title: 'Sign the contract' });
    await api.relate(blocker.id, 'blocks', parent.id);

    const page = await mount(env, ada.token, '<tb-task-list></tb-task-list>');
    const row = page.locator('tb-task-list tbody tr', { hasText: 'Migrate billing' });
    await expect.poll(() => row.locator('.chip').allTextContents()).toEqual(['bug']);
    expect(await row.locator('[part="subtasks"]').getAttribute('aria-label')).toBe('1 of 2 subtasks done');
    expect(await row.locator('[part="subtasks"]').textContent()).toBe('1/2');
    expect(await row.locator('[part="blocked"]').getAttribute('aria-label')).toBe('Blocked by 1 open task');

    // A label renamed elsewhere: the chip and the filter menu follow live (label.updated on the tasks topic).
    await page.waitForFunction(() => (document.querySelector('tb-task-list') as unknown as { connection: string }).connection === 'open');
    await ada.client.http.request({ method: 'PATCH', path: `/api/labels/${bug.id}`, body: { name: 'defect' } });
    await expect.poll(() => row.locator('.chip').allTextContents()).toEqual(['defect']);
    await expect.poll(() => page.locator('tb-task-list .menu-panel label').allTextContents().then((l) => l.map((s) => s.trim()))).toEqual(['defect']);
    await page.context().close();
  });

  it('the custom-field filter narrows the list (keyboard), for a select, a checkbox, a number, a multi-select and a user field', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const api = structureApi(ada);
    const tier = await api.field({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold' }, { name: 'Silver' }] });
    await api.field({ key: 'vip', name: 'VIP', type: 'checkbox' });
    await api.field({ key: 'seats', name: 'Seats', type: 'number' });
    const regions = await api.field({ key: 'regions', name: 'Regions', type: 'multi_select', options: [{ name: 'EMEA' }, { name: 'APAC' }] });
    await api.field({ key: 'owner', name: 'Owner', type: 'user' });
    await api.task({ title: 'Gold customer', fields: { tier: 'Gold', vip: true, seats: 50, regions: ['EMEA', 'APAC'] } });
    await api.task({ title: 'Silver customer', fields: { tier: 'Silver', vip: false, seats: 5, regions: ['EMEA'], owner: bob.id } });
    await api.task({ title: 'No tier' });

    const page = await mount(env, ada.token, '<tb-task-list></tb-task-list>');
    const matches = page.locator('tb-task-list [part="matches"]');
    await expect.poll(() => matches.textContent()).toBe('3 tasks match');
    await page.locator('tb-task-list [part="field-filter"]').selectOption('tier');
    const value = page.locator('tb-task-list [part="field-value"]');
    await value.focus();
    await value.selectOption(tier.options[0]!.id);
    await expect.poll(() => titles(page)).toEqual(['Gold customer']);
    expect(await matches.textContent()).toBe('1 task matches');
    expect(await page.locator('tb-task-list').getAttribute('cf')).toBeNull(); // a property, not reflected
    expect(await page.locator('tb-task-list').evaluate((el) => (el as unknown as { cf: string }).cf)).toBe(`tier=${tier.options[0]!.id}`);

    // Another field replaces the first one's filter.
    await page.locator('tb-task-list [part="field-filter"]').selectOption('vip');
    await expect.poll(() => matches.textContent()).toBe('3 tasks match');
    await page.locator('tb-task-list [part="field-value"]').selectOption('false');
    await expect.poll(() => titles(page)).toEqual(['Silver customer']);

    // A number: equality, entered with the keyboard.
    await page.locator('tb-task-list [part="field-filter"]').selectOption('seats');
    const seats = page.locator('tb-task-list [part="field-value"]');
    await seats.fill('50');
    await seats.press('Enter');
    await expect.poll(() => titles(page)).toEqual(['Gold customer']);

    // A multi-select: tasks holding that option among theirs.
    await page.locator('tb-task-list [part="field-filter"]').selectOption('regions');
    await page.locator('tb-task-list [part="field-value"]').selectOption(regions.options[1]!.id);
    await expect.poll(() => titles(page)).toEqual(['Gold customer']);
    await page.locator('tb-task-list [part="field-value"]').selectOption(regions.options[0]!.id);
    await expect.poll(() => titles(page).then((t) => t.sort())).toEqual(['Gold customer', 'Silver customer']);

    // A user field: the workspace's people.
    await page.locator('tb-task-list [part="field-filter"]').selectOption('owner');
    await page.locator('tb-task-list [part="field-value"]').selectOption({ label: 'Bob Builder' });
    await expect.poll(() => titles(page)).toEqual(['Silver customer']);
    await page.context().close();
  });

  it('view="<id>" applies a saved view\'s filters and sort (also a board view), under the list\'s own', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const api = structureApi(ada);
    const bug = await api.label('bug', '#dc2626');
    await api.task({ title: 'Bug due later', labelIds: [bug.id], dueDate: '2030-05-01T00:00:00.000Z' });
    await api.task({ title: 'Bug due sooner', labelIds: [bug.id], dueDate: '2030-01-01T00:00:00.000Z' });
    await api.task({ title: 'Not a bug', dueDate: '2030-03-01T00:00:00.000Z' });
    const view = await api.view({ name: 'Bugs by due date', query: `label=${bug.id}&sort=dueDate`, layout: 'board' });

    const page = await mount(env, ada.token, `<tb-task-list view="${view.id}"></tb-task-list>`);
    await expect.poll(() => titles(page)).toEqual(['Bug due sooner', 'Bug due later']);
    expect(await page.locator('tb-task-list th', { hasText: 'Due date' }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => page.locator('tb-task-list [part="matches"]').textContent()).toBe('View: Bugs by due date 2 tasks match');
    // A header click sorts the view's tasks the list's way.
    await page.locator('tb-task-list th', { hasText: 'Due date' }).locator('button').click();
    await expect.poll(() => titles(page)).toEqual(['Bug due later', 'Bug due sooner']);
    await page.context().close();
  });

  it('fields="…" adds a column per custom field, formatted by type, sortable by cf.<key>', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const api = structureApi(ada);
    await api.field({ key: 'deal_value', name: 'Deal value', type: 'number' });
    await api.field({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold', color: '#eab308' }, { name: 'Silver', color: '#94a3b8' }] });
    await api.field({ key: 'regions', name: 'Regions', type: 'multi_select', options: [{ name: 'EMEA' }, { name: 'APAC' }] });
    await api.field({ key: 'renewal', name: 'Renewal', type: 'date' });
    await api.field({ key: 'owner', name: 'Owner', type: 'user' });
    await api.field({ key: 'vip', name: 'VIP', type: 'checkbox' });
    await api.field({ key: 'site', name: 'Site', type: 'url' });
    await api.field({ key: 'notes', name: 'Notes', type: 'text' });
    await api.task({
      title: 'Acme renewal',
      fields: { deal_value: 12345.5, tier: 'Gold', regions: ['EMEA', 'APAC'], renewal: '2027-03-04', owner: bob.id, vip: true, site: 'https://acme.example/deal', notes: 'Call first' },
    });
    await api.task({ title: 'Globex upsell', fields: { deal_value: 900, tier: 'Silver', vip: false } });
    await api.task({ title: 'No values' });

    const page = await mount(env, ada.token, '<tb-task-list fields="deal_value,tier,regions,renewal,owner,vip,site,notes,unknown_key"></tb-task-list>');
    const headers = page.locator('tb-task-list thead th');
    await expect.poll(() => headers.allTextContents().then((h) => h.map((s) => s.replace(/[▲▼↕]/g, '').trim()).slice(-8))).toEqual([
      'Deal value', 'Tier', 'Regions', 'Renewal', 'Owner', 'VIP', 'Site', 'Notes',
    ]);
    const cells = (title: string) => page.locator('tb-task-list tbody tr', { hasText: title }).locator('td.t-cf').allInnerTexts();
    await expect.poll(() => cells('Acme renewal')).toEqual(['12,345.5', 'Gold', 'EMEA\nAPAC', 'Mar 4, 2027', 'Bob Builder', '✓\nYes', 'acme.example/deal', 'Call first'].map((s) => expect.stringContaining(s.split('\n')[0]!)));
    const acme = page.locator('tb-task-list tbody tr', { hasText: 'Acme renewal' });
    expect(await acme.locator('td.t-cf a').getAttribute('href')).toBe('https://acme.example/deal');
    expect(await acme.locator('td.t-select .option').evaluate((el) => getComputedStyle(el, '::before').backgroundColor)).toBe('rgb(234, 179, 8)');
    expect(await acme.locator('td.t-multi_select .option').allTextContents()).toEqual(['EMEA', 'APAC']);
    const globex = await cells('Globex upsell');
    expect(globex[0]).toBe('900');
    expect(globex[5]).toContain('—');

    // Sorting by a custom field: cf.deal_value, then -cf.deal_value (tasks without a value last).
    const sortBy = page.locator('tb-task-list th', { hasText: 'Deal value' });
    await sortBy.locator('button').click();
    await expect.poll(() => titles(page)).toEqual(['Globex upsell', 'Acme renewal', 'No values']);
    expect(await sortBy.getAttribute('aria-sort')).toBe('ascending');
    await sortBy.locator('button').click();
    await expect.poll(() => titles(page)).toEqual(['Acme renewal', 'Globex upsell', 'No values']);
    expect(await page.locator('tb-task-list').evaluate((el) => (el as unknown as { sort: string }).sort)).toBe('-cf.deal_value');
    await page.context().close();
  });
});
