import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, createClient, NotFoundError, PermissionError, ValidationError, type Task, type TaskbaseClient } from '../src/index.js';
import { adminClient, password, startTestServer, uniqueEmail } from './support/server.js';

/** Every resource method, against a real core-api. */
describe(`resources (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let server: RunningServer;
  let admin: TaskbaseClient;
  let member: TaskbaseClient;
  let memberId: number;
  let adminId: number;
  let task: Task;

  beforeAll(async () => {
    server = await startTestServer();
    const signedUp = await adminClient(server.url);
    admin = signedUp.client;
    adminId = signedUp.session.user.id;
    const email = uniqueEmail('member');
    const created = await admin.users.create({ name: 'Mel Member', email, role: 'member', password });
    memberId = created.user.id;
    member = createClient({ url: server.url });
    await member.auth.signIn({ email, password });
  });
  afterAll(() => server.close());

  it('auth: me, updateMe', async () => {
    const me = await member.auth.me();
    expect(me.user.id).toBe(memberId);
    expect((await member.auth.updateMe({ name: 'Mel M.' })).user.name).toBe('Mel M.');
  });

  it('tasks: create, get, list, update with ifMatch (version and ETag), move, activity, remove', async () => {
    task = await member.tasks.create({ title: 'Write the SDK', priority: 'high', assignedTo: memberId });
    expect(task).toMatchObject({ title: 'Write the SDK', status: 'todo', version: 1, createdBy: memberId });
    expect((await member.tasks.get(task.id)).title).toBe('Write the SDK');
    const page = await member.tasks.list({ assignee: 'me', status: ['todo', 'in_progress'], limit: 10 });
    expect(page.data.map((t) => t.id)).toContain(task.id);
    expect(page).toHaveProperty('nextCursor');
    const counts = await member.tasks.counts({ assignee: 'me', priority: ['high'] });
    expect(counts.byStatus.todo).toBeGreaterThanOrEqual(1);
    expect(counts.total).toBe(Object.values(counts.byStatus).reduce((a, b) => a + b, 0));

    const updated = await member.tasks.update(task.id, { description: 'typed' }, { ifMatch: task.version });
    expect(updated.version).toBe(2);
    const stale = await member.tasks.update(task.id, { title: 'lost' }, { ifMatch: `"v${task.version}"` }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({ status: 412, code: 'version_conflict' });
    expect((stale as ConflictError).requestId).toMatch(/\S/);

    const other = await member.tasks.create({ title: 'Second card' });
    const moved = await member.tasks.move(task.id, { status: 'in_progress' }, { ifMatch: updated.version });
    expect(moved.status).toBe('in_progress');
    const activity = await member.tasks.activity(task.id);
    expect(activity.data.map((entry) => entry.type)).toContain('task.created');

    await member.tasks.remove(other.id);
    await expect(member.tasks.get(other.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('tasks: bulk', async () => {
    const result = await member.tasks.bulk({ items: [{ title: 'bulk one' }, { title: '' }], dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.results.map((item) => item.status)).toEqual(['created', 'error']);
  });

  it('comments: create, list, iterate, update, remove', async () => {
    const comment = await admin.comments.create(task.id, { comment: 'Looks good @Mel' });
    expect(comment.comment).toBe('Looks good @Mel');
    expect((await admin.comments.list(task.id)).data.map((c) => c.id)).toEqual([comment.id]);
    const all = [];
    for await (const item of admin.comments.iterate(task.id)) all.push(item.id);
    expect(all).toEqual([comment.id]);
    expect((await admin.comments.update(task.id, comment.id, { comment: 'Edited' })).comment).toBe('Edited');
    await admin.comments.remove(task.id, comment.id);
    expect((await admin.comments.list(task.id)).data).toEqual([]);
  });

  it('notifications: list, unreadCount, markRead, markAllRead', async () => {
    await admin.tasks.create({ title: 'For Mel', assignedTo: memberId });
    await admin.tasks.create({ title: 'Also for Mel', assignedTo: memberId });
    const { data } = await member.notifications.list({ unread: true });
    expect(data.length).toBeGreaterThanOrEqual(2);
    const before = (await member.notifications.unreadCount()).unread;
    expect(before).toBe(data.length);
    expect((await member.notifications.markRead(data[0]!.id)).read).toBe(true);
    expect((await member.notifications.unreadCount()).unread).toBe(before - 1);
    expect((await member.notifications.markAllRead()).updated).toBe(before - 1);
    expect((await member.notifications.unreadCount()).unread).toBe(0);
  });

  it('notifications: listGroups, markTaskRead, archive, unarchive, archiveTask, unarchiveTask', async () => {
    const grouped = await admin.tasks.create({ title: 'Grouped for Mel', assignedTo: memberId });
    const group = (await member.notifications.listGroups({ limit: 50 })).data.find((g) => g.taskId === grouped.id)!;
    expect(group).toMatchObject({ count: 1, unread: 1, kinds: ['assigned'], task: { id: grouped.id, title: 'Grouped for Mel' } });
    expect((await member.notifications.markTaskRead(grouped.id)).updated).toBe(1);
    expect((await member.notifications.archive(group.latest.id)).archived).toBe(true);
    expect((await member.notifications.listGroups()).data.some((g) => g.taskId === grouped.id)).toBe(false);
    expect((await member.notifications.unarchive(group.latest.id)).archived).toBe(false);
    expect((await member.notifications.archiveTask(grouped.id)).updated).toBe(1);
    expect((await member.notifications.list({ archived: true })).data.map((n) => n.id)).toContain(group.latest.id);
    expect((await member.notifications.unarchiveTask(grouped.id)).updated).toBe(1);
  });

  it('notification preferences, workspace defaults and the time zone', async () => {
    const start = await member.notifications.getPreferences();
    expect(start.channels.assigned).toEqual({ inApp: true, email: true });
    const changed = await member.notifications.updatePreferences({ channels: { commented: { email: true } }, emailDigest: 'daily', timezone: 'Europe/Berlin' });
    expect(changed).toMatchObject({ emailDigest: 'daily', timezone: 'Europe/Berlin', channels: { commented: { inApp: true, email: true } } });
    await expect(member.notifications.updatePreferences({ timezone: 'Nowhere/Land' })).rejects.toMatchObject({ status: 422 });
    expect((await member.auth.updateMe({ timezone: 'UTC' })).user.timezone).toBe('UTC');
    const defaults = await admin.workspace.updateNotificationDefaults({ taskUrlTemplate: 'https://host.example/t/{identifier}' });
    expect(defaults.taskUrlTemplate).toBe('https://host.example/t/{identifier}');
    expect((await member.workspace.getNotificationDefaults()).taskUrlTemplate).toBe('https://host.example/t/{identifier}');
    await admin.workspace.updateNotificationDefaults({ taskUrlTemplate: null });
    await member.notifications.updatePreferences({ channels: { commented: { email: false } }, emailDigest: 'off' });
  });

  it('calendarFeeds: create, list, revoke', async () => {
    const feed = await member.calendarFeeds.create({ scope: 'assigned', name: 'Mine' });
    expect(feed).toMatchObject({ scope: 'assigned', name: 'Mine', projectId: null });
    const calendar = await fetch(feed.url);
    expect(calendar.headers.get('content-type')).toContain('text/calendar');
    expect((await member.calendarFeeds.list()).data.map((f) => f.id)).toEqual([feed.id]);
    await member.calendarFeeds.revoke(feed.id);
    expect((await fetch(feed.url)).status).toBe(404);
    await expect(member.calendarFeeds.revoke(feed.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('analytics: summary, counts, byAssignee, byLabel, trend, cycleTime', async () => {
    expect((await admin.analytics.summary({ timezone: 'UTC' })).scope).toBe('workspace');
    expect((await member.analytics.summary()).scope).toBe('own');
    expect(await admin.analytics.counts()).toBeTypeOf('object');
    expect(await admin.analytics.byAssignee()).toBeTypeOf('object');
    const byLabel = await admin.analytics.byLabel();
    expect(byLabel.scope).toBe('workspace');
    expect(byLabel.unlabeled.open).toBeGreaterThanOrEqual(0);
    expect(await admin.analytics.trend()).toBeTypeOf('object');
    expect(await admin.analytics.cycleTime()).toBeTypeOf('object');
  });

  it('users: list, iterate, get, create, update; members may not', async () => {
    expect((await admin.users.list({ limit: 10 })).data.map((u) => u.id)).toEqual(expect.arrayContaining([adminId, memberId]));
    const ids = [];
    for await (const user of admin.users.iterate()) ids.push(user.id);
    expect(ids).toEqual(expect.arrayContaining([adminId, memberId]));
    expect((await admin.users.get(memberId)).name).toBe('Mel M.');
    expect((await admin.users.update(memberId, { role: 'manager' })).role).toBe('manager');
    await admin.users.update(memberId, { role: 'member' });
    const refused = await member.users.create({ name: 'X', email: uniqueEmail(), role: 'member' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PermissionError);
    expect(refused).toMatchObject({ status: 403 });
  });

  it('workspace: get; admins rename it, members may not', async () => {
    const before = await member.workspace.get();
    const renamed = await admin.workspace.update({ name: `${before.name} (renamed)` });
    expect(renamed).toMatchObject({ id: before.id, name: `${before.name} (renamed)` });
    expect((await member.auth.me()).workspace.name).toBe(renamed.name);
    await expect(member.workspace.update({ name: 'Mine now' })).rejects.toBeInstanceOf(PermissionError);
    const invalid = await admin.workspace.update({ name: ' ' }).catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).fieldErrors.map((field) => field.path)).toEqual(['name']);
  });

  it('apiKeys: create, list, revoke; auth.embedToken with the key', async () => {
    const created = await admin.apiKeys.create({ name: 'Host app' });
    expect(created.key).toMatch(/^tb_sk_/);
    expect((await admin.apiKeys.list()).data.map((k) => k.id)).toContain(created.apiKey.id);
    const anonymous = createClient({ url: server.url });
    const embed = await anonymous.auth.embedToken(created.key, { externalId: 'host-42', name: 'Host User' });
    const embedded = createClient({ url: server.url, token: embed.accessToken });
    expect((await embedded.auth.me()).user.externalId).toBe('host-42');
    await admin.apiKeys.revoke(created.apiKey.id);
    expect((await admin.apiKeys.list()).data.find((k) => k.id === created.apiKey.id)?.revokedAt).not.toBeNull();
  });

  it('events: list after an id', async () => {
    let first = await member.events.list({ after: 0, limit: 5 });
    // The feed lists events once settled: a fresh workspace's may wait a moment behind other suites' transactions.
    for (let tries = 0; first.data.length === 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      first = await member.events.list({ after: 0, limit: 5 });
    }
    expect(first.data.length).toBeGreaterThan(0);
    const next = await member.events.list({ after: first.lastId });
    expect(next.data.every((event) => event.id > first.lastId)).toBe(true);
  });

  it('typed validation errors name every field and carry the request id', async () => {
    const error = await member.tasks.create({ title: '', priority: 'extreme' as never }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.status).toBe(400);
    expect(validation.code).toBe('validation_failed');
    expect(validation.fieldErrors.map((field) => field.path).sort()).toEqual(['priority', 'title']);
    expect(validation.requestId).toBe(validation.headers?.get('x-request-id'));
    expect(validation.problem?.detail).toMatch(/title/);
  });
});
