import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem, type Team } from './support/client.js';
import { databaseMode, sharedDatabase, startTestServer } from './support/server.js';

const STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Row {
  workspaceId: number;
  title: string;
  status: (typeof STATUSES)[number];
  priority: (typeof PRIORITIES)[number];
  createdBy: number;
  assignedTo: number | null;
  dueDate: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

/** Tasks spread around [from, to), with due dates around now; a few edge cases are appended. */
function makeRows(team: Team, from: Date, to: Date, count: number, seed: number): Row[] {
  const r = random(seed);
  const people = [team.admin.id, team.manager.id, team.member.id, team.other.id];
  const span = to.getTime() - from.getTime();
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const status = r.pick(STATUSES);
    const createdAt = new Date(from.getTime() - 3 * DAY + r.int(span + 5 * DAY));
    // Due dates keep at least an hour away from now and now + 7 days, so the test's clock and the server's agree.
    const dueOffset = r.pick([-5 * DAY, -2 * HOUR, 2 * HOUR, 3 * DAY, 6 * DAY, 9 * DAY]);
    rows.push({
      workspaceId: team.workspaceId,
      title: `task ${i}`,
      status,
      priority: r.pick(PRIORITIES),
      createdBy: r.pick(people),
      assignedTo: r.pick([...people, null]),
      dueDate: r.next() < 0.2 ? null : new Date(Date.now() + dueOffset),
      createdAt,
      completedAt: status === 'done' ? new Date(createdAt.getTime() + r.int(6 * DAY) + r.int(60_000)) : null,
    });
  }
  // Reopened: a completion time is left over, but the task is not done.
  rows.push({ ...rows[0]!, title: 'reopened', status: 'in_progress', completedAt: new Date(from.getTime() + HOUR) });
  return rows;
}

// ---- the figures, computed in plain JavaScript from the rows ----

const open = (row: Row) => row.status !== 'done';
const inRange = (at: Date | null, from: Date, to: Date) => at !== null && at >= from && at < to;
const completedIn = (row: Row, from: Date, to: Date) => row.status === 'done' && inRange(row.completedAt, from, to);

function visible(rows: Row[], team: Team, viewer: 'manager' | 'member'): Row[] {
  if (viewer === 'manager') return rows;
  return rows.filter((row) => row.createdBy === team.member.id || row.assignedTo === team.member.id);
}

function expectedCounts(rows: Row[], now: Date) {
  const count = (test: (row: Row) => boolean) => rows.filter(test).length;
  const weekEnd = new Date(now.getTime() + 7 * DAY);
  return {
    total: rows.length,
    open: count(open),
    done: count((row) => !open(row)),
    overdue: count((row) => open(row) && row.dueDate !== null && row.dueDate < now),
    dueThisWeek: count((row) => open(row) && row.dueDate !== null && row.dueDate >= now && row.dueDate < weekEnd),
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, count((row) => row.status === s)])),
    byCategory: {
      backlog: 0,
      unstarted: count((row) => row.status === 'todo'),
      started: count((row) => row.status === 'in_progress' || row.status === 'in_review'),
      completed: count((row) => row.status === 'done'),
      canceled: 0,
    },
    byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, count((row) => row.priority === p)])),
  };
}

function expectedByAssignee(rows: Row[], now: Date, names: Map<number, string>) {
  const figures = (subset: Row[]) => ({
    open: subset.filter(open).length,
    done: subset.filter((row) => !open(row)).length,
    overdue: subset.filter((row) => open(row) && row.dueDate !== null && row.dueDate < now).length,
  });
  const ids = [...new Set(rows.map((row) => row.assignedTo).filter((id): id is number => id !== null))];
  const data = ids
    .map((userId) => ({ userId, name: names.get(userId), ...figures(rows.filter((row) => row.assignedTo === userId)) }))
    .sort((a, b) => b.open - a.open || b.done - a.done || a.userId - b.userId);
  return { data, unassigned: figures(rows.filter((row) => row.assignedTo === null)) };
}

const localDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

function expectedTrend(rows: Row[], from: Date, to: Date, timeZone: string) {
  const days: Array<{ date: string; created: number; completed: number }> = [];
  const last = localDate(new Date(to.getTime() - 1), timeZone);
  for (let day = localDate(from, timeZone); day <= last; day = new Date(Date.parse(day) + DAY).toISOString().slice(0, 10)) {
    days.push({
      date: day,
      created: rows.filter((row) => inRange(row.createdAt, from, to) && localDate(row.createdAt, timeZone) === day).length,
      completed: rows.filter((row) => completedIn(row, from, to) && localDate(row.completedAt!, timeZone) === day).length,
    });
  }
  return days;
}

function expectedCompletion(rows: Row[], from: Date, to: Date) {
  const created = rows.filter((row) => inRange(row.createdAt, from, to));
  return {
    created: created.length,
    completed: rows.filter((row) => completedIn(row, from, to)).length,
    completionRate: created.length === 0 ? 0 : created.filter((row) => !open(row)).length / created.length,
  };
}

function expectedCycleTime(rows: Row[], from: Date, to: Date) {
  const hours = rows
    .filter((row) => completedIn(row, from, to))
    .map((row) => Math.max(0, row.completedAt!.getTime() - row.createdAt.getTime()) / HOUR)
    .sort((a, b) => a - b);
  const percentile = (p: number) => {
    if (hours.length === 0) return 0;
    const position = p * (hours.length - 1);
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return hours[low]! + (hours[high]! - hours[low]!) * (position - low);
  };
  const average = hours.length === 0 ? 0 : hours.reduce((sum, h) => sum + h, 0) / hours.length;
  return { count: hours.length, medianHours: percentile(0.5), p90Hours: percentile(0.9), averageHours: average };
}

function expectCycleTime(actual: Record<string, number>, expected: ReturnType<typeof expectedCycleTime>) {
  expect(actual.count).toBe(expected.count);
  for (const key of ['medianHours', 'p90Hours', 'averageHours'] as const) expect(actual[key]).toBeCloseTo(expected[key], 6);
}

/** Every leaf of a response is a value, never null. */
function nulls(value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => nulls(child, `${path}.${key}`));
}

describe(`analytics (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let knex: Knex;
  let team: Team;
  let names: Map<number, string>;
  let rows: Row[];
  let stranger: Team;
  let strangerRows: Row[];
  const from = new Date('2024-03-01T00:00:00Z');
  const to = new Date('2024-03-15T00:00:00Z');
  const range = `from=${from.toISOString()}&to=${to.toISOString()}`;

  /** Stored as the API would: in the workspace's default project, numbered, with the status's category. */
  const insertRows = async (list: Row[]) => {
    const project = await knex('projects').where({ workspaceId: list[0]!.workspaceId, isDefault: true }).first('id', 'key');
    const category = { todo: 'unstarted', in_progress: 'started', in_review: 'started', done: 'completed' } as const;
    await knex('tasks').insert(
      list.map((row, i) => ({ ...row, projectId: project.id, number: 1000 + i, identifier: `${project.key}-${1000 + i}`, statusCategory: category[row.status] })),
    );
  };

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    knex = (await sharedDatabase()).knex;
    team = await createTeam(client, 'Analytics');
    const users: Array<{ id: number; name: string }> = await knex('users').where('workspaceId', team.workspaceId).select('id', 'name');
    names = new Map(users.map((user) => [user.id, user.name]));
    rows = makeRows(team, from, to, 120, 7);
    // Nothing at all happens on March 7th: that day must still be listed, with zeros.
    rows = rows.filter((row) => localDate(row.createdAt, 'UTC') !== '2024-03-07' && localDate(row.completedAt ?? row.createdAt, 'UTC') !== '2024-03-07');
    await insertRows(rows);
    // Another workspace's tasks must never count in this one.
    stranger = await createTeam(client, 'Stranger');
    strangerRows = makeRows(stranger, from, to, 40, 11);
    await insertRows(strangerRows);
  });
  afterAll(() => server.close());

  for (const viewer of ['manager', 'member'] as const) {
    it(`gives the ${viewer} every summary figure over ${viewer === 'manager' ? 'the workspace' : 'their own tasks'}`, async () => {
      const response = await client.get(`/api/analytics/summary?${range}`, { token: team[viewer].token });
      expect(response.status).toBe(200);
      const body = response.body;
      const now = new Date(body.generatedAt);
      const mine = visible(rows, team, viewer);
      expect(body.scope).toBe(viewer === 'manager' ? 'workspace' : 'own');
      expect(body.range).toEqual({ from: from.toISOString(), to: to.toISOString(), timezone: 'UTC' });
      expect(body.counts).toEqual(expectedCounts(mine, now));
      expect(body.byAssignee).toEqual(expectedByAssignee(mine, now, names));
      expect(body.trend).toEqual(expectedTrend(mine, from, to, 'UTC'));
      expect(body.completion.created).toBe(expectedCompletion(mine, from, to).created);
      expect(body.completion.completed).toBe(expectedCompletion(mine, from, to).completed);
      expect(body.completion.completionRate).toBeCloseTo(expectedCompletion(mine, from, to).completionRate, 10);
      expectCycleTime(body.cycleTime, expectedCycleTime(mine, from, to));
    });
  }

  it("counts another workspace's tasks only there", async () => {
    const response = await client.get(`/api/analytics/summary?${range}`, { token: stranger.admin.token });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('workspace');
    expect(response.body.counts).toEqual(expectedCounts(strangerRows, new Date(response.body.generatedAt)));
    expect(response.body.completion.created).toBe(expectedCompletion(strangerRows, from, to).created);
  });

  it('lists days without activity with zeros', async () => {
    const response = await client.get(`/api/analytics/trend?${range}`, { token: team.manager.token });
    expect(response.status).toBe(200);
    expect(response.body.days).toHaveLength(14);
    expect(response.body.days[6]).toEqual({ date: '2024-03-07', created: 0, completed: 0 });
    expect(response.body.totals.created).toBe(expectedCompletion(rows, from, to).created);
  });

  it('answers the focused routes with the same figures as the summary', async () => {
    const token = team.member.token;
    const summary = (await client.get(`/api/analytics/summary?${range}`, { token })).body;
    const [counts, assignees, trend, cycle] = await Promise.all([
      client.get('/api/analytics/counts', { token }),
      client.get('/api/analytics/by-assignee', { token }),
      client.get(`/api/analytics/trend?${range}`, { token }),
      client.get(`/api/analytics/cycle-time?${range}`, { token }),
    ]);
    const mine = visible(rows, team, 'member');
    expect(counts.body).toEqual({ scope: 'own', generatedAt: counts.body.generatedAt, counts: expectedCounts(mine, new Date(counts.body.generatedAt)) });
    expect(assignees.body).toMatchObject(expectedByAssignee(mine, new Date(assignees.body.generatedAt), names));
    expect(trend.body).toMatchObject({ scope: 'own', range: summary.range, days: summary.trend, totals: summary.completion });
    expect(cycle.body).toEqual({ scope: 'own', range: summary.range, cycleTime: summary.cycleTime });
  });

  it('buckets days in the requested time zone, across a DST change', async () => {
    const zone = 'America/New_York';
    const start = new Date('2024-03-08T05:00:00Z'); // midnight in New York
    const end = new Date('2024-03-12T04:00:00Z'); // midnight in New York, after the switch to EDT
    const query = `from=${start.toISOString()}&to=${end.toISOString()}&timezone=${encodeURIComponent(zone)}`;
    const response = await client.get(`/api/analytics/trend?${query}`, { token: team.admin.token });
    expect(response.status).toBe(200);
    expect(response.body.range.timezone).toBe(zone);
    expect(response.body.days.map((d: { date: string }) => d.date)).toEqual(['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11']);
    expect(response.body.days).toEqual(expectedTrend(rows, start, end, zone));
  });

  it('defaults to the last 30 calendar days, today included', async () => {
    const response = await client.get('/api/analytics/summary', { token: team.manager.token });
    expect(response.status).toBe(200);
    const { range: got, trend, generatedAt } = response.body;
    expect(got.to).toBe(generatedAt);
    expect(got.from).toBe(`${localDate(new Date(Date.parse(generatedAt) - 29 * DAY), 'UTC')}T00:00:00.000Z`);
    expect(trend).toHaveLength(30);
    expect(trend.at(-1).date).toBe(generatedAt.slice(0, 10));
  });

  it('answers zeros, not nulls, for a workspace without tasks', async () => {
    const empty = await createTeam(client, 'Empty');
    const response = await client.get('/api/analytics/summary?timezone=Europe/Paris', { token: empty.manager.token });
    expect(response.status).toBe(200);
    expect(nulls(response.body)).toEqual([]);
    expect(response.body.counts).toEqual(expectedCounts([], new Date()));
    expect(response.body.byAssignee).toEqual({ data: [], unassigned: { open: 0, done: 0, overdue: 0 } });
    expect(response.body.trend).toHaveLength(30);
    expect(response.body.trend.every((day: { created: number; completed: number }) => day.created === 0 && day.completed === 0)).toBe(true);
    expect(response.body.completion).toEqual({ created: 0, completed: 0, completionRate: 0 });
    expect(response.body.cycleTime).toEqual({ count: 0, medianHours: 0, p90Hours: 0, averageHours: 0 });
  });

  it.each([
    ['from after to', `from=${to.toISOString()}&to=${from.toISOString()}`, 'from'],
    ['a range over 366 days', `from=2022-01-01T00:00:00Z&to=2023-01-03T00:00:00Z`, 'from'],
    ['a malformed date', 'from=yesterday', 'from'],
    ['a malformed end', 'to=2024-13-01T00:00:00Z', 'to'],
    ['an unknown time zone', 'timezone=Mars/Olympus', 'timezone'],
    ['an unknown parameter', 'bucket=week', 'bucket'],
  ])('refuses %s with a 400 naming the field', async (_label, query, field) => {
    for (const path of ['summary', 'trend', 'cycle-time']) {
      const response = await client.get(`/api/analytics/${path}?${query}`, { token: team.manager.token });
      expect(response.status).toBe(400);
      expect(isProblem(response)).toBe(true);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field, in: 'query' })]));
    }
  });

  it('accepts a range of exactly 366 days', async () => {
    const response = await client.get('/api/analytics/trend?from=2023-01-01T00:00:00Z&to=2024-01-02T00:00:00Z', { token: team.member.token });
    expect(response.status).toBe(200);
    expect(response.body.days).toHaveLength(366);
  });

  it('needs a signed-in caller', async () => {
    const response = await client.get('/api/analytics/summary');
    expect(response.status).toBe(401);
    expect(isProblem(response)).toBe(true);
  });
});
