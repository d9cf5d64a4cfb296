// The host app: TASKBASE_API_KEY=tb_sk_… npm start -w @taskbase/example-host-auth
// then open http://127.0.0.1:5000 and sign in as grace / grace-password.
import { createHostApp } from './server.js';

const apiKey = process.env.TASKBASE_API_KEY;
if (!apiKey) throw new Error('Set TASKBASE_API_KEY to an API key created in Taskbase (admin: POST /api/api-keys)');
const port = Number(process.env.PORT ?? 5000);
createHostApp({ taskbaseUrl: process.env.TASKBASE_URL ?? 'http://127.0.0.1:3000', apiKey }).listen(port, '127.0.0.1', () => {
  console.log(`Host app on http://127.0.0.1:${port}`);
});
