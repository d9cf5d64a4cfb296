// Size budget: the CDN file ≤ 45 KB min+gz; each element imported alone ≤ 27.5 KB min+gz.
// (25 KB until projects: the board, which brings tb-task-detail and tb-comments for its dialog, was
// already at 25.1 KB; following project workflows, identifiers and the new event wordings added 1.5 KB.)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_CDN = 45 * 1024;
const BUDGET_ELEMENT = 27.5 * 1024;
const elements = ['provider', 'task-board', 'task-list', 'task-detail', 'comments', 'notification-bell', 'analytics', 'project-picker'];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (code) => gzipSync(code, { level: 9 }).length;

const rows = [];
const cdn = readFileSync('dist/cdn/taskbase-widgets.js');
rows.push({ entry: 'dist/cdn/taskbase-widgets.js', min: cdn.length, gzip: gz(cdn), budget: BUDGET_CDN });
for (const name of elements) {
  const result = await build({
    stdin: { contents: `import './dist/${name}/${name}.js';`, resolveDir: process.cwd() },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false,
    conditions: ['browser', 'production'], logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  rows.push({ entry: `@taskbase/widgets/${name}`, min: code.length, gzip: gz(code), budget: BUDGET_ELEMENT });
}
let failed = false;
for (const row of rows) {
  const ok = row.gzip <= row.budget;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${row.entry.padEnd(38)} ${kb(row.min).padStart(9)} min  ${kb(row.gzip).padStart(8)} min+gz  (budget ${kb(row.budget)})`);
}
if (failed) process.exitCode = 1;
