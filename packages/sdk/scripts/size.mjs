// Size budget of the built ESM bundle, minified and gzipped (esbuild comes with tsup).
// Usage: npm run build -w @taskbase/sdk && node packages/sdk/scripts/size.mjs
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// createClient + tasks was 6 KB until browser sessions (session: 'browser', ~0.3 KB min+gz that every
// client carries: the option is a string, so its code cannot be tree-shaken away), and 6.5 KB until
// projects (client.projects, ~0.22 KB min+gz: the client builds every resource, so each one counts here),
// and 6.75 KB until attachments (client.attachments with its XMLHttpRequest upload for progress events and
// comments.react: 6.72 -> 7.18 KB min+gz), and 7.2 KB until notification preferences, the grouped bell,
// calendar feeds and task reminders (client.calendarFeeds, notifications.*, workspace defaults,
// tasks.reminders: 7.18 -> 7.40 KB min+gz), and 7.5 KB until import and export (client.exports,
// client.imports with preview/create/get/list/cancel: 7.40 -> 7.86 KB min+gz).
const BUDGETS = { whole: 12 * 1024, createClientAndTasks: 8 * 1024 };

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    treeShaking: true,
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const figures = {
  whole: await measure(`export * from ${JSON.stringify(dist)};`),
  createClientAndTasks: await measure(
    `import { createClient } from ${JSON.stringify(dist)};\nconst client = createClient({ url: 'https://example.com', token: 't' });\nexport const list = () => client.tasks.list();`,
  ),
};
let failed = false;
for (const [name, { min, gzip }] of Object.entries(figures)) {
  const ok = gzip <= BUDGETS[name];
  failed ||= !ok;
  console.log(`${name.padEnd(22)} ${(min / 1024).toFixed(2).padStart(6)} KB min  ${(gzip / 1024).toFixed(2).padStart(5)} KB min+gz  (budget ${BUDGETS[name] / 1024} KB) ${ok ? 'ok' : 'OVER BUDGET'}`);
}
if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
process.exitCode = failed ? 1 : 0;
