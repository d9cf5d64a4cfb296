import type { Page } from 'playwright-core';
import type { TestEnv } from './env.js';

/** A fresh page of the test fixture with `html` mounted inside a provider for `token`. */
export async function mount(
  env: TestEnv,
  token: string,
  html: string,
  options: { colorScheme?: 'light' | 'dark'; theme?: string; width?: number; origin?: string; path?: string; beforeMount?: (page: Page) => Promise<unknown> } = {},
): Promise<Page> {
  const context = await env.browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await options.beforeMount?.(page);
  // `path`: another fixture page than test/fixtures/page.html (it must have a #root and load the CDN build).
  await page.goto(new URL(options.path ?? '/', options.origin ?? env.origin).href);
  await page.waitForFunction(() => !!customElements.get('tb-analytics'));
  await page.evaluate(
    ({ api, token, html, theme }) => {
      const provider = document.createElement('tb-provider');
      provider.setAttribute('url', api);
      provider.setAttribute('token', token);
      if (theme) provider.setAttribute('theme', theme);
      provider.innerHTML = html;
      document.getElementById('root')!.append(provider);
    },
    { api: env.api, token, html, theme: options.theme },
  );
  return page;
}

/** Runs axe-core on the page and returns its violations (id, impact, nodes). */
export async function axe(page: Page, selector: string): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: '/axe.min.js' });
  return page.evaluate(async (sel) => {
    const w = window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> } };
    const result = await w.axe.run({ include: [sel] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, selector);
}

/** The tasks of a board column as the page shows them (titles in order). */
export function columnTitles(page: Page, status: string): Promise<string[]> {
  return page.locator(`tb-task-board .column[data-status="${status}"] .card-title`).allTextContents();
}
