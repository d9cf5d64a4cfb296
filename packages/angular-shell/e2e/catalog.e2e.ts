import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunningServer } from '@taskbase/core-api';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium, startApi } from './harness.js';
import { axeViolations, field, screenshot, type AxeViolation } from './pages.js';

// Labels, custom fields and saved views (issue 17) in the shell, on the demo workspace.
const PASSWORD = 'taskbase-demo';
const ADMIN = { email: 'admin@demo.taskbase.dev', password: PASSWORD };
const MEMBER = { email: 'member@demo.taskbase.dev', password: PASSWORD };


let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page;
let admin: TaskbaseClient;

/** The workspace's labels, fields and views, as the demo admin reads them. */
const labels = async () => (await admin.labels.list()).data;
const fields = async () => (await admin.fields.list()).data;
const views = async () => (await admin.views.list()).data;

/** The name input of a select field's option, numbered from 1 as the dialog labels it. */
function option(dialog: Locator, n: number): Locator {
  return dialog.getByRole('textbox', { name: `Option ${n}`, exact: true });
}

async function signedIn(who: { email: string; password: string }, viewport = { width: 1360, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const signedInPage = await context.newPage();
  await signedInPage.goto(`${api.url}/sign-in`);
  await field(signedInPage, 'Email').fill(who.email);
  await field(signedInPage, 'Password').fill(who.password);
  await signedInPage.getByRole('button', { name: 'Sign in', exact: true }).click();
  await signedInPage.waitForURL('**/dashboard');
  return signedInPage;
}

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi({ seedDemo: true }));
  browser = await launchChromium();
  admin = createClient({ url: api.url });
  await admin.auth.signIn(ADMIN);
  page = await signedIn(ADMIN);
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

describe('Labels, custom fields and saved views in the Angular shell (production build, demo data)', () => {
  it('creates, edits and deletes a label on /settings/labels', async () => {
    const mob = await admin.projects.get('MOB');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labels' }).click();
    await page.waitForURL('**/settings/labels');
    await page.getByRole('heading', { level: 1, name: 'Labels' }).waitFor();

    await page.getByTestId('new-label').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('label-name').fill('Customer request');
    await dialog.getByTestId('label-description').fill('Asked for by a customer');
    await dialog.getByRole('radio', { name: '#dc2626' }).click();
    await dialog.getByTestId('label-projects').click();
    await page.getByRole('option', { name: 'Mobile 2.4' }).click();
    await page.keyboard.press('Escape'); // closes the options, not the dialog
    await dialog.getByRole('button', { name: 'Create label' }).click();
    await page.getByText('Created Customer request').waitFor();
    const row = page.locator('li[data-label="Customer request"]');
    await row.getByText('Asked for by a customer').waitFor();
    await row.getByText('Mobile 2.4').waitFor();

    let label = (await labels()).find((l) => l.name === 'Customer request');
    expect(label).toMatchObject({ color: '#dc2626', description: 'Asked for by a customer', projectIds: [mob.id] });

    // Rename, and offer it in every project again.
    await row.getByRole('button', { name: 'Edit Customer request' }).click();
    await dialog.getByTestId('label-name').fill('Customer ask');
    await dialog.getByTestId('label-projects').click();
    await page.getByRole('option', { name: 'Mobile 2.4' }).click();
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved Customer ask').waitFor();
    await page.locator('li[data-label="Customer ask"]').getByText('All projects').waitFor();
    label = (await labels()).find((l) => l.id === label!.id);
    expect(label).toMatchObject({ name: 'Customer ask', projectIds: null });

    // A name in use is refused with the API's words.
    await page.getByTestId('new-label').click();
    await dialog.getByTestId('label-name').fill('customer ASK');
    await dialog.getByRole('button', { name: 'Create label' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Delete: the confirmation says what happens to its tasks.
    const task = await admin.tasks.create({ title: 'Export to CSV', projectId: mob.id, labelIds: [label!.id] });
    await page.locator('li[data-label="Customer ask"]').getByRole('button', { name: 'Delete Customer ask' }).click();
    await dialog.getByText('removed from every task that carries it').waitFor();
    await dialog.getByRole('button', { name: 'Delete label' }).click();
    await page.getByText('Deleted Customer ask').waitFor();
    await page.locator('li[data-label="Customer ask"]').waitFor({ state: 'detached' });
    expect((await labels()).some((l) => l.id === label!.id)).toBe(false);
    expect((await admin.tasks.get(task.id)).labels).toEqual([]);
  });

  it('creates a select field with two options on /settings/fields, then edits its options', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Custom fields' }).click();
    await page.waitForURL('**/settings/fields');
    await page.getByRole('heading', { level: 1, name: 'Custom fields' }).waitFor();

    await page.getByTestId('new-field').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('field-name').fill('Release train');
    await expect.poll(() => dialog.getByTestId('field-key').inputValue()).toBe('release_train');
    await dialog.getByTestId('field-type').click();
    await page.getByRole('option', { name: 'Single select' }).click();
    // A select starts with two empty options.
    await option(dialog, 1).fill('Spring');
    await option(dialog, 2).fill('Autumn');
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await page.getByText('Created Release train').waitFor();
    const row = page.locator('li[data-field="release_train"]');
    await row.getByText('Single select').waitFor();
    await row.getByText('Autumn').waitFor();

    let made = (await fields()).find((f) => f.key === 'release_train');
    expect(made).toMatchObject({ name: 'Release train', type: 'select', projectIds: null });
    expect(made!.options.map((o) => o.name)).toEqual(['Spring', 'Autumn']);
    const springId = made!.options[0]!.id;

    // Edit: key and type are fixed; add an option, move it first, rename one (its id stays), remove one.
    await row.getByRole('button', { name: 'Edit Release train' }).click();
    expect(await dialog.getByTestId('field-key').isDisabled()).toBe(true);
    await dialog.getByText('Removing an option clears it').waitFor();
    await dialog.getByTestId('add-option').click();
    await option(dialog, 3).fill('Winter');
    await dialog.getByRole('button', { name: 'Move option 3 up' }).click();
    await dialog.getByRole('button', { name: 'Move option 2 up' }).click();
    await expect.poll(() => option(dialog, 1).inputValue()).toBe('Winter');
    await option(dialog, 2).fill('Spring 2027');
    await dialog.getByRole('button', { name: 'Remove option 3' }).click(); // Autumn
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved Release train').waitFor();
    made = (await fields()).find((f) => f.key === 'release_train');
    expect(made!.options.map((o) => o.name)).toEqual(['Winter', 'Spring 2027']);
    expect(made!.options[1]!.id).toBe(springId);

    // A second field, then reorder: it moves above the first.
    await page.getByTestId('new-field').click();
    await dialog.getByTestId('field-name').fill('Story points');
    await dialog.getByTestId('field-type').click();
    await page.getByRole('option', { name: 'Number' }).click();
    await dialog.getByRole('button', { name: 'Create field' }).click();
    await page.locator('li[data-field="story_points"]').waitFor();
    await page.getByRole('button', { name: 'Move Story points up' }).click();
    await expect.poll(async () => (await fields()).map((f) => f.key)).toEqual(['story_points', 'release_train']);
    expect(await page.locator('li[data-field]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual(['story_points', 'release_train']);

    // Delete: the confirmation says values go from every task.
    await page.getByRole('button', { name: 'Delete Story points' }).click();
    await dialog.getByText('Its values are removed from every task').waitFor();
    await dialog.getByRole('button', { name: 'Delete field' }).click();
    await page.locator('li[data-field="story_points"]').waitFor({ state: 'detached' });
    expect((await fields()).map((f) => f.key)).toEqual(['release_train']);
  });

  it('a member sees the labels and fields read-only', async () => {
    await admin.labels.create({ name: 'Read me', color: '#16a34a' });
    const member = await signedIn(MEMBER);
    await member.goto(`${api.url}/settings/labels`);
    await member.locator('li[data-label="Read me"]').waitFor();
    await member.getByText('Managers and admins change them.').waitFor();
    expect(await member.getByTestId('new-label').count()).toBe(0);
    expect(await member.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);

    await member.goto(`${api.url}/settings/fields`);
    await member.locator('li[data-field="release_train"]').waitFor();
    expect(await member.getByTestId('new-field').count()).toBe(0);
    expect(await member.getByRole('button', { name: /^(Edit|Delete|Move) / }).count()).toBe(0);
    // The admin area stays closed to members.
    expect(await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).count()).toBe(0);
  });

  it('saves a board view with its filters, opens it from the side nav, renames and deletes it', async () => {
    await page.goto(`${api.url}/p/GEN/board`);
    const board = page.locator('tb-task-board');
    await board.getByRole('combobox', { name: 'Priority', exact: true }).selectOption('high');
    await expect.poll(() => board.evaluate((el) => (el as unknown as { priority: string }).priority)).toBe('high');
    await page.getByTestId('save-view').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('view-summary').getByText('Board of General').waitFor();
    await dialog.getByTestId('view-summary').getByText('Priority: high').waitFor();
    await dialog.getByTestId('view-name').fill('Hot on General');
    await dialog.getByTestId('view-shared').click();
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await page.waitForURL(/\/views\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Hot on General' }).waitFor();

    const gen = await admin.projects.get('GEN');
    const view = (await views()).find((v) => v.name === 'Hot on General')!;
    expect(view).toMatchObject({ layout: 'board', shared: true, projectId: gen.id, query: 'priority=high' });
    await expect.poll(() => page.locator('tb-task-board').getAttribute('view')).toBe(String(view.id));
    expect(await page.locator('tb-task-board').getAttribute('project')).toBe('GEN');

    // From the side nav, after another page.
    const nav = page.getByTestId('saved-views');
    await page.goto(`${api.url}/dashboard`);
    await nav.getByRole('link', { name: /Hot on General/ }).click();
    await page.waitForURL(`**/views/${view.id}`);
    expect(await nav.getByRole('link', { name: /Hot on General/ }).getAttribute('aria-current')).toBe('page');

    // A list view saves its sort and status too.
    await page.goto(`${api.url}/p/MOB/list`);
    await page.locator('tb-task-list').getByRole('combobox', { name: 'Priority', exact: true }).selectOption('urgent');
    await page.getByTestId('save-view').click();
    await dialog.getByTestId('view-name').fill('Urgent mobile');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('heading', { level: 1, name: 'Urgent mobile' }).waitFor();
    const listView = (await views()).find((v) => v.name === 'Urgent mobile')!;
    expect(listView).toMatchObject({ layout: 'list', shared: false, query: 'priority=urgent' });
    await page.locator('tb-task-list').waitFor();

    // The member sees the shared view, not the private one.
    const member = await signedIn(MEMBER);
    await member.getByTestId('saved-views').getByRole('link', { name: /Hot on General/ }).waitFor();
    expect(await member.getByTestId('saved-views').getByRole('link', { name: /Urgent mobile/ }).count()).toBe(0);

    // Rename from the nav item's menu.
    await nav.getByRole('button', { name: 'Actions for the view Hot on General' }).click();
    await page.getByRole('menuitem', { name: 'Rename or share…' }).click();
    await dialog.getByTestId('view-name').fill('Hot on GEN');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await nav.getByRole('link', { name: /Hot on GEN/ }).waitFor();
    expect((await views()).find((v) => v.id === view.id)?.name).toBe('Hot on GEN');

    // Delete the view being shown: the page leaves it.
    await nav.getByRole('button', { name: 'Actions for the view Urgent mobile' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await dialog.getByRole('button', { name: 'Delete view' }).click();
    await page.waitForURL('**/dashboard');
    await nav.getByRole('link', { name: /Urgent mobile/ }).waitFor({ state: 'detached' });
    expect((await views()).some((v) => v.id === listView.id)).toBe(false);

    await page.goto(`${api.url}/views/999999`);
    await page.getByTestId('view-missing').waitFor();
  });

  it('the new pages: screenshots in light, dark and narrow, and no axe-core violation', async () => {
    // Long names and descriptions, to see how they wrap.
    await admin.labels.create({ name: 'Needs design review before the release', color: '#7c3aed', description: 'A long description that should wrap rather than push the actions off the row: '.repeat(3).trim() });
    await admin.labels.create({ name: 'Bug', color: '#dc2626', description: 'Something is broken', projectIds: [(await admin.projects.get('MOB')).id] });
    await admin.fields.create({ key: 'customer_tier', name: 'Customer tier', type: 'multi_select', description: 'Which plans asked for it', options: [{ name: 'Free' }, { name: 'Team', color: '#2563eb' }, { name: 'Enterprise', color: '#ca8a04' }] });
    const shown = await admin.views.create({ name: 'High priority, shared with the whole workspace for the weekly review', layout: 'board', query: 'priority=high', shared: true });
    const found: Record<string, AxeViolation[]> = {};
    const shots: string[] = [];
    const pages: { name: string; path: string; ready: (p: Page) => Promise<void> }[] = [
      { name: 'labels', path: '/settings/labels', ready: (p) => p.locator('li[data-label="Bug"]').waitFor() },
      { name: 'fields', path: '/settings/fields', ready: (p) => p.locator('li[data-field="customer_tier"]').waitFor() },
      { name: 'view', path: `/views/${shown.id}`, ready: (p) => p.locator('tb-task-board').waitFor() },
    ];
    for (const entry of pages) {
      for (const mode of ['light', 'dark', 'narrow'] as const) {
        await page.emulateMedia({ colorScheme: mode === 'dark' ? 'dark' : 'light' });
        await page.setViewportSize(mode === 'narrow' ? { width: 375, height: 812 } : { width: 1360, height: 900 });
        await page.goto(`${api.url}${entry.path}`);
        await entry.ready(page);
        await page.waitForLoadState('networkidle');
        shots.push(await screenshot(page, `catalog-${entry.name}-${mode}`));
        if (mode === 'narrow') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${entry.name} fits 375px`).toBeLessThanOrEqual(375);
        } else {
          const violations = await axeViolations(page);
          if (violations.length) found[`${entry.name} (${mode})`] = violations;
        }
      }
    }
    // The dialogs.
    await page.setViewportSize({ width: 1360, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    const dialogs: { name: string; open: (p: Page) => Promise<void> }[] = [
      { name: 'label-dialog', open: async (p) => { await p.goto(`${api.url}/settings/labels`); await p.getByTestId('new-label').click(); await p.getByRole('dialog').getByTestId('label-name').fill('Performance'); } },
      { name: 'field-dialog', open: async (p) => { await p.goto(`${api.url}/settings/fields`); await p.getByRole('button', { name: 'Edit Customer tier' }).click(); await p.getByRole('dialog').getByTestId('field-options').waitFor(); } },
      { name: 'view-dialog', open: async (p) => { await p.goto(`${api.url}/p/GEN/list`); await p.locator('tb-task-list').waitFor(); await p.getByTestId('save-view').click(); await p.getByRole('dialog').getByTestId('view-name').waitFor(); } },
    ];
    for (const entry of dialogs) {
      for (const mode of ['light', 'narrow'] as const) {
        await page.setViewportSize(mode === 'narrow' ? { width: 375, height: 812 } : { width: 1360, height: 900 });
        await entry.open(page);
        await page.waitForTimeout(300); // the dialog's opening animation
        shots.push(await screenshot(page, `catalog-${entry.name}-${mode}`));
        if (mode === 'light') {
          const violations = await axeViolations(page);
          if (violations.length) found[entry.name] = violations;
        }
        await page.keyboard.press('Escape');
      }
    }
    writeFileSync(join(ARTIFACTS, 'axe-violations-catalog.json'), JSON.stringify(found, null, 2));
    // Copies for review outside the repository (SHOTS_DIR=/tmp/shots17).
    if (process.env.SHOTS_DIR) {
      mkdirSync(process.env.SHOTS_DIR, { recursive: true });
      for (const shot of shots) copyFileSync(shot, join(process.env.SHOTS_DIR, `shell-${basename(shot).replace(/^catalog-/, '')}`));
    }
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
    expect(found).toEqual({});
  });
});
