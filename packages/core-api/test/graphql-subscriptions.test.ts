import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { SseSubscription } from './support/sse.js';

describe(`GraphQL subscriptions over SSE (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  let foreign: Team;
  beforeAll(async () => {
    server = await startTestServer({ DUE_REMINDERS_INTERVAL: '0' });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Live');
    foreign = await createTeam(client, 'Live elsewhere');
  });
  afterAll(() => server.close());

  const TASK_CHANGED = `subscription ($filter: TaskChangeFilter) { taskChanged(filter: $filter) {
    type taskId task { id title status version can assignee { id name } } actor { id } data } }`;

  it('receives a change made through REST, never another workspace’s, with the viewer’s permissions', async () => {
    const live = await SseSubscription.open(server.url, team.other.token, TASK_CHANGED);
    try {
      // Made first: if it were delivered, it would arrive before the events below.
      await client.post('/api/tasks', { title: 'Elsewhere' }, { token: foreign.manager.token });
      const task = (await client.post('/api/tasks', { title: 'Live', assignedTo: team.member.id }, { token: team.manager.token })).body;
      await client.patch(`/api/tasks/${task.id}`, { status: 'in_progress' }, { token: team.member.token });
      await client.post(`/api/tasks/${task.id}/comments`, { comment: 'on it' }, { token: team.member.token });
      const events = (await live.received(5)).map((e) => e.data.taskChanged);
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.updated', 'task.status_changed', 'comment.created']);
      expect(events[0]).toMatchObject({
        type: 'task.created',
        taskId: String(task.id),
        task: { title: 'Live', status: 'TODO', version: 1, can: ['COMMENT'], assignee: { id: String(team.member.id) } },
        actor: { id: String(team.manager.id) },
      });
      expect(events.every((e) => e.taskId === String(task.id))).toBe(true);
      expect(events.find((e) => e.type === 'task.updated')).toMatchObject({ task: { status: 'IN_PROGRESS', version: 2 }, actor: { id: String(team.member.id) } });
      expect(events.find((e) => e.type === 'comment.created')).toMatchObject({ task: null, actor: { id: String(team.member.id) } });
    } finally {
      live.close();
    }
  });

  it('filters by task and status', async () => {
    const watched = (await client.post('/api/tasks', { title: 'Watched' }, { token: team.manager.token })).body;
    const other = (await client.post('/api/tasks', { title: 'Other' }, { token: team.manager.token })).body;
    const byTask = await SseSubscription.open(server.url, team.member.token, TASK_CHANGED, { filter: { taskId: String(watched.id) } });
    const done = await SseSubscription.open(server.url, team.member.token, TASK_CHANGED, { filter: { status: ['DONE'] } });
    try {
      await client.patch(`/api/tasks/${other.id}`, { title: 'Other 2' }, { token: team.manager.token });
      await client.patch(`/api/tasks/${watched.id}`, { title: 'Watched 2' }, { token: team.manager.token });
      await client.patch(`/api/tasks/${other.id}`, { status: 'done' }, { token: team.manager.token });
      const [first] = await byTask.received(1);
      expect(first.data.taskChanged).toMatchObject({ type: 'task.updated', task: { title: 'Watched 2' } });
      const [finished] = await done.received(1);
      expect(finished.data.taskChanged).toMatchObject({ taskId: String(other.id), task: { status: 'DONE' } });
    } finally {
      byTask.close();
      done.close();
    }
  });

  it.runIf(databaseMode() === 'postgres')('starts from the moment of subscribing, even when the bus delivers an earlier commit late', async () => {
    // A transaction with an id, left open, holds back delivery of everything that commits after it began.
    const blocker = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1 });
    const trx = await blocker.knex.transaction();
    let subscription: SseSubscription | undefined;
    try {
      await trx.raw('select pg_current_xact_id()');
      const earlier = (await client.post('/api/tasks', { title: 'Committed before subscribing' }, { token: team.manager.token })).body;
      subscription = await SseSubscription.open(server.url, team.member.token, TASK_CHANGED);
      await trx.rollback(); // the bus may now deliver `earlier`: it is history to this subscription
      const later = (await client.post('/api/tasks', { title: 'Committed after subscribing' }, { token: team.manager.token })).body;
      const [first] = await subscription.received(1);
      expect(first.data.taskChanged).toMatchObject({ type: 'task.created', taskId: String(later.id) });
      expect(earlier.id).toBeLessThan(later.id);
    } finally {
      subscription?.close();
      if (!trx.isCompleted()) await trx.rollback();
      await blocker.close();
    }
  });

  it('delivers the caller’s own new notifications only', async () => {
    const mine = await SseSubscription.open(server.url, team.member.token, 'subscription { notificationAdded { type message read task { title } actor { id } } }');
    try {
      await client.post('/api/tasks', { title: 'For other', assignedTo: team.other.id }, { token: team.manager.token });
      await client.post('/api/tasks', { title: 'For member', assignedTo: team.member.id }, { token: team.manager.token });
      const [event] = await mine.received(1);
      expect(event.data.notificationAdded).toEqual({
        type: 'task.assigned',
        message: expect.stringContaining('For member'),
        read: false,
        task: { title: 'For member' },
        actor: { id: String(team.manager.id) },
      });
    } finally {
      mine.close();
    }
  });

  it('refuses a subscription without a valid token', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { notificationAdded { id } }' }),
    });
    const text = await response.text();
    expect(text).toContain('UNAUTHENTICATED');
  });
});
