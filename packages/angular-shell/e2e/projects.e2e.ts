import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '@taskbase/core-api';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium, startApi } from './harness.js';
import { axeViolations, field, screenshot, type AxeViolation } from './pages.js';

// Projects with their own workflows (issue 16), on the demo workspace: GEN (default), MOB, BIL.
const DEMO = { email: 'admin@demo.taskbase.dev', password: 'taskbase-demo' };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: TaskbaseClient;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi({ seedDemo: true }));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  admin = createClient({ url: api.url });
  await admin.auth.signIn(DEMO);
  await page.goto(`${api.url}/sign-in`);
  await field(page, 'Email').fill(DEMO.email);
  await field(page, 'Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

/** The keys of a project's workflow, in board order, as the API has them. */
async function workflow(key: string): Promise<string[]> {
  return (await admin.projects.statuses(key)).map((status) => status.key);
}

describe('Projects in the Angular shell (production build, demo data)', () => {
  it('the side nav lists the projects; /board goes to the default project; the switcher changes project', async () => {
    const switcher = page.getByTestId('project-switcher');
    for (const name of [/^General\s+GEN$/, /^Mobile 2\.4\s+MOB$/, /^Billing v2\s+BIL$/]) await switcher.getByRole('link', { name }).waitFor();

    await page.goto(`${api.url}/board`);
    await page.waitForURL('**/p/GEN/board');
    await expect.poll(() => page.locator('tb-task-board').getAttribute('project')).toBe('GEN');
    expect(await switcher.getByRole('link', { name: /^General\s+GEN$/ }).getAttribute('aria-current')).toBe('true');

    await switcher.getByRole('link', { name: /^Mobile 2\.4\s+MOB$/ }).click();
    await page.waitForURL('**/p/MOB/board');
    await page.getByRole('heading', { name: 'Mobile 2.4 board' }).waitFor();
    await expect.poll(() => page.locator('tb-task-board').getAttribute('project')).toBe('MOB');
    expect(await switcher.getByRole('link', { name: /^Mobile 2\.4\s+MOB$/ }).getAttribute('aria-current')).toBe('true');
    expect(await switcher.getByRole('link', { name: /^General\s+GEN$/ }).getAttribute('aria-current')).toBeNull();

    // Board and Tasks in the main nav follow the project; /list too.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.waitForURL('**/p/MOB/list');
    await expect.poll(() => page.locator('tb-task-list').getAttribute('project')).toBe('MOB');
    await page.goto(`${api.url}/list`);
    await page.waitForURL('**/p/GEN/list'); // a fresh page: the default project again

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All projects' }).click();
    await page.waitForURL('**/projects');
    await page.getByRole('heading', { level: 1, name: 'Projects', exact: true }).waitFor();
  });

  it('/tasks/<identifier> opens the task; an id or a lower-case identifier shows the identifier in the address', async () => {
    const { data } = await admin.tasks.list({ project: 'MOB', limit: 1 });
    const task = data[0]!;
    expect(task.identifier).toMatch(/^MOB-\d+$/);
    await page.goto(`${api.url}/tasks/${task.identifier}`);
    await page.getByRole('heading', { name: `Task ${task.identifier}` }).waitFor();
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe(task.title);
    await page.getByRole('link', { name: 'MOB board' }).waitFor();

    await page.goto(`${api.url}/tasks/${task.id}`);
    await page.waitForURL(`**/tasks/${task.identifier}`);
    await page.goto(`${api.url}/tasks/${task.identifier.toLowerCase()}`);
    await page.waitForURL(`**/tasks/${task.identifier}`);

    await page.goto(`${api.url}/tasks/NOPE-999`);
    await page.getByRole('alert').getByText('There is no task with this address').waitFor();

    // The list links by identifier.
    await page.goto(`${api.url}/p/MOB/list`);
    await page.locator('tb-task-list').getByText(task.title).first().click();
    await page.waitForURL(/\/tasks\/MOB-\d+$/);
  });

  it('creates a project (key suggested from the name, editable), then archives, restores and deletes projects', async () => {
    await page.goto(`${api.url}/projects`);
    await page.getByTestId('new-project').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('project-name').fill('Data Platform');
    await expect.poll(() => dialog.getByTestId('project-key').inputValue()).toBe('DP');
    await dialog.getByTestId('project-key').fill('data');
    await expect.poll(() => dialog.getByTestId('project-key').inputValue()).toBe('DATA');
    await dialog.getByTestId('project-name').fill('Data Platform team'); // an edited key stays
    expect(await dialog.getByTestId('project-key').inputValue()).toBe('DATA');
    await field(dialog, 'Description').fill('Pipelines and the warehouse');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL('**/p/DATA/settings');
    await page.getByTestId('project-switcher').getByRole('link', { name: /^Data Platform team\s+DATA$/ }).waitFor();
    expect((await admin.projects.get('DATA')).description).toBe('Pipelines and the warehouse');

    // A key in use is refused with the API's words.
    await page.goto(`${api.url}/projects`);
    await page.getByTestId('new-project').click();
    await page.getByRole('dialog').getByTestId('project-name').fill('Mobile');
    await page.getByRole('dialog').getByTestId('project-key').fill('MOB');
    await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('dialog').getByRole('alert').getByText(/key is already used by another project/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // Archive, find it under "Archived", restore.
    await page.getByRole('button', { name: 'More actions for Data Platform team' }).click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived Data Platform team').waitFor();
    await page.locator('li[data-key="DATA"]').waitFor({ state: 'detached' });
    await page.getByTestId('project-switcher').getByRole('link', { name: /^Data Platform team\s+DATA$/ }).waitFor({ state: 'detached' });
    expect((await admin.projects.get('DATA')).archivedAt).not.toBeNull();
    await page.getByRole('radio', { name: 'Archived' }).or(page.getByRole('button', { name: 'Archived' })).first().click();
    await page.locator('li[data-key="DATA"]').waitFor();
    await page.getByRole('button', { name: 'More actions for Data Platform team' }).click();
    await page.getByRole('menuitem', { name: 'Restore' }).click();
    await page.getByText('Restored Data Platform team').waitFor();
    expect((await admin.projects.get('DATA')).archivedAt).toBeNull();

    // Search.
    await page.getByRole('radio', { name: 'Active' }).or(page.getByRole('button', { name: 'Active' })).first().click();
    await page.getByTestId('project-search').fill('billing');
    await page.locator('li[data-key="BIL"]').waitFor();
    await expect.poll(() => page.locator('li[data-key]').count()).toBe(1);
    await page.getByTestId('project-search').fill('zzz');
    await page.getByTestId('projects-empty').getByText('No active project matches').waitFor();
    await page.getByTestId('project-search').fill('');

    // Delete: an empty project goes; one with tasks is archived instead, and the page says so.
    await admin.tasks.create({ title: 'Load the warehouse', projectId: (await admin.projects.get('DATA')).id });
    await page.getByRole('button', { name: 'More actions for Data Platform team' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByText('One that holds tasks is archived instead').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Data Platform team holds tasks, so it was archived instead').waitFor();
    expect((await admin.projects.get('DATA')).archivedAt).not.toBeNull();

    await admin.projects.create({ name: 'Scratch', key: 'TMP' });
    await page.reload();
    await page.getByRole('button', { name: 'More actions for Scratch' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted Scratch').waitFor();
    await expect(admin.projects.get('TMP')).rejects.toThrow();
  });

  it('manages the members of a private project', async () => {
    const project = await admin.projects.create({ name: 'Secret plans', key: 'SEC', visibility: 'private' });
    await page.goto(`${api.url}/projects`);
    await page.getByRole('button', { name: 'More actions for Secret plans' }).click();
    await page.getByRole('menuitem', { name: 'Members' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Only these people and the workspace').waitFor();
    const before = (await admin.projects.members(project.id)).length;
    await dialog.getByTestId('member-select').click();
    const option = page.getByRole('option').first();
    const name = (await option.textContent())!.trim();
    await option.click();
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('button', { name: `Remove ${name}` }).waitFor();
    expect((await admin.projects.members(project.id)).length).toBe(before + 1);
    await dialog.getByRole('button', { name: `Remove ${name}` }).click();
    await dialog.getByRole('button', { name: `Remove ${name}` }).waitFor({ state: 'detached' });
    expect((await admin.projects.members(project.id)).length).toBe(before);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('the workflow editor adds, renames, reorders by keyboard and removes a status, moving its tasks', async () => {
    const project = await admin.projects.create({ name: 'Workflow lab', key: 'WF' });
    const task = await admin.tasks.create({ title: 'Waiting for review', projectId: project.id, status: 'in_review' });
    expect(await workflow('WF')).toEqual(['todo', 'in_progress', 'in_review', 'done']);
    await page.goto(`${api.url}/p/WF/settings`);
    const editor = page.getByTestId('workflow');
    await editor.locator('[data-status="done"]').waitFor();

    // Add: the key follows the name.
    await page.getByTestId('status-name').fill('QA check');
    await expect.poll(() => page.getByTestId('status-key').inputValue()).toBe('qa_check');
    await page.getByRole('button', { name: 'Add status' }).click();
    await editor.locator('[data-status="qa_check"]').waitFor();
    await expect.poll(() => workflow('WF')).toEqual(['todo', 'in_progress', 'in_review', 'done', 'qa_check']);

    // Rename.
    const name = page.getByRole('textbox', { name: 'Name of status in_progress' });
    await name.fill('Doing');
    await name.press('Enter');
    await expect.poll(async () => (await admin.projects.statuses('WF')).find((s) => s.key === 'in_progress')?.name).toBe('Doing');

    // Reorder with the keyboard: Alt+↑ on the handle, twice; the focus stays on it.
    const handle = editor.locator('[data-status="qa_check"] [data-focus="handle"]');
    await handle.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => workflow('WF')).toEqual(['todo', 'in_progress', 'in_review', 'qa_check', 'done']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-status]')?.getAttribute('data-status'))).toBe('qa_check');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => workflow('WF')).toEqual(['todo', 'in_progress', 'qa_check', 'in_review', 'done']);
    // …and with the move buttons.
    await page.getByRole('button', { name: 'Move QA check down' }).click();
    await expect.poll(() => workflow('WF')).toEqual(['todo', 'in_progress', 'in_review', 'qa_check', 'done']);
    expect(await editor.locator('[data-status]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))
      .toEqual(['todo', 'in_progress', 'in_review', 'qa_check', 'done']);

    // Remove a status that holds a task: the API answers 409 status_in_use, the page asks where its tasks go.
    await page.getByRole('button', { name: 'Remove In review' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Some tasks are in this status').waitFor();
    await dialog.getByTestId('move-to').click();
    await page.getByRole('option', { name: 'QA check' }).click();
    await dialog.getByRole('button', { name: 'Move tasks and remove' }).click();
    await page.getByText('Removed In review; its tasks moved to QA check').waitFor();
    await editor.locator('[data-status="in_review"]').waitFor({ state: 'detached' });
    expect(await workflow('WF')).toEqual(['todo', 'in_progress', 'qa_check', 'done']);
    expect((await admin.tasks.get(task.id)).status).toBe('qa_check');

    // An empty status goes at once.
    await page.getByRole('button', { name: 'Remove Done' }).click();
    await editor.locator('[data-status="done"]').waitFor({ state: 'detached' });
    expect(await workflow('WF')).toEqual(['todo', 'in_progress', 'qa_check']);

    // The API's refusal reads in the page: a key that exists.
    await page.getByTestId('status-name').fill('To do again');
    await page.getByTestId('status-key').fill('todo');
    await page.getByRole('button', { name: 'Add status' }).click();
    await page.getByRole('alert').filter({ hasText: /todo|exists|already/i }).first().waitFor();
  });

  it('every new page: screenshots in light, dark and narrow, and no axe-core violation', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const shots: string[] = [];
    const pages: { name: string; path: string; ready: (p: Page) => Promise<void> }[] = [
      { name: 'projects', path: '/projects', ready: (p) => p.locator('li[data-key="MOB"]').waitFor() },
      { name: 'project-settings', path: '/p/MOB/settings', ready: (p) => p.getByTestId('workflow').locator('[data-status]').first().waitFor() },
      { name: 'project-board', path: '/p/MOB/board', ready: (p) => p.locator('tb-task-board').waitFor() },
      { name: 'project-list', path: '/p/MOB/list', ready: (p) => p.locator('tb-task-list').waitFor() },
    ];
    for (const entry of pages) {
      for (const mode of ['light', 'dark', 'narrow'] as const) {
        await page.emulateMedia({ colorScheme: mode === 'dark' ? 'dark' : 'light' });
        await page.setViewportSize(mode === 'narrow' ? { width: 390, height: 844 } : { width: 1360, height: 900 });
        await page.goto(`${api.url}${entry.path}`);
        await entry.ready(page);
        await page.waitForLoadState('networkidle');
        shots.push(await screenshot(page, `${entry.name}-${mode}`));
        if (mode === 'narrow') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${entry.name} fits 390px`).toBeLessThanOrEqual(390);
        } else {
          const violations = await axeViolations(page);
          if (violations.length) found[`${entry.name} (${mode})`] = violations;
        }
      }
    }
    // The create dialog too.
    await page.setViewportSize({ width: 1360, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${api.url}/projects`);
    await page.getByTestId('new-project').click();
    await page.getByRole('dialog').getByTestId('project-name').fill('Customer portal');
    shots.push(await screenshot(page, 'project-dialog-light'));
    const violations = await axeViolations(page);
    if (violations.length) found['project dialog'] = violations;
    await page.keyboard.press('Escape');
    writeFileSync(join(ARTIFACTS, 'axe-violations-projects.json'), JSON.stringify(found, null, 2));
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
    expect(found).toEqual({});
  });
});
