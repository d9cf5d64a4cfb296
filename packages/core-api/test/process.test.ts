import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { startApiProcess } from './support/process.js';

describe('the compiled server as a process', () => {
  it('starts on a fresh embedded database, seeds the demo workspace, prints how to sign in, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-'));
    const api = await startApiProcess({ TASKBASE_DATA_DIR: dataDir, DUE_REMINDERS_INTERVAL: '0' });
    try {
      expect(api.output()).toContain('admin@demo.taskbase.dev');
      const password = /password: (\S+)/.exec(api.output())![1];
      const client = new TestClient(api.url);
      expect((await client.get('/readyz')).body).toEqual({ status: 'ready' });
      const login = await client.post('/api/auth/login', { email: 'member@demo.taskbase.dev', password });
      expect(login.status).toBe(200);
      // In development the app's sign-in page can offer the demo sign-ins.
      const demo = await client.get('/api/auth/demo');
      expect(demo.status).toBe(200);
      expect(demo.body.password).toBe(password);
      expect(demo.body.users.map((u: { email: string }) => u.email)).toContain('admin@demo.taskbase.dev');
      const tasks = await client.get('/api/tasks?limit=100', { token: login.body.accessToken });
      expect(tasks.body.data.length).toBeGreaterThanOrEqual(50);
      expect(new Set(tasks.body.data.map((t: any) => t.status))).toEqual(new Set(['todo', 'in_progress', 'in_review', 'done']));
    } finally {
      expect(await api.stop('SIGTERM')).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
