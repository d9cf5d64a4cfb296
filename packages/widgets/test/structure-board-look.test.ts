import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEnv, type Person } from './support/env.js';
import { axe, mount } from './support/page.js';
import { structureApi } from './structure-board-seed.js';

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots17/';

/** A small workspace with labels, subtasks, a blocker and custom-field values. */
async function seed(ada: Person, bob: Person): Promise<void> {
  const api = structureApi(ada);
  const [bug, ui, backend, customer, docs] = await Promise.all(
    [['bug', '#dc2626'], ['ui', '#7c3aed'], ['backend', '#2563eb'], ['customer', '#f59e0b'], ['docs', '#0f766e']].map(([n, c]) => api.label(n!, c!)),
  );
  await api.field({ key: 'deal_value', name: 'Deal value', type: 'number' });
  await api.field({ key: 'tier', name: 'Tier', type: 'select', options: [{ name: 'Gold', color: '#eab308' }, { name: 'Silver', color: '#94a3b8' }] });
  await api.field({ key: 'renewal', name: 'Renewal', type: 'date' });
  await api.field({ key: 'vip', name: 'VIP', type: 'checkbox' });
  await api.field({ key: 'site', name: 'Site', type: 'url' });
  const day = 86_400_000;
  const parent = await api.task({
    title: 'Migrate billing to the new provider', status: 'in_progress', priority: 'high', assignedTo: bob.id, dueDate: new Date(Date.now() + 4 * day).toISOString(),
    labelIds: [bug!.id, backend!.id, customer!.id, docs!.id], fields: { deal_value: 48000, tier: 'Gold', renewal: '2027-03-04', vip: true, site: 'https://acme.example/billing' },
  });
  await api.task({ title: 'Export old invoices', status: 'done', parentId: parent.id, labelIds: [backend!.id] });
  await api.task({ title: 'Import invoices', status: 'todo', parentId: parent.id, fields: { tier: 'Silver', deal_value: 1200 } });
  await api.task({ title: 'Map tax codes', status: 'todo', parentId: parent.id, assignedTo: ada.id });
  const blocker = await api.task({ title: 'Sign the provider contract', status: 'in_review', priority: 'urgent', labelIds: [customer!.id] });
  await api.relate(blocker.id, 'blocks', parent.id);
  await api.task({ title: 'Fix the date picker on Safari', status: 'todo', priority: 'medium', labelIds: [bug!.id, ui!.id] });
  await api.task({ title: 'Polish dark mode', status: 'in_progress', priority: 'low', labelIds: [ui!.id] });
}

async function ready(page: Page, tag: string, row: string): Promise<void> {
  await page.locator(`${tag} ${row}`).first().waitFor();
  await page.locator(`${tag} [part="matches"]`).filter({ hasText: 'match' }).waitFor();
}

describe('the structure on the board and the list: looks and accessibility', () => {
  let env: Awaited<ReturnType<typeof testEnv>>;
  let people: { ada: Person; bob: Person };
  beforeAll(async () => {
    env = await testEnv();
    people = await env.workspace();
    await seed(people.ada, people.bob);
    mkdirSync(SHOTS, { recursive: true });
  });

  for (const [name, width, scheme] of [['light', 1280, 'light'], ['dark', 1280, 'dark'], ['narrow', 375, 'light']] as const) {
    it(`board (${name}): no axe violations with the label menu closed, open, and a field filter; screenshots`, async () => {
      const page = await mount(env, people.ada.token, '<tb-task-board filters></tb-task-board>', { colorScheme: scheme, width });
      await ready(page, 'tb-task-board', '.card');
      expect(await axe(page, 'tb-task-board'), 'closed').toEqual([]);
      await page.locator('tb-task-board').screenshot({ path: `${SHOTS}board-${name}.png`, animations: 'disabled' });
      await page.locator('tb-task-board [part="label-filter"]').click();
      await page.locator('tb-task-board .menu-panel input').first().check();
      await expect.poll(() => page.locator('tb-task-board [part="matches"]').textContent()).toBe('2 tasks match');
      expect(await axe(page, 'tb-task-board'), 'label menu open').toEqual([]);
      await page.screenshot({ path: `${SHOTS}board-${name}-labels-open.png`, animations: 'disabled', fullPage: true });
      await page.keyboard.press('Escape');
      await page.locator('tb-task-board [part="field-filter"]').selectOption('tier');
      expect(await axe(page, 'tb-task-board'), 'field filter').toEqual([]);
      await page.locator('tb-task-board .toolbar').screenshot({ path: `${SHOTS}board-${name}-field-filter.png`, animations: 'disabled' });
      if (name === 'narrow') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await page.context().close();
    }, 60_000);

    it(`list (${name}): no axe violations with custom-field columns and filters; screenshots`, async () => {
      const page = await mount(env, people.ada.token, '<tb-task-list fields="deal_value,tier,renewal,vip,site"></tb-task-list>', { colorScheme: scheme, width });
      await ready(page, 'tb-task-list', 'tbody tr');
      expect(await axe(page, 'tb-task-list'), 'plain').toEqual([]);
      await page.locator('tb-task-list').screenshot({ path: `${SHOTS}list-${name}.png`, animations: 'disabled' });
      await page.locator('tb-task-list [part="field-filter"]').selectOption('tier');
      await page.locator('tb-task-list [part="label-filter"]').click();
      expect(await axe(page, 'tb-task-list'), 'filters open').toEqual([]);
      await page.screenshot({ path: `${SHOTS}list-${name}-filters-open.png`, animations: 'disabled', fullPage: true });
      if (name === 'narrow') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await page.context().close();
    }, 60_000);
  }
});
