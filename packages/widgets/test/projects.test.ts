import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testEnv, type Person } from './support/env.js';
import { axe, columnTitles, mount } from './support/page.js';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/widgets/', import.meta.url));

const SALES = [
  { key: 'lead', name: 'Lead', color: '#0e7490', category: 'backlog' },
  { key: 'qualified', name: 'Qualified', color: '#7c3aed', category: 'unstarted' },
  { key: 'negotiation', name: 'Negotiation', color: '#c2410c', category: 'started' },
  { key: 'won', name: 'Won', color: '#15803d', category: 'completed' },
  { key: 'lost', name: 'Lost', color: '#b91c1c', category: 'canceled' },
] as const;

/** A CRM project with a sales workflow, a few deals in it, and one task in the default project. */
async function seedCrm(ada: Person, bob: Person) {
  const crm = await ada.client.projects.create({ name: 'Customer deals', key: 'CRM', color: '#0e7490', statuses: [...SALES] });
  const day = 86_400_000;
  const deals = [
    ['Acme renewal', 'lead', 'high', bob.id, 4],
    ['Globex pilot', 'qualified', 'medium', ada.id, 10],
    ['Initech expansion', 'negotiation', 'urgent', bob.id, -1],
    ['Umbrella upsell', 'negotiation', 'low', null, null],
    ['Stark onboarding', 'won', 'medium', ada.id, null],
  ] as const;
  for (const [title, status, priority, assignedTo, due] of deals) {
    await ada.client.tasks.create({ title, status, priority, assignedTo, projectId: crm.id, dueDate: due === null ? null : new Date(Date.now() + due * day).toISOString() });
  }
  await ada.client.tasks.create({ title: 'Fix the login bug', status: 'in_progress', priority: 'urgent' });
  return crm;
}

/** Until the element's realtime connection is open. */
async function live(page: Page, tag: string): Promise<void> {
  await page.waitForFunction((t) => (document.querySelector(t) as unknown as { connection: string } | null)?.connection === 'open', tag);
}

const columnNames = (page: Page, scope = 'tb-task-board') => page.locator(`${scope} [part="column-title"]`).allTextContents();

describe('projects and their workflows', () => {
  it('tb-task-board project="CRM" shows that workflow\'s columns in order, only its tasks, with identifiers; new tasks go into it', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const crm = await seedCrm(ada, bob);
    const page = await mount(env, ada.token, '<tb-task-board project="CRM"></tb-task-board>');
    await expect.poll(() => columnNames(page), { timeout: 15_000 }).toEqual(['Lead', 'Qualified', 'Negotiation', 'Won', 'Lost']);
    await expect.poll(() => columnTitles(page, 'negotiation')).toEqual(['Initech expansion', 'Umbrella upsell']);
    expect(await page.locator('tb-task-board .card-title').allTextContents()).not.toContain('Fix the login bug');
    const ids = await page.locator('tb-task-board .card-id').allTextContents();
    expect(ids.sort()).toEqual(['CRM-1', 'CRM-2', 'CRM-3', 'CRM-4', 'CRM-5']);
    // Column colours come from the workflow.
    const dot = await page.locator('tb-task-board .column[data-status="won"] .dot').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(dot).toBe('rgb(21, 128, 61)');
    // WIP counts from GET /api/tasks/counts?project=CRM.
    expect(await page.locator('tb-task-board .column[data-status="negotiation"] .count').textContent()).toBe('2');

    await page.locator('tb-task-board .column[data-status="lost"] .add').click();
    await page.locator('tb-task-board .add-form input').fill('Hooli, went elsewhere');
    await page.locator('tb-task-board .add-form input').press('Enter');
    await expect.poll(() => columnTitles(page, 'lost')).toEqual(['Hooli, went elsewhere']);
    const { data } = await ada.client.tasks.list({ q: 'Hooli' });
    expect(data.map((t) => [t.projectId, t.status, t.identifier])).toEqual([[crm.id, 'lost', 'CRM-6']]);
    await page.context().close();
   }, 90_000);

  it('without a project the board shows the default project; the provider\'s project is inherited', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await seedCrm(ada, bob);
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await expect.poll(() => columnNames(page), { timeout: 15_000 }).toEqual(['To do', 'In progress', 'In review', 'Done']);
    await expect.poll(() => columnTitles(page, 'in_progress')).toEqual(['Fix the login bug']);
    expect(await page.locator('tb-task-board .card-title').allTextContents()).toEqual(['Fix the login bug']);
    await page.evaluate(() => document.querySelector('tb-provider')!.setAttribute('project', 'CRM'));
    await expect.poll(() => columnNames(page), { timeout: 15_000 }).toEqual(['Lead', 'Qualified', 'Negotiation', 'Won', 'Lost']);
    await page.context().close();
  });

  it('follows the workflow live: a status added through the API appears as a column without reload; a task moved away leaves', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const crm = await seedCrm(ada, bob);
    const page = await mount(env, ada.token, '<tb-task-board project="CRM"></tb-task-board>');
    await expect.poll(() => columnNames(page), { timeout: 15_000 }).toEqual(['Lead', 'Qualified', 'Negotiation', 'Won', 'Lost']);
    await live(page, 'tb-task-board');

    await bob.client.projects.addStatus('CRM', { key: 'proposal', name: 'Proposal sent', category: 'started', color: '#a16207' }).catch(async () => {
      // Bob (a member) may not edit the workflow: the admin does it then; the board must follow either way.
      await ada.client.projects.addStatus('CRM', { key: 'proposal', name: 'Proposal sent', category: 'started', color: '#a16207' });
    });
    await expect.poll(() => columnNames(page), { timeout: 3000 }).toEqual(['Lead', 'Qualified', 'Negotiation', 'Won', 'Lost', 'Proposal sent']);
    await ada.client.projects.reorderStatuses('CRM', ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    await expect.poll(() => columnNames(page), { timeout: 3000 }).toEqual(['Lead', 'Qualified', 'Proposal sent', 'Negotiation', 'Won', 'Lost']);
    await ada.client.projects.updateStatus('CRM', 'won', { name: 'Closed won' });
    await expect.poll(() => columnNames(page), { timeout: 3000 }).toContain('Closed won');

    // A task moved to another project leaves this board.
    const { data } = await ada.client.tasks.list({ project: String(crm.id), q: 'Umbrella' });
    const defaultProject = (await ada.client.projects.list()).data.find((p) => p.isDefault)!;
    await ada.client.tasks.update(data[0]!.id, { projectId: defaultProject.id });
    await expect.poll(() => columnTitles(page, 'negotiation'), { timeout: 3000 }).toEqual(['Initech expansion']);
    await page.context().close();
  });

  it('an embed token limited to one project: the board shows that project, the picker lists only it, new tasks go there', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const crm = await seedCrm(ada, bob);
    const { key } = await ada.client.apiKeys.create({ name: 'Deals', allowedOrigins: [env.origin] });
    const { accessToken } = await ada.client.auth.embedToken(key, { externalId: `rep-${Date.now()}`, name: 'Sales Rep', role: 'member', projects: ['CRM'] });
    const page = await mount(env, accessToken, '<tb-project-picker></tb-project-picker><tb-task-board></tb-task-board>');
    await expect.poll(() => columnNames(page), { timeout: 15_000 }).toEqual(['Lead', 'Qualified', 'Negotiation', 'Won', 'Lost']);
    await expect.poll(() => columnTitles(page, 'negotiation')).toEqual(['Initech expansion', 'Umbrella upsell']);
    await page.locator('tb-project-picker [role="combobox"]').click();
    expect(await page.locator('tb-project-picker [role="option"] .key').allTextContents()).toEqual(['CRM']);
    await page.keyboard.press('Escape');
    await page.locator('tb-task-board .column[data-status="lead"] .add').click();
    await page.locator('tb-task-board .add-form input').fill('Wayne Enterprises intro');
    await page.locator('tb-task-board .add-form input').press('Enter');
    await expect.poll(() => columnTitles(page, 'lead')).toEqual(['Acme renewal', 'Wayne Enterprises intro']);
    const { data } = await ada.client.tasks.list({ q: 'Wayne' });
    expect(data.map((t) => t.projectId)).toEqual([crm.id]);
    await page.context().close();
   }, 90_000);

  it('tb-task-list without a project lists every project\'s tasks with identifier and project key, labels from each workflow', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await seedCrm(ada, bob);
    const page = await mount(env, ada.token, '<tb-task-list></tb-task-list>');
    const row = page.locator('tb-task-list tbody tr', { hasText: 'Initech expansion' });
    await row.waitFor();
    expect(await row.locator('.t-id').textContent()).toBe('CRM-3');
    expect(await row.locator('.t-project').textContent()).toBe('CRM');
    expect(await row.locator('.status').textContent()).toBe('Negotiation');
    expect(await page.locator('tb-task-list tbody tr', { hasText: 'Fix the login bug' }).locator('.status').textContent()).toBe('In progress');
    // With a project: only its tasks, no project column.
    await page.evaluate(() => document.querySelector('tb-task-list')!.setAttribute('project', 'CRM'));
    await expect.poll(() => page.locator('tb-task-list tbody tr').count()).toBe(5);
    expect(await page.locator('tb-task-list .t-project').count()).toBe(0);
    await page.context().close();
  });

  it('tb-project-picker: keyboard selection fires tb-project-change and sets value; search filters above eight projects', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await seedCrm(ada, bob);
    await ada.client.projects.create({ name: 'Website relaunch', key: 'WEB', color: '#a21caf' });
    const page = await mount(env, ada.token, '<tb-project-picker></tb-project-picker>');
    await page.evaluate(() => {
      document.addEventListener('tb-project-change', (e) => {
        (window as unknown as { picked: string[] }).picked ??= [];
        (window as unknown as { picked: string[] }).picked.push((e as CustomEvent<{ project: { key: string } }>).detail.project.key);
      });
    });
    const combo = page.locator('tb-project-picker [role="combobox"]');
    await combo.waitFor();
    expect(await combo.getAttribute('aria-expanded')).toBe('false');
    await combo.focus();
    await page.keyboard.press('ArrowDown');
    expect(await combo.getAttribute('aria-expanded')).toBe('true');
    const options = page.locator('tb-project-picker [role="option"]');
    expect(await options.count()).toBe(3);
    // The default project is the chosen one to start with.
    const activeText = async () => page.locator(`tb-project-picker #${await combo.getAttribute('aria-activedescendant')}`).textContent();
    expect(await activeText()).toContain('GEN');
    await page.keyboard.press('End');
    expect(await activeText()).toContain('WEB');
    await page.keyboard.press('Enter');
    expect(await combo.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => (window as unknown as { picked: string[] }).picked)).toEqual(['WEB']);
    expect(await page.locator('tb-project-picker').getAttribute('value')).toBe('WEB');
    // Type-ahead while closed opens on the match.
    await page.keyboard.press('c');
    expect(await activeText()).toContain('CRM');
    await page.keyboard.press('Escape');
    expect(await combo.getAttribute('aria-expanded')).toBe('false');
    expect(await axe(page, 'tb-provider')).toEqual([]);
    await page.context().close();

    // Nine projects or more: an editable combobox that filters as you type.
    for (let i = 1; i <= 7; i++) await ada.client.projects.create({ name: `Team ${i} roadmap`, key: `T${i}` });
    const page2 = await mount(env, ada.token, '<tb-project-picker value="CRM"></tb-project-picker>');
    await page2.evaluate(() => document.addEventListener('tb-project-change', (e) => ((window as unknown as { picked: string }).picked = (e as CustomEvent<{ project: { key: string } }>).detail.project.key)));
    const input = page2.locator('tb-project-picker input[role="combobox"]');
    await input.waitFor();
    expect(await input.getAttribute('aria-autocomplete')).toBe('list');
    await input.focus();
    await page2.keyboard.type('websi');
    await expect.poll(() => page2.locator('tb-project-picker [role="option"]').allTextContents()).toHaveLength(1);
    await page2.keyboard.press('Enter');
    expect(await page2.evaluate(() => (window as unknown as { picked: string }).picked)).toBe('WEB');
    expect(await axe(page2, 'tb-provider')).toEqual([]);
    await page2.context().close();
  });

  it('screenshots: the board with a custom workflow (light, dark, 390px) and the picker open', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    await seedCrm(ada, bob);
    mkdirSync(ARTIFACTS, { recursive: true });
    const html = '<div style="display:grid;gap:12px"><tb-project-picker value="CRM"></tb-project-picker><tb-task-board project="CRM" filters></tb-task-board></div>';
    for (const [name, options] of [
      ['light', { colorScheme: 'light' as const }],
      ['dark', { colorScheme: 'dark' as const }],
      ['narrow', { colorScheme: 'light' as const, width: 390 }],
    ] as const) {
      const page = await mount(env, ada.token, html, options);
      await page.locator('tb-task-board .card-id').first().waitFor();
      await expect.poll(() => columnNames(page), { timeout: 15_000 }).toHaveLength(5);
      await page.screenshot({ path: `${ARTIFACTS}project-board-${name}.png`, fullPage: true, animations: 'disabled' });
      const violations = await axe(page, 'tb-provider');
      expect(violations, name).toEqual([]);
      await page.locator('tb-project-picker [role="combobox"]').click();
      await page.locator('tb-project-picker [role="listbox"]').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}project-picker-${name}.png`, clip: { x: 0, y: 0, width: options.width ?? 1280, height: 360 }, animations: 'disabled' });
      expect(await axe(page, 'tb-provider'), `${name}, picker open`).toEqual([]);
      await page.context().close();
    }
    // The searchable picker (nine projects or more), filtering.
    for (let i = 1; i <= 8; i++) await ada.client.projects.create({ name: `Team ${i} roadmap`, key: `T${i}`, color: ['#2563eb', '#9333ea', '#c2410c', '#0e7490'][i % 4], visibility: i === 2 ? 'private' : 'workspace' });
    const page = await mount(env, ada.token, '<tb-project-picker value="CRM"></tb-project-picker>');
    const input = page.locator('tb-project-picker input[role="combobox"]');
    await input.click();
    await page.keyboard.type('team');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: `${ARTIFACTS}project-picker-search.png`, clip: { x: 0, y: 0, width: 600, height: 420 }, animations: 'disabled' });
    expect(await axe(page, 'tb-provider')).toEqual([]);
    await page.context().close();
  }, 120_000);
});
