// Imports a CSV file of tasks, then prints a workload report.
//   npm run import -w @taskbase/example-sdk-node -- [file.csv]
// TASKBASE_URL, TASKBASE_EMAIL and TASKBASE_PASSWORD default to the demo
// workspace that `npm start` seeds.
import { fileURLToPath } from 'node:url';
import { createClient } from '@taskbase/sdk';
import { readCsvRows } from './csv-rows.js';
import { importTasks } from './import-tasks.js';
import { progressBar } from './progress.js';
import { formatImportSummary, workloadReport } from './report.js';

const file = process.argv[2] ?? fileURLToPath(new URL('../data/tasks.csv', import.meta.url));
const client = createClient({ url: process.env.TASKBASE_URL ?? 'http://127.0.0.1:3000' });
await client.auth.signIn({
  email: process.env.TASKBASE_EMAIL ?? 'manager@demo.taskbase.dev',
  password: process.env.TASKBASE_PASSWORD ?? 'taskbase-demo',
});

const summary = await importTasks(client, await readCsvRows(file), { onProgress: progressBar() });
console.log(formatImportSummary(summary));
console.log();
console.log(await workloadReport(client));
await client.auth.signOut();
