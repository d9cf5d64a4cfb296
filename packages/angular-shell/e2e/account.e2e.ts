import { randomUUID } from 'node:crypto';
import type { RunningServer } from '@taskbase/core-api';
import { createClient } from '@taskbase/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startApi } from './harness.js';
import { field } from './pages.js';

const run = randomUUID().slice(0, 8);
const temporary = 'temporary password 1';
const member = { name: 'Mia Member', email: `mia-${run}@example.test` };

let api: RunningServer;
let cleanupApi: () => Promise<void>;
let browser: Browser;
let page: Page;
const admin = () => createClient({ url: api.url });
let adminClient: ReturnType<typeof admin>;

beforeAll(async () => {
  ({ api, cleanup: cleanupApi } = await startApi());
  adminClient = admin();
  await adminClient.auth.signUp({ name: 'Ada Admin', email: `ada-${run}@example.test`, password: 'correct horse battery', workspaceName: `Acme ${run}` });
  await adminClient.users.create({ ...member, role: 'member', password: temporary });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await cleanupApi?.();
});

async function signIn(email: string, password: string): Promise<void> {
  await page.goto(`${api.url}/sign-in`);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
}

describe('Shell: new task from the toolbar, delete a task, your profile (production build, real core-api)', () => {
  it('offers no demo sign-ins where no demo workspace was seeded', async () => {
    const fresh = await browser.newPage();
    const answered = fresh.waitForResponse((response) => response.url().endsWith('/api/auth/demo'));
    await fresh.goto(`${api.url}/sign-in`);
    expect((await answered).status()).toBe(404);
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await fresh.getByRole('region', { name: 'Try the demo workspace' }).count()).toBe(0);
    await fresh.close();
  });

  it('"New task" in the toolbar creates a task from any page (Material selects) and opens it', async () => {
    await signIn(member.email, temporary);
    await page.getByTestId('new-task').click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await field(dialog, 'Title').fill('Book the team offsite');
    await dialog.getByRole('combobox', { name: 'Priority' }).click();
    await page.locator('mat-option', { hasText: 'High' }).click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/tasks\/GEN-\d+$/); // created in the default project; the address is its identifier
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe('Book the team offsite');
    // The task page's fields are Material selects, with labels.
    await expect.poll(() => page.getByRole('combobox', { name: 'Priority' }).textContent()).toContain('High');
    // Only the fields the shell replaces: the detail's relation-type and custom-field selects have no slot and stay native.
    expect(await page.locator('tb-task-detail :is(select[name="status"], select[name="priority"], select[name="assignedTo"]):visible').count()).toBe(0);
    const ref = new URL(page.url()).pathname.split('/').pop()!;
    expect((await adminClient.tasks.get(ref)).priority).toBe('high');
  });

  it('deletes the task from its page after confirming, and returns to the board', async () => {
    const ref = new URL(page.url()).pathname.split('/').pop()!;
    const detail = page.locator('tb-task-detail');
    await detail.getByRole('button', { name: 'Delete' }).click();
    await detail.getByRole('alertdialog').getByText('Delete “Book the team offsite”?').waitFor();
    await detail.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/board');
    await page.getByText('Deleted “Book the team offsite”').waitFor();
    await expect(adminClient.tasks.get(ref)).rejects.toThrow();
  });

  it('the profile page renames you and changes the temporary password', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('profile-link').click();
    await page.waitForURL('**/profile');
    await expect.poll(() => page.getByTestId('profile-name').inputValue()).toBe(member.name);
    await page.getByTestId('profile-name').fill('Mia Moreau');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('button', { name: 'Account menu for Mia Moreau' }).waitFor();

    await field(page, 'Current password').fill(temporary);
    await field(page, 'New password').fill('my own passphrase');
    await field(page, 'Repeat the new password').fill('my own passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/sign-in');
    await signIn(member.email, 'my own passphrase');
  });
});
