import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@taskbase/sdk';
import { newWorkspace, startTaskbase } from '@taskbase/test-support';
import { packAndInstall, type PackedApp } from './packed-app.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let packed: PackedApp;
let taskbase: Awaited<ReturnType<typeof startTaskbase>>;
let browser: Browser;
let site: Server;
let siteOrigin: string;

/** The app's page, with the widgets loaded from `src`; anything else from the app folder. */
function servePage(app: string, sources: Record<string, string>): Server {
  return createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const page = /^\/(\w+)\/$/.exec(path)?.[1];
    if (page && sources[page]) {
      const html = (await readFile(join(app, 'index.html'), 'utf8')).replace('%WIDGETS_SRC%', sources[page]);
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    }
    const files: Record<string, string> = {
      '/bundle.js': join(app, 'dist/page.js'),
      '/taskbase-widgets.js': join(app, 'node_modules/@taskbase/widgets/dist/cdn/taskbase-widgets.js'),
    };
    if (!files[path]) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(await readFile(files[path]!));
  });
}

/** Every file an exports map points at (its leaves, not its keys). */
const leaves = (exports: unknown): string[] => (typeof exports === 'string' ? [exports] : Object.values(exports as object).flatMap(leaves));

beforeAll(async () => {
  packed = await packAndInstall();
  const sources: Record<string, string> = { bundle: '/bundle.js', cdn: '/taskbase-widgets.js' };
  site = servePage(packed.app, sources).listen(0, '127.0.0.1');
  await once(site, 'listening');
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  [taskbase, browser] = await Promise.all([
    startTaskbase({ CORS_ORIGINS: siteOrigin }),
    chromium.launch({ executablePath: process.env.CHROME_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS }),
  ]);
  // The same file, as the Taskbase server serves it (docs/embedding.md).
  sources.server = `${taskbase.url}/widgets/dist/cdn/taskbase-widgets.js`;
});
afterAll(async () => {
  await browser?.close();
  site?.closeAllConnections();
  site?.close();
  await taskbase?.stop();
  if (packed) await rm(packed.dir, { recursive: true, force: true });
});

describe('the packed packages, installed outside the workspace', () => {
  it('are publishable, and the widgets take the SDK from the registry range that the packed SDK satisfies', async () => {
    const sdk = await packed.readJson('node_modules/@taskbase/sdk/package.json');
    const widgets = await packed.readJson('node_modules/@taskbase/widgets/package.json');
    for (const pkg of [sdk, widgets]) {
      expect(pkg.private, pkg.name).toBeUndefined();
      expect(pkg).toMatchObject({ version: '0.2.0', license: 'MIT', repository: { type: 'git' } });
      expect(existsSync(join(packed.app, 'node_modules', pkg.name, 'LICENSE')), `${pkg.name} ships LICENSE`).toBe(true);
      expect(existsSync(join(packed.app, 'node_modules', pkg.name, 'README.md')), `${pkg.name} ships README.md`).toBe(true);
    }
    expect(widgets.dependencies['@taskbase/sdk']).toBe(`^${sdk.version}`);
    // One SDK: the widgets use the app's, not a nested copy from elsewhere.
    expect(existsSync(join(packed.app, 'node_modules/@taskbase/widgets/node_modules/@taskbase/sdk'))).toBe(false);
    expect(packed.tarballs).toEqual({ sdk: 'taskbase-sdk-0.2.0.tgz', widgets: 'taskbase-widgets-0.2.0.tgz' });
  });

  it('ship every file their exports map names', async () => {
    for (const name of ['@taskbase/sdk', '@taskbase/widgets']) {
      const pkg = await packed.readJson(`node_modules/${name}/package.json`);
      const targets = leaves(pkg.exports);
      expect(targets.length).toBeGreaterThan(2);
      for (const target of targets) expect(existsSync(join(packed.app, 'node_modules', name, target)), `${name}: ${target}`).toBe(true);
    }
  });

  it('let Node import the SDK as ESM and require it as CJS, and talk to a running server', async () => {
    const { email, password } = await newWorkspace(taskbase.url);
    const esm = JSON.parse((await packed.exec('node', ['esm.mjs', taskbase.url, email, password])).stdout);
    expect(esm).toEqual({ created: 'Created from ESM', listed: ['Created from ESM'], missing: 'NotFoundError' });
    const cjs = JSON.parse((await packed.exec('node', ['cjs.cjs', taskbase.url, email, password])).stdout);
    expect(cjs.created).toBe('Created from CJS');
    expect(cjs.listed.sort()).toEqual(['Created from CJS', 'Created from ESM']);
    expect(cjs.missing).toBe('NotFoundError');
    // Resolved inside the app, not from this workspace.
    const required = (await packed.exec('node', ['-p', "require.resolve('@taskbase/sdk')"])).stdout.trim();
    const imported = (await packed.exec('node', ['--input-type=module', '-e', "console.log(import.meta.resolve('@taskbase/sdk'))"])).stdout.trim();
    expect(required).toBe(join(packed.app, 'node_modules/@taskbase/sdk/dist/index.cjs'));
    expect(imported).toBe(`file://${join(packed.app, 'node_modules/@taskbase/sdk/dist/index.js')}`);
  });

  it('type-check in TypeScript through both the import and the require conditions', async () => {
    const result = await packed.exec('node', [TSC, '-p', 'tsconfig.json']).catch((error) => error);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  });

  it.each(['bundle', 'cdn', 'server'])('render tb-task-list in Chromium, loaded from the %s', async (variant) => {
    if (variant === 'bundle') {
      // What a host app's bundler does with `import '@taskbase/widgets/define'`.
      await build({ absWorkingDir: packed.app, entryPoints: ['page.js'], outfile: 'dist/page.js', bundle: true, format: 'esm', platform: 'browser', logLevel: 'warning' });
    }
    const { client, email, password } = await newWorkspace(taskbase.url);
    await client.tasks.create({ title: `Rendered from the ${variant}` });
    const { accessToken } = await createClient({ url: taskbase.url }).auth.signIn({ email, password });

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${siteOrigin}/${variant}/#url=${encodeURIComponent(taskbase.url)}&token=${accessToken}`);
    await page.locator('tb-task-list').getByText(`Rendered from the ${variant}`).waitFor();
    expect(await page.evaluate(() => ['tb-provider', 'tb-task-board', 'tb-notification-bell'].map((tag) => !!customElements.get(tag)))).toEqual([true, true, true]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
