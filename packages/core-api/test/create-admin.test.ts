import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClient, uniqueEmail } from './support/client.js';
import { runCli, startApiProcess } from './support/process.js';

describe('taskbase create-admin: the first admin of an install without public sign-up', () => {
  // Two processes each open a fresh embedded database and migrate it: about 25 s on a busy 2-core machine.
  it('makes a workspace and its admin, who signs in on a server that refuses sign-up', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tb-create-admin-'));
    const email = uniqueEmail('first-admin');
    const created = await runCli(['create-admin', '--email', email, '--name', 'Ada Admin', '--workspace', 'Acme'], {
      TASKBASE_DATA_DIR: dataDir,
      TASKBASE_ADMIN_PASSWORD: 'a first admin password',
      ALLOW_SIGNUP: 'false',
    });
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain(`Created workspace "Acme" with admin ${email}`);
    expect(created.output).not.toContain('a first admin password');

    // A second run for the same email says so, and changes nothing.
    const again = await runCli(['create-admin', '--email', email, '--name', 'Ada Again'], { TASKBASE_DATA_DIR: dataDir, TASKBASE_ADMIN_PASSWORD: 'another password' });
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already exists/);
    // Bad arguments name themselves.
    const bad = await runCli(['create-admin', '--email', 'nope', '--name', 'X'], { TASKBASE_DATA_DIR: dataDir });
    expect(bad.code).toBe(78);
    expect(bad.output).toContain('--email');

    const api = await startApiProcess({ TASKBASE_DATA_DIR: dataDir, SEED_DEMO: 'false', ALLOW_SIGNUP: 'false', DUE_REMINDERS_INTERVAL: '0' });
    try {
      const client = new TestClient(api.url);
      const login = await client.post('/api/auth/login', { email, password: 'a first admin password' });
      expect(login.status).toBe(200);
      expect(login.body.user.role).toBe('admin');
      expect(login.body.workspace.name).toBe('Acme');
      const signup = await client.post('/api/auth/register', { name: 'Eve', email: uniqueEmail('eve'), password: 'a password here', workspaceName: 'Mine' });
      expect(signup.status).toBe(403);
    } finally {
      await api.stop();
    }
  });
});
