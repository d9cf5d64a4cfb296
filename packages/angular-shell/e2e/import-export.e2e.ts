import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunningServer } from '@taskbase/core-api';
import { createClient, type TaskbaseClient } from '@taskbase/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';
import { axeViolations, field, screenshot } from './pages.js';

const run = randomUUID().slice(0, 8);
const password = 'correct horse battery';
// Line 1 is the header: the bad row (an unknown priority) is line 3.
const CSV = ['Title,Priority,Notes', 'Renew the office lease,high,Three more years', 'Order chairs,asap,Ten of them', '"Plan the offsite, again",low,'].join('\n');

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let page: Page;
let ada: TaskbaseClient;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  ada = createClient({ url: api.url });
  await ada.auth.signUp({ name: 'Ada Admin', email: `ada-${run}@example.test`, password, workspaceName: `Imports ${run}` });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${api.url}/sign-in`);
  await field(page, 'Email').fill(`ada-${run}@example.test`);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

const titles = async () => (await ada.tasks.list({ limit: 100 })).data.map((task) => task.title).sort();

describe('Shell: the import wizard and the export page (production build, real core-api)', () => {
  it('a CSV with a bad row: the dry run lists it by line and field, then "skip bad rows" imports the rest with the bar reaching 100 %', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.waitForURL('**/admin/import');
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    expect(await page.title()).toBe('Import · Taskbase');

    await page.getByTestId('file-input').setInputFiles({ name: 'tasks.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await expect.poll(() => page.getByTestId('chosen-file').textContent()).toContain('tasks.csv');
    await page.getByTestId('file-next').click();

    // The mapping step: the server's suggestion is pre-filled, each column shows its first values.
    const mapping = page.locator('tb-shell-column-mapping');
    await mapping.locator('tr[data-column="Title"]').waitFor();
    expect(await mapping.locator('tr[data-column="Title"] mat-select').textContent()).toContain('Title');
    expect(await mapping.locator('tr[data-column="Priority"] mat-select').textContent()).toContain('Priority');
    expect(await mapping.locator('tr[data-column="Priority"] .samples').textContent()).toContain('asap');
    await page.getByTestId('mapping-next').click();

    // The dry run: the bad row by line and field, nothing written.
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const cells = (await errors.locator('tbody tr').first().locator('td').allTextContents()).map((text) => text.trim());
    expect(cells[0]).toBe('3');
    expect(cells[1]).toMatch(/priority/i);
    expect(cells[2]).not.toBe('');
    expect(await page.getByText('1 row has an error').count()).toBe(1);
    expect(await page.getByTestId('dry-run-counts').textContent()).toBe('Checked 3 rows; 1 has an error.');
    expect(await titles()).toEqual([]);
    expect(await page.getByTestId('start-import').isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'import-dry-run-errors');

    await page.getByRole('radio', { name: 'Skip the bad rows and import the rest' }).check();
    await page.getByTestId('start-import').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain('Import finished.');
    expect(await summary.textContent()).toContain('Created 2 tasks');
    expect(await summary.textContent()).toContain('Skipped 1 row with errors');
    expect(await page.getByTestId('job-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await titles()).toEqual(['Plan the offsite, again', 'Renew the office lease']);
    await screenshot(page, 'import-finished');
  });

  it('the export page: a CSV export runs, its download link gives the file, and it is listed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Export' }).click();
    await page.waitForURL('**/export');
    await page.getByRole('heading', { name: 'Export', level: 1 }).waitFor();
    await page.getByTestId('no-exports').waitFor();
    expect(await page.locator('[data-format="csv"]').getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('start-export').click();

    const link = page.getByTestId('download-link');
    await link.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('Renew the office lease');
    expect(text).toContain('"Plan the offsite, again"');
    expect(await page.getByTestId('recent-exports').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('recent-exports').textContent()).toContain('Ready');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'export-ready');
  });

  it('both pages in light, dark and narrow: screenshots, and no axe-core violation', async () => {
    const found: Record<string, unknown> = {};
    const pages = [
      { name: 'import', path: '/admin/import', ready: () => page.getByTestId('file-next').waitFor() },
      { name: 'export', path: '/export', ready: () => page.getByTestId('recent-exports').or(page.getByTestId('no-exports')).waitFor() },
    ];
    for (const entry of pages) {
      for (const mode of ['light', 'dark', 'narrow'] as const) {
        await page.emulateMedia({ colorScheme: mode === 'dark' ? 'dark' : 'light' });
        await page.setViewportSize(mode === 'narrow' ? { width: 390, height: 844 } : { width: 1280, height: 900 });
        await page.goto(`${api.url}${entry.path}`);
        await entry.ready();
        await screenshot(page, `${entry.name}-${mode}`);
        if (mode === 'narrow') continue;
        const violations = await axeViolations(page);
        if (violations.length) found[`${entry.name} (${mode})`] = violations;
      }
    }
    expect(found).toEqual({});
  });
});
