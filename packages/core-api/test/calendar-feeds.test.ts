import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member } from './support/client.js';
import { databaseMode, sharedDatabase, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

interface IcsEvent {
  [property: string]: { value: string; params: string };
}

/** A small iCalendar reader: unfolds lines, and reads each VEVENT's properties (the last of a name wins). */
function parseIcs(text: string): { calendar: Record<string, string>; events: IcsEvent[] } {
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const calendar: Record<string, string> = {};
  const events: IcsEvent[] = [];
  let current: IcsEvent | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const head = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const [name, ...params] = head.split(';');
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = undefined;
    } else if (current) current[name!] = { value: value.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1'), params: params.join(';') };
    else calendar[name!] = value;
  }
  return { calendar, events };
}

const icsTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe(`calendar feeds (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
  });
  afterAll(() => server.close());

  const inDays = (days: number) => new Date(Math.round((Date.now() + days * 86_400_000) / 1000) * 1000).toISOString();
  const createTask = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', body, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; identifier: string; title: string; dueDate: string | null };
  };
  const createFeed = async (who: Member, body: Record<string, unknown>) => {
    const created = await client.post('/api/calendar/feeds', body, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; name: string; scope: string; projectId: number | null; url: string; createdAt: string };
  };
  /** The feed's path on this server (the URL names the server's own origin). */
  const pathOf = (url: string) => {
    expect(url.startsWith(server.url), `${url} on ${server.url}`).toBe(true);
    return url.slice(server.url.length);
  };
  const read = async (url: string) => {
    const response = await client.get(pathOf(url));
    expect(response.status, String(response.body)).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    return parseIcs(response.body as string);
  };
  const summaries = async (url: string) => (await read(url)).events.map((event) => event.SUMMARY!.value).sort();

  it('serves the tasks with due dates its owner can see, per scope, with links; re-checked at every read', async () => {
    const team = await createTeam(client, 'Calendar');
    const { admin, manager, member, other } = team;
    const hush = await client.post('/api/projects', { key: 'HUSH', name: 'Hush', visibility: 'private' }, { token: admin.token });
    expect(hush.status, JSON.stringify(hush.body)).toBe(201);
    expect((await client.post(`/api/projects/${hush.body.id}/members`, { userId: member.id }, { token: admin.token })).status).toBe(200);

    const mine = await createTask(manager, { title: 'Mine, due soon', assignedTo: member.id, dueDate: inDays(2) });
    await createTask(manager, { title: 'Mine, no due date', assignedTo: member.id });
    await createTask(manager, { title: 'Mine, long past', assignedTo: member.id, dueDate: inDays(-200) });
    const watched = await createTask(manager, { title: 'Watched', assignedTo: other.id, dueDate: inDays(5) });
    await createTask(manager, { title: 'Not mine', assignedTo: other.id, dueDate: inDays(5) });
    expect((await client.post(`/api/tasks/${watched.id}/watchers`, {}, { token: member.token })).status).toBe(200);
    const hidden = await createTask(admin, { title: 'Hushed', projectId: hush.body.id, assignedTo: member.id, dueDate: inDays(7) });

    const assigned = await createFeed(member, { scope: 'assigned', name: 'My work' });
    expect(assigned).toMatchObject({ name: 'My work', scope: 'assigned', projectId: null });
    expect(assigned.url).toMatch(/\/api\/calendar\/tbcal_[A-Za-z0-9_-]{43}\.ics$/);
    const watching = await createFeed(member, { scope: 'watching' });
    const project = await createFeed(member, { scope: 'project', projectId: hush.body.id });
    // Listed without their URLs.
    const listed = await client.get('/api/calendar/feeds', { token: member.token });
    expect(listed.body.data.map((feed: any) => feed.id)).toEqual([project.id, watching.id, assigned.id]);
    expect(JSON.stringify(listed.body)).not.toContain('tbcal_');
    expect((await client.get('/api/calendar/feeds', { token: other.token })).body.data).toEqual([]);
    // Only the hash is stored.
    const { knex } = await sharedDatabase();
    const stored = await knex('calendar_feeds').where({ id: assigned.id }).first();
    expect(JSON.stringify(stored)).not.toContain(assigned.url.split('/').pop()!.replace('.ics', ''));

    const calendar = await read(assigned.url);
    expect(calendar.calendar.VERSION).toBe('2.0');
    expect(calendar.events.map((event) => event.SUMMARY!.value).sort()).toEqual([`${hidden.identifier} Hushed`, `${mine.identifier} Mine, due soon`].sort());
    const event = calendar.events.find((e) => e.SUMMARY!.value.includes('due soon'))!;
    expect(event.DTSTART!.value).toBe(icsTime(mine.dueDate!));
    expect(event.URL!.value).toBe(`${server.url}/tasks/${mine.identifier}`);
    expect(event.UID!.value).toBe(`task-${mine.id}@taskbase`);
    // Assignees watch their tasks too.
    expect(await summaries(watching.url)).toEqual([`${hidden.identifier} Hushed`, `${mine.identifier} Mine, due soon`, `${watched.identifier} Watched`].sort());
    expect(await summaries(project.url)).toEqual([`${hidden.identifier} Hushed`]);

    // Cache headers, and a conditional request answered 304.
    const first = await client.get(pathOf(assigned.url));
    expect(first.headers.get('cache-control')).toBe('private, max-age=300');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await client.get(pathOf(assigned.url), { headers: { 'if-none-match': etag } })).status).toBe(304);

    // Out of the private project: its tasks leave every feed at the next read.
    expect((await client.delete(`/api/projects/${hush.body.id}/members/${member.id}`, { token: admin.token })).status).toBe(204);
    expect(await summaries(assigned.url)).toEqual([`${mine.identifier} Mine, due soon`]);
    expect(await summaries(project.url)).toEqual([]);

    // A deactivated owner's feeds stop.
    expect((await client.patch(`/api/users/${member.id}`, { active: false }, { token: admin.token })).status).toBe(200);
    expect((await client.get(pathOf(assigned.url))).status).toBe(404);
    expect((await client.patch(`/api/users/${member.id}`, { active: true }, { token: admin.token })).status).toBe(200);
    expect((await client.get(pathOf(assigned.url))).status).toBe(200);
  });

  it('gives the latest occurrence of a recurring task its RRULE, on its series’ wall clock', async () => {
    const team = await createTeam(client, 'Recurring feed');
    const { member } = team;
    const { knex } = await sharedDatabase();
    await knex('users').where({ id: member.id }).update({ timezone: 'Europe/Berlin' });
    // Friday 26 March 2027, 09:00 in Berlin (UTC+1); Berlin moves to UTC+2 on the 28th.
    const weekly = await createTask(member, { title: 'Weekly sync', assignedTo: member.id, dueDate: '2027-03-26T08:00:00.000Z', recurrence: { rule: 'FREQ=WEEKLY;BYDAY=FR' } });
    await createTask(member, { title: 'Counted', assignedTo: member.id, dueDate: '2027-03-26T10:00:00.000Z', recurrence: { rule: 'FREQ=DAILY;COUNT=3' } });
    const feed = await createFeed(member, { scope: 'assigned' });
    const byTitle = async () => Object.fromEntries((await read(feed.url)).events.map((event) => [event.SUMMARY!.value.replace(/^\S+ /, ''), event]));

    let events = await byTitle();
    expect(events['Weekly sync']!.DTSTART).toEqual({ value: '20270326T090000', params: 'TZID=Europe/Berlin' });
    expect(events['Weekly sync']!.RRULE!.value).toBe('FREQ=WEEKLY;BYDAY=FR');
    // A COUNT rule counted from the latest occurrence would overrun the series: that event has no RRULE.
    expect(events.Counted!.RRULE).toBeUndefined();
    expect(events.Counted!.DTSTART!.value).toBe('20270326T100000Z');

    // Completing it creates the next occurrence: it carries the rule now, still at 09:00 Berlin time (07:00 UTC after the change).
    expect((await client.patch(`/api/tasks/${weekly.id}`, { status: 'done' }, { token: member.token })).status).toBe(200);
    events = await eventually(async () => {
      const now = (await read(feed.url)).events.filter((event) => event.SUMMARY!.value.endsWith('Weekly sync'));
      return now.length === 2 ? now : undefined;
    }).then((list) => Object.fromEntries(list.map((event) => [event.UID!.value, event])));
    const first = events[`task-${weekly.id}@taskbase`]!;
    const next = Object.values(events).find((event) => event !== first)!;
    expect(first.RRULE).toBeUndefined();
    expect(first.DTSTART!.value).toBe('20270326T080000Z');
    expect(next.DTSTART).toEqual({ value: '20270402T090000', params: 'TZID=Europe/Berlin' });
    expect(next.RRULE!.value).toBe('FREQ=WEEKLY;BYDAY=FR');
  });

  it('answers 404 for a revoked, tampered, malformed or unknown secret', async () => {
    const team = await createTeam(client, 'Revoke');
    const { member, other } = team;
    const feed = await createFeed(member, { scope: 'assigned' });
    const path = pathOf(feed.url);
    expect((await client.get(path)).status).toBe(200);
    const secret = path.slice('/api/calendar/'.length, -'.ics'.length);
    const flipped = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    for (const wrong of [`/api/calendar/${flipped}.ics`, `/api/calendar/${secret.slice(0, -1)}.ics`, '/api/calendar/x.ics', `/api/calendar/${secret}x.ics`]) {
      const answer = await client.get(wrong);
      expect(answer.status, wrong).toBe(404);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    // Hostile text in place of the secret: too long names the parameter; SQL or traversal finds nothing.
    const long = await client.get(`/api/calendar/${'a'.repeat(200)}.ics`);
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe('secret');
    for (const text of ["x' OR '1'='1", '..%2F..%2Fetc%2Fpasswd', '%00']) expect((await client.get(`/api/calendar/${encodeURIComponent(text)}.ics`)).status).toBe(404);
    expect((await client.get(path, { token: other.token })).status).toBe(200);
    // Someone else cannot revoke it; its owner can, once.
    expect((await client.delete(`/api/calendar/feeds/${feed.id}`, { token: other.token })).status).toBe(404);
    expect((await client.delete(`/api/calendar/feeds/${feed.id}`, { token: member.token })).status).toBe(204);
    expect((await client.delete(`/api/calendar/feeds/${feed.id}`, { token: member.token })).status).toBe(404);
    expect((await client.get(path)).status).toBe(404);
    expect((await client.get('/api/calendar/feeds', { token: member.token })).body.data).toEqual([]);

    // Both changes were private events of the owner, without the secret.
    const { knex } = await sharedDatabase();
    const events = await eventually(async () => {
      const rows = await knex('events').where({ workspaceId: team.workspaceId }).whereIn('type', ['calendar_feed.created', 'calendar_feed.revoked']).orderBy('id').select('type', 'userId', 'payload');
      return rows.length === 2 ? rows : undefined;
    });
    expect(events.map((e: any) => [e.type, e.userId, e.payload.calendarFeed.id])).toEqual([
      ['calendar_feed.created', member.id, feed.id],
      ['calendar_feed.revoked', member.id, feed.id],
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('checks its input: the project scope needs a project the caller sees; at most 20 feeds each', async () => {
    const team = await createTeam(client, 'Feed rules');
    const { admin, member } = team;
    const hush = await client.post('/api/projects', { key: 'SHH', name: 'Shh', visibility: 'private' }, { token: admin.token });
    const refused = async (body: Record<string, unknown>, status: number, path?: string) => {
      const answer = await client.post('/api/calendar/feeds', body, { token: member.token });
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      if (path) expect(answer.body.errors.map((e: any) => e.path)).toContain(path);
    };
    await refused({ scope: 'project' }, 422, 'projectId');
    await refused({ scope: 'assigned', projectId: hush.body.id }, 422, 'projectId');
    await refused({ scope: 'project', projectId: hush.body.id }, 422, 'projectId');
    await refused({ scope: 'everything' }, 400, 'scope');
    await refused({ scope: 'assigned', name: 'x'.repeat(101) }, 400, 'name');
    await refused({ scope: 'assigned', extra: true }, 400);
    for (let i = 0; i < 20; i += 1) await createFeed(member, { scope: 'assigned' });
    await refused({ scope: 'assigned' }, 409);
    // The limit is per user.
    await createFeed(team.other, { scope: 'watching' });
  });

  it('GraphQL: calendarFeeds, createCalendarFeed, revokeCalendarFeed', async () => {
    const team = await createTeam(client, 'Graph feeds');
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await client.post('/graphql', { query, variables }, { token: team.member.token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as { data?: any; errors?: any[] };
    };
    const created = await gql('mutation { createCalendarFeed(input: { scope: ASSIGNED, name: "Cal" }) { id name scope url project { id } } }');
    expect(created.errors).toBeUndefined();
    expect(created.data.createCalendarFeed).toMatchObject({ name: 'Cal', scope: 'ASSIGNED', project: null });
    expect((await client.get(pathOf(created.data.createCalendarFeed.url))).status).toBe(200);
    const listed = await gql('{ calendarFeeds { id scope } }');
    expect(listed.data.calendarFeeds).toEqual([{ id: created.data.createCalendarFeed.id, scope: 'ASSIGNED' }]);
    const missing = await gql('mutation { createCalendarFeed(input: { scope: PROJECT }) { id } }');
    expect(JSON.stringify(missing.errors)).toContain('projectId');
    const revoked = await gql('mutation($id: ID!) { revokeCalendarFeed(id: $id) }', { id: created.data.createCalendarFeed.id });
    expect(revoked.data.revokeCalendarFeed).toBe(created.data.createCalendarFeed.id);
    expect((await client.get(pathOf(created.data.createCalendarFeed.url))).status).toBe(404);
  });
});
