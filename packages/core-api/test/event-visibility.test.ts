import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../src/events/append.js';
import type { BusEvent } from '../src/events/bus.js';
import { SETTLED } from '../src/events/positions.js';
import { PRIVATE_MEMBERS_SQL } from '../src/models/Project.js';
import { readVisibleEvents } from '../src/events/reader.js';
import { inTopic, type Topic } from '../src/events/topics.js';
import { canSee, type Viewer } from '../src/events/visibility.js';
import { EVENT_TYPES, type EventType } from '../src/schemas/eventCatalog.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

/**
 * Who may see an event is written twice, as JavaScript (live delivery) and
 * as SQL (replays, GET /api/events): this holds the two equal over every
 * kind of event row there is.
 */
describe(`event visibility: JavaScript and SQL agree (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let team: Team;
  let otherTeam: Team;
  let start: number;
  const TASK_ID = 987_654;
  /** The default project, a private one the member belongs to, and a private one without the member. */
  let projects: { shared: number; joined: number; closed: number };

  beforeAll(async () => {
    server = await startTestServer();
    const client = new TestClient(server.url);
    team = await createTeam(client, 'Visibility');
    otherTeam = await createTeam(client, 'Visibility elsewhere');
    const admin = { token: team.admin.token };
    const shared = (await client.get('/api/projects/GEN', admin)).body.id;
    const joined = (await client.post('/api/projects', { key: 'JOIN', name: 'Joined', visibility: 'private' }, admin)).body.id;
    await client.post(`/api/projects/${joined}/members`, { userId: team.member.id }, admin);
    const closed = (await client.post('/api/projects', { key: 'SHUT', name: 'Closed', visibility: 'private' }, admin)).body.id;
    projects = { shared, joined, closed };
    const { knex } = server.services;
    start = Number((await knex('events').max({ max: 'id' }).first())?.max ?? 0);
    // Every type of the catalog and one it does not know, shared or addressed to each user, on a task or not, here and elsewhere.
    await knex.transaction(async (trx) => {
      // 'mystery.happened' stands for a type this code does not know (written by a newer version, say).
      for (const type of [...EVENT_TYPES, 'mystery.happened' as EventType]) {
        for (const userId of [null, team.admin.id, team.member.id]) {
          for (const taskId of [null, TASK_ID]) {
            for (const projectId of [null, projects.shared, projects.joined, projects.closed]) {
              await appendEvent(trx, { workspaceId: team.workspaceId, type, actorId: null, taskId, projectId, userId, payload: {} });
            }
          }
        }
        await appendEvent(trx, { workspaceId: otherTeam.workspaceId, type, actorId: null, taskId: null, userId: null, payload: {} });
      }
    });
    // Readers list settled rows only: on a shared PostgreSQL, wait until no older transaction holds these back.
    await eventually(async () => {
      const { rows } = await knex.raw(`select bool_and(${SETTLED}) as settled from events where id > ?`, [start]);
      return rows[0].settled === true;
    }, 20_000, 'the rows to settle');
  });
  afterAll(() => server.close());

  const viewers = (): Array<[string, Viewer]> => [
    ...(['admin', 'manager', 'member'] as const).map((role): [string, Viewer] => [role, { userId: team[role].id, workspaceId: team.workspaceId, role }]),
    // Embed tokens limited to projects.
    ['admin limited to the closed project', { userId: team.admin.id, workspaceId: team.workspaceId, role: 'admin', projectIds: [projects.closed] }],
    ['member limited to two projects', { userId: team.member.id, workspaceId: team.workspaceId, role: 'member', projectIds: [projects.shared, projects.closed] }],
  ];

  /** Every row written above, read back whole, and what the SQL reader answers for `viewer`. */
  async function bothWays(viewer: Viewer, topic?: Topic) {
    const { knex } = server.services;
    // As the bus reads them: with each private project's members.
    const rows = (await knex('events')
      .where('id', '>', start)
      .whereIn('workspaceId', [team.workspaceId, otherTeam.workspaceId])
      .orderBy('id')
      .select('*', knex.raw(`${PRIVATE_MEMBERS_SQL('events')} as private_members`))) as BusEvent[];
    const page = await readVisibleEvents(knex, viewer, { afterEventId: start, limit: 1000, topic });
    expect(page.more).toBe(false);
    const js = rows.filter((event) => canSee(viewer, event) && (!topic || inTopic(topic, viewer, event))).map((event) => Number(event.id));
    return { js, sql: page.events.map((event) => Number(event.id)) };
  }

  it('sees the same events of the log, for every role', async () => {
    for (const [role, viewer] of viewers()) {
      const { js, sql } = await bothWays(viewer);
      expect(js.length, role).toBeGreaterThan(0);
      expect(sql, role).toEqual(js);
    }
  });

  it('sees the same events on every topic, for every role', async () => {
    const topics: Topic[] = [
      { kind: 'tasks' },
      { kind: 'task', taskId: TASK_ID },
      { kind: 'notifications' },
      { kind: 'jobs' },
      ...Object.values(projects).map((projectId): Topic => ({ kind: 'project', projectId })),
    ];
    for (const [role, viewer] of viewers()) {
      for (const topic of topics) {
        const { js, sql } = await bothWays(viewer, topic);
        expect(sql, `${role} on ${topic.kind}`).toEqual(js);
      }
    }
  });

  it('keeps administration and unknown types from non-admins, and addressed events to their user', async () => {
    const member: Viewer = { userId: team.member.id, workspaceId: team.workspaceId, role: 'member' };
    const event = (type: string, userId: number | null = null) => ({ workspaceId: team.workspaceId, userId, type, projectId: null });
    expect(canSee(member, event('task.created'))).toBe(true);
    expect(canSee(member, event('api_key.created'))).toBe(false);
    expect(canSee(member, event('mystery.happened'))).toBe(false);
    expect(canSee({ ...member, role: 'admin' }, event('mystery.happened'))).toBe(true);
    expect(canSee(member, event('notification.created', team.admin.id))).toBe(false);
    expect(canSee(member, { ...event('task.created'), workspaceId: otherTeam.workspaceId })).toBe(false);
  });

  it('keeps a private project’s events to its members and admins, and a limited token to its projects', async () => {
    const member: Viewer = { userId: team.member.id, workspaceId: team.workspaceId, role: 'member' };
    const inProject = (projectId: number, privateMembers: number[] | null) => ({ workspaceId: team.workspaceId, userId: null, type: 'task.created', projectId, privateMembers });
    expect(canSee(member, inProject(projects.shared, null))).toBe(true);
    expect(canSee(member, inProject(projects.joined, [team.member.id]))).toBe(true);
    expect(canSee(member, inProject(projects.closed, [team.admin.id]))).toBe(false);
    expect(canSee({ ...member, userId: team.admin.id, role: 'admin' }, inProject(projects.closed, []))).toBe(true);
    expect(canSee({ ...member, projectIds: [projects.joined] }, inProject(projects.shared, null))).toBe(false);
    const { js } = await bothWays(member);
    expect(js.length).toBeGreaterThan(0);
    const closedIds = new Set(
      ((await server.services.knex('events').where('id', '>', start).where('projectId', projects.closed).select('id')) as Array<{ id: number }>).map((r) => Number(r.id)),
    );
    expect(js.filter((id) => closedIds.has(id))).toEqual([]);
  });
});
