import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { digestReleaseAt } from '../src/services/notificationChannels.js';
import { TestClient, createTeam, type Member } from './support/client.js';
import { gql } from './support/graphql.js';
import { databaseMode, startTestServer } from './support/server.js';

describe(`notification preferences (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    // No SMTP settings: in-app only, and the preferences say so.
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const get = async (who: Member) => (await client.get('/api/notifications/preferences', { token: who.token })).body;
  const put = (who: Member, body: unknown) => client.put('/api/notifications/preferences', body, { token: who.token });
  const inbox = async (who: Member) => (await client.get('/api/notifications?limit=100', { token: who.token })).body.data as Array<{ type: string; kind: string }>;

  it('answers the built-in defaults, says email is unavailable, and merges changes kind by kind', async () => {
    const team = await createTeam(client, 'Prefs');
    const start = await get(team.member);
    expect(start).toMatchObject({ emailDigest: 'off', timezone: 'UTC', emailAvailable: false });
    expect(start.kinds).toEqual(['assigned', 'mentioned', 'commented', 'status_changed', 'due_soon', 'overdue', 'reminder', 'watched_change']);
    const emailOn = Object.entries(start.channels as Record<string, { inApp: boolean; email: boolean }>).filter(([, c]) => c.email).map(([kind]) => kind);
    expect(emailOn).toEqual(['assigned', 'mentioned', 'overdue', 'reminder']);
    expect(Object.values(start.channels as Record<string, { inApp: boolean }>).every((c) => c.inApp)).toBe(true);

    expect((await put(team.member, { channels: { commented: { email: true } } })).status).toBe(200);
    const after = (await put(team.member, { channels: { commented: { inApp: false } }, emailDigest: 'daily' })).body;
    expect(after.channels.commented).toEqual({ inApp: false, email: true });
    expect(after.emailDigest).toBe('daily');
    // Someone else's are untouched.
    expect((await get(team.other)).channels.commented).toEqual({ inApp: true, email: false });
  });

  it('routes in-app notifications by preference, and tells watchers of other edits once per update', async () => {
    const team = await createTeam(client, 'Route');
    const created = await client.post('/api/tasks', { title: 'Watched', assignedTo: team.member.id }, { token: team.admin.token });
    const id = created.body.id as number;
    expect((await inbox(team.member)).map((n) => `${n.type}/${n.kind}`)).toEqual(['task.assigned/assigned']);

    await client.patch(`/api/tasks/${id}`, { title: 'Watched, renamed', priority: 'high', dueDate: '2031-05-01T10:00:00Z' }, { token: team.admin.token });
    const [edit] = await inbox(team.member);
    expect(edit).toMatchObject({ type: 'task.watched_change', kind: 'watched_change', message: 'Route Admin changed the title, the priority and the due date of "Watched, renamed"' });

    // Turned off in the app: no row, no event for it.
    await put(team.member, { channels: { watched_change: { inApp: false }, commented: { inApp: false } } });
    await client.patch(`/api/tasks/${id}`, { description: 'more' }, { token: team.admin.token });
    await client.post(`/api/tasks/${id}/comments`, { comment: 'hello' }, { token: team.admin.token });
    expect((await inbox(team.member)).length).toBe(2);
  });

  it('workspace defaults apply to members who chose nothing; a member’s own choice wins; only admins change them', async () => {
    const team = await createTeam(client, 'Defaults');
    await put(team.other, { channels: { status_changed: { inApp: true } } });
    expect((await client.put('/api/workspace/notification-defaults', { emailDigest: 'hourly' }, { token: team.manager.token })).status).toBe(403);
    const changed = await client.put('/api/workspace/notification-defaults', { channels: { status_changed: { inApp: false, email: true } }, emailDigest: 'hourly' }, { token: team.admin.token });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ emailDigest: 'hourly', taskUrlTemplate: null, channels: { status_changed: { inApp: false, email: true } } });
    expect((await client.get('/api/workspace/notification-defaults', { token: team.member.token })).body).toEqual(changed.body);

    expect((await get(team.member)).channels.status_changed).toEqual({ inApp: false, email: true });
    expect((await get(team.member)).emailDigest).toBe('hourly');
    expect((await get(team.other)).channels.status_changed).toEqual({ inApp: true, email: true });

    const created = await client.post('/api/tasks', { title: 'Defaults', assignedTo: team.member.id }, { token: team.admin.token });
    await client.post(`/api/tasks/${created.body.id}/watchers`, { userId: team.other.id }, { token: team.admin.token });
    await client.patch(`/api/tasks/${created.body.id}`, { status: 'in_progress' }, { token: team.admin.token });
    expect((await inbox(team.member)).map((n) => n.kind)).toEqual(['assigned']);
    expect((await inbox(team.other)).map((n) => n.kind)).toEqual(['status_changed']);
  });

  it('a user sets their time zone (PATCH /api/auth/me or the preferences); unknown zones answer 422 naming timezone', async () => {
    const team = await createTeam(client, 'Zone');
    const patched = await client.patch('/api/auth/me', { timezone: 'Europe/Berlin' }, { token: team.member.token });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.user.timezone).toBe('Europe/Berlin');
    expect((await get(team.member)).timezone).toBe('Europe/Berlin');
    for (const bad of ['Mars/Olympus_Mons', 'Europe/Berlinn']) {
      const refused = await client.patch('/api/auth/me', { timezone: bad }, { token: team.member.token });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'timezone' })]);
      const viaPrefs = await put(team.member, { timezone: bad });
      expect(viaPrefs.status).toBe(422);
      expect(viaPrefs.body.errors[0].path).toBe('timezone');
    }
    const hostile = await client.patch('/api/auth/me', { timezone: '../../etc/passwd' }, { token: team.member.token });
    expect(hostile.status).toBe(400);
    expect(hostile.body.errors[0].path).toBe('timezone');
    expect((await put(team.member, { timezone: 'Asia/Kathmandu' })).body.timezone).toBe('Asia/Kathmandu');
  });

  it('GraphQL reads and changes the same preferences', async () => {
    const team = await createTeam(client, 'Graph');
    const read = await gql(client, team.member.token, '{ notificationPreferences { emailDigest timezone emailAvailable channels { mentioned { inApp email } } } }');
    expect(read.data.notificationPreferences).toEqual({ emailDigest: 'off', timezone: 'UTC', emailAvailable: false, channels: { mentioned: { inApp: true, email: true } } });
    const changed = await gql(
      client,
      team.member.token,
      'mutation { updateNotificationPreferences(input: { channels: { mentioned: { email: false } }, timezone: "America/New_York" }) { timezone channels { mentioned { inApp email } } } }',
    );
    expect(changed.data.updateNotificationPreferences).toEqual({ timezone: 'America/New_York', channels: { mentioned: { inApp: true, email: false } } });
    const bad = await gql(client, team.member.token, 'mutation { updateNotificationPreferences(input: { timezone: "Nowhere/Land" }) { timezone } }');
    expect(JSON.stringify(bad.errors)).toContain("timezone");
    const notAdmin = await gql(client, team.member.token, 'mutation { updateNotificationDefaults(input: { emailDigest: "daily" }) { emailDigest } }');
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe('digest release times', () => {
  it('daily at 08:00 local time, across a DST change; hourly at the next local full hour (also for half-hour zones)', () => {
    // Berlin, the night DST starts (2026-03-29, 02:00 → 03:00): 08:00 CEST is 06:00 UTC.
    expect(digestReleaseAt(new Date('2026-03-28T22:30:00Z'), 'Europe/Berlin', 'daily').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // The day before, 08:00 CET is 07:00 UTC; after 08:00 local it is the next day's.
    expect(digestReleaseAt(new Date('2026-03-28T06:59:00Z'), 'Europe/Berlin', 'daily').toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(digestReleaseAt(new Date('2026-03-28T07:00:00Z'), 'Europe/Berlin', 'daily').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // New York in November (DST ends 2026-11-01): 08:00 EST is 13:00 UTC.
    expect(digestReleaseAt(new Date('2026-11-01T05:00:00Z'), 'America/New_York', 'daily').toISOString()).toBe('2026-11-01T13:00:00.000Z');
    expect(digestReleaseAt(new Date('2026-06-01T10:20:00Z'), 'Asia/Kolkata', 'hourly').toISOString()).toBe('2026-06-01T10:30:00.000Z');
    expect(digestReleaseAt(new Date('2026-06-01T10:20:00Z'), 'UTC', 'hourly').toISOString()).toBe('2026-06-01T11:00:00.000Z');
  });
});
