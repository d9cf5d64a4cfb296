import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/schemas/eventCatalog.js';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { TestClient, createTeam, type Member, type Team, multipartFile } from './support/client.js';
import { Contract } from './support/contract.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

/**
 * The event catalog is what clients are told an event carries (the OpenAPI
 * `Event` union, the SDK's types): every event the API really writes must
 * be of a catalog type and match its payload schema.
 */
describe(`the event catalog describes the events the API writes (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let contract: Contract;
  let team: Team;

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    contract = new Contract((await client.get('/openapi.json')).body);
    team = await createTeam(client, 'Catalog');
    await everyKindOfChange(client, team);
    // An export, run to its end by a runner of this workspace's jobs alone: export.progress and export.completed.
    const started = await client.post('/api/exports', { format: 'json' }, { token: team.admin.token });
    expect(started.status).toBe(202);
    const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, team.workspaceId);
    runner.handle('export', server.services.exports.run);
    await runner.runOnce();
    // And one that fails: its creator's project went before it ran (export.failed).
    const project = await client.post('/api/projects', { key: 'GONE', name: 'Gone' }, { token: team.admin.token });
    const doomed = await client.post('/api/exports', { format: 'csv', projectId: project.body.id }, { token: team.admin.token });
    expect(doomed.status).toBe(202);
    await client.delete(`/api/projects/${project.body.id}`, { token: team.admin.token });
    await runner.runOnce();
    // Imports: one that succeeds (import.progress, import.completed) and one with a bad row and onError=stop (import.failed).
    runner.handle('import', server.services.imports.handle);
    const mapping = JSON.stringify({ Title: 'title', Priority: 'priority' });
    for (const text of ['Title,Priority\nImported,high\n', 'Title,Priority\nImported,high\nRefused,extreme\n']) {
      const imported = await client.post('/api/imports', undefined, { token: team.admin.token, ...(await multipartFile(text, 'tasks.csv', { source: 'csv', mapping })) });
      expect(imported.status).toBe(202);
    }
    await runner.runOnce();
  });
  afterAll(() => server.close());

  async function feed(who: Member) {
    const events: Array<{ event: string }> = [];
    for (let after = 0, more = true; more; ) {
      const page = await client.get(`/api/events?after=${after}&limit=1000`, { token: who.token });
      expect(page.status).toBe(200);
      events.push(...page.body.data);
      ({ lastId: after, hasMore: more } = page.body);
    }
    return events;
  }

  it('writes only catalog types, each matching its payload schema', async () => {
    // The feed lists settled events only: on a shared PostgreSQL another test's open transaction can hold the
    // last ones back for a moment, so wait until the last change made above is listed.
    const adminEvents = await eventually(async () => {
      const listed = await feed(team.admin);
      return listed.some((event) => event.event === 'webhook.endpoint_deleted') && listed;
    }, 20_000, 'the feed to list the last change');
    const events = [...adminEvents, ...(await feed(team.member))];
    const problems = events.flatMap((event) => contract.validateComponent('Event', event).map((problem) => `${event.event}: ${problem}`));
    expect(problems).toEqual([]);
    const seen = new Set(events.map((event) => event.event));
    expect([...seen].filter((type) => !(EVENT_TYPES as string[]).includes(type))).toEqual([]);
    // Every type but the webhook ones (their own suites exercise them: webhooks-faults, webhooks) appeared here.
    expect(EVENT_TYPES.filter((type) => !seen.has(type))).toEqual(['webhook.endpoint_disabled', 'webhook.test']);
  });

  it('refuses an event whose payload is not its type’s (the check can fail)', () => {
    const wrong = { id: 1, event: 'task.created', actorId: null, taskId: 1, data: { comment: {} }, createdAt: new Date().toISOString() };
    expect(contract.validateComponent('Event', wrong)).not.toEqual([]);
  });
});

/** One of each change the API makes, by the people allowed to make it. */
async function everyKindOfChange(client: TestClient, team: Team) {
  const ok = async (response: Promise<{ status: number; body: any }>) => {
    const answer = await response;
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body;
  };
  const admin = { token: team.admin.token };
  const key = await ok(client.post('/api/api-keys', { name: 'Host' }, admin));
  await ok(client.post('/api/auth/embed-token', { externalId: `host-${randomUUID()}`, name: 'Embedded' }, { headers: { authorization: `Bearer ${key.key}` } }));
  await ok(client.delete(`/api/api-keys/${key.apiKey.id}`, admin));
  await ok(client.patch('/api/workspace', { name: 'Catalog, renamed' }, admin));
  const task = await ok(client.post('/api/tasks', { title: 'Catalogued', assignedTo: team.member.id }, admin));
  await ok(client.patch(`/api/tasks/${task.id}`, { status: 'in_progress' }, admin));
  const comment = await ok(client.post(`/api/tasks/${task.id}/comments`, { comment: 'A first word' }, admin));
  await ok(client.patch(`/api/tasks/${task.id}/comments/${comment.id}`, { comment: 'A better word' }, admin));
  await ok(client.post(`/api/tasks/${task.id}/comments/${comment.id}/reactions`, { emoji: '👍' }, admin));
  await ok(client.post(`/api/tasks/${task.id}/comments/${comment.id}/reactions`, { emoji: '👍' }, admin));
  const attachment = await ok(client.post(`/api/tasks/${task.id}/attachments`, undefined, { ...admin, ...(await multipartFile('notes', 'notes.txt')) }));
  await ok(client.delete(`/api/tasks/${task.id}/attachments/${attachment.id}`, admin));
  await ok(client.delete(`/api/tasks/${task.id}/comments/${comment.id}`, admin));
  await ok(client.post('/api/notifications/read-all', undefined, { token: team.member.token }));
  await ok(client.put('/api/notifications/preferences', { channels: { commented: { email: true } }, timezone: 'Europe/Berlin' }, { token: team.member.token }));
  await ok(client.put('/api/workspace/notification-defaults', { emailDigest: 'daily' }, admin));
  await ok(client.post(`/api/notifications/tasks/${task.id}/archive`, undefined, { token: team.member.token }));
  const feed = await ok(client.post('/api/calendar/feeds', { scope: 'assigned' }, { token: team.member.token }));
  await ok(client.delete(`/api/calendar/feeds/${feed.id}`, { token: team.member.token }));
  await ok(client.patch(`/api/users/${team.other.id}`, { role: 'manager' }, admin));
  await ok(client.patch(`/api/users/${team.other.id}`, { active: false }, admin));
  const project = await ok(client.post('/api/projects', { key: 'CAT', name: 'Catalogue' }, admin));
  await ok(client.patch(`/api/projects/${project.id}`, { description: 'Every kind of change' }, admin));
  await ok(client.post(`/api/projects/${project.id}/statuses`, { key: 'blocked', name: 'Blocked', category: 'started' }, admin));
  await ok(client.post(`/api/projects/${project.id}/members`, { userId: team.member.id }, admin));
  await ok(client.delete(`/api/projects/${project.id}/members/${team.member.id}`, admin));
  const label = await ok(client.post('/api/labels', { name: 'Catalogued' }, admin));
  await ok(client.patch(`/api/labels/${label.id}`, { color: '#0891b2' }, admin));
  await ok(client.post('/api/fields', { key: 'cat_size', name: 'Size', type: 'number' }, admin));
  await ok(client.patch('/api/fields/cat_size', { name: 'Size, renamed' }, admin));
  const other = await ok(client.post('/api/tasks', { title: 'Linked', labelIds: [label.id], fields: { cat_size: 3 } }, admin));
  const relation = await ok(client.post(`/api/tasks/${task.id}/relations`, { type: 'blocks', taskId: other.id }, admin));
  await ok(client.delete(`/api/tasks/${task.id}/relations/${relation.id}`, admin));
  await ok(client.post(`/api/tasks/${other.id}/watchers`, { userId: team.manager.id }, admin));
  await ok(client.delete(`/api/tasks/${other.id}/watchers/${team.manager.id}`, admin));
  const recurring = await ok(client.post('/api/tasks', { title: 'Every Monday', dueDate: '2031-01-06T09:00:00Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=MO' } }, admin));
  const reminder = await ok(client.post(`/api/tasks/${recurring.id}/reminders`, { beforeDue: 'PT1H' }, admin));
  await ok(client.delete(`/api/tasks/${recurring.id}/reminders/${reminder.id}`, admin));
  await ok(client.patch(`/api/tasks/${recurring.id}`, { recurrence: null }, admin));
  const view = await ok(client.post('/api/views', { name: 'Shared', query: 'priority=high', shared: true }, admin));
  await ok(client.patch(`/api/views/${view.id}`, { name: 'Shared, renamed' }, admin));
  await ok(client.delete(`/api/views/${view.id}`, admin));
  await ok(client.delete(`/api/labels/${label.id}`, admin));
  await ok(client.delete('/api/fields/cat_size', admin));
  await ok(client.patch(`/api/tasks/${task.id}`, { projectId: project.id }, admin));
  await ok(client.delete(`/api/tasks/${task.id}`, admin));
  await ok(client.delete(`/api/projects/${project.id}`, admin));
  // A literal public address: the destination check needs no DNS (there is none here).
  const endpoint = await ok(client.post('/api/webhooks', { url: 'https://93.184.216.34/catalog' }, admin));
  await ok(client.patch(`/api/webhooks/${endpoint.endpoint.id}`, { description: 'Renamed' }, admin));
  await ok(client.post(`/api/webhooks/${endpoint.endpoint.id}/rotate-secret`, {}, admin));
  await ok(client.delete(`/api/webhooks/${endpoint.endpoint.id}`, admin));
}
