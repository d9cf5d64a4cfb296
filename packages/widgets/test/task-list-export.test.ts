import { readFileSync } from 'node:fs';
import type { Request } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field || row.length) endRow();
  return rows;
}

describe('tb-task-list: Export CSV', () => {
  // The server and Chromium start under the hook's longer timeout when this file runs alone.
  beforeAll(() => testEnv());

  it('downloads the rows of the current filters, fetched with the bearer header (no token in the URL)', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    await ada.client.tasks.create({ title: 'Call the bank, "urgently"', priority: 'high' });
    await ada.client.tasks.create({ title: 'Renew the lease', priority: 'high' });
    await ada.client.tasks.create({ title: 'Water the plants', priority: 'low' });

    const page = await mount(env, ada.token, '<tb-task-list></tb-task-list>');
    const list = page.locator('tb-task-list');
    await expect.poll(() => list.locator('[part="matches"]').textContent()).toBe('3 tasks match');
    await list.getByLabel('Priority').selectOption('high');
    await expect.poll(() => list.locator('[part="matches"]').textContent()).toBe('2 tasks match');

    const requests: Request[] = [];
    page.on('request', (request) => request.url().includes('/api/tasks.csv') && requests.push(request));
    const button = list.locator('[part="export"]');
    expect(await button.textContent()).toBe('Export CSV');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^tasks-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true); // spreadsheets read it as UTF-8
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
    const title = header!.findIndex((name) => /^title$/i.test(name));
    expect(title).toBeGreaterThanOrEqual(0);
    expect(rows.map((row) => row[title]).sort()).toEqual(['Call the bank, "urgently"', 'Renew the lease']);

    const sent = requests.find((request) => request.method() === 'GET')!;
    expect(new URL(sent.url()).searchParams.get('priority')).toBe('high');
    expect(sent.url()).not.toMatch(/token|sig=/i);
    expect((await sent.allHeaders()).authorization).toMatch(/^Bearer /);
    await expect.poll(() => button.textContent()).toBe('Export CSV');
    await page.context().close();
  });

  it('says in French what the button does, and why an export failed', async () => {
    const env = await testEnv();
    const { ada } = await env.workspace();
    const page = await mount(env, ada.token, '<tb-task-list locale="fr"></tb-task-list>');
    const list = page.locator('tb-task-list');
    const button = list.locator('[part="export"]');
    await expect.poll(() => button.textContent()).toBe('Exporter en CSV');
    expect(await button.getAttribute('title')).toBe('Télécharger les tâches affichées, avec ces filtres, en fichier CSV');
    await page.route('**/api/tasks.csv**', (route) =>
      route.fulfill({ status: 403, contentType: 'application/problem+json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ title: 'Forbidden', status: 403, detail: 'Not yours' }) }),
    );
    await button.click();
    await expect.poll(() => list.locator('.export-error').textContent()).toMatch(/^Échec de l’export : /);
    await page.context().close();
  });
});
