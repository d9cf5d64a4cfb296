// Packs the two publishable packages and installs the tarballs into a new
// app under the OS temp folder, the way a user outside this monorepo would.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APP_TEMPLATE = fileURLToPath(new URL('../app/', import.meta.url));
export const PACKAGES = ['sdk', 'widgets'] as const;

export interface PackedApp {
  /** The temp folder holding `tarballs/` and `app/`. */
  dir: string;
  /** The consumer app: its own package.json and node_modules, outside the workspace. */
  app: string;
  /** Tarball file name per package, e.g. `taskbase-sdk-0.2.0.tgz`. */
  tarballs: Record<(typeof PACKAGES)[number], string>;
  /** Runs a command in the app with an environment free of this workspace's npm settings. */
  exec(file: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
  readJson(path: string): Promise<Record<string, any>>;
}

/**
 * `npm test` runs inside npm, which exports `npm_config_*` and `npm_package_*`
 * variables pointing at this workspace; a user's shell has none of them.
 */
function outsideEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$)/i.test(key)));
}

export async function packAndInstall(): Promise<PackedApp> {
  const dir = await mkdtemp(join(tmpdir(), 'taskbase-packed-'));
  const app = join(dir, 'app');
  const env = outsideEnv();
  const exec = (file: string, args: string[], cwd = app) => run(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });

  const tarballs = {} as PackedApp['tarballs'];
  for (const name of PACKAGES) {
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir], join(ROOT, 'packages', name));
    tarballs[name] = (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename;
  }

  await cp(APP_TEMPLATE, app, { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'packed-consumer', private: true, type: 'module' }, null, 2));
  // The SDK has no runtime dependency; lit and friends come from the npm cache
  // that `npm ci` filled, or from the registry when the cache misses.
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...PACKAGES.map((name) => join(dir, tarballs[name]))]);

  return { dir, app, tarballs, exec: (file, args) => exec(file, args), readJson: async (path) => JSON.parse(await readFile(join(app, path), 'utf8')) };
}
