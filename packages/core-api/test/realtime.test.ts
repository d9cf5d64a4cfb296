import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubOptions } from '../src/realtime/hub.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { openDatabase } from '../src/db/database.js';
import { startServer } from '../src/server.js';
import { databaseMode, sharedDatabase, startTestServer, testConfig } from './support/server.js';
import { eventually } from './support/webhooks.js';
import { TestSocket } from './support/ws.js';

describe(`realtime over WebSocket (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  const sockets: TestSocket[] = [];
  const track = (socket: TestSocket) => (sockets.push(socket), socket);

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    team = await createTeam(client, 'Live');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  const createTask = async (t: Team, body: Record<string, unknown>, token = t.manager.token) => {
    const response = await client.post('/api/tasks', body, { token });
    expect(response.status).toBe(201);
    return response.body;
  };

  describe('authentication', () => {
    it('closes a socket with a bad token with 4401 and sends no data', async () => {
      const socket = track(await TestSocket.open(server.url, { token: 'not-a-jwt' }));
      expect(await socket.closedWith()).toEqual({ code: 4401, reason: 'invalid token' });
      expect(socket.frames).toEqual([]);
    });

    it('accepts the token in an auth message, and refuses subscriptions before it', async () => {
      const socket = track(await TestSocket.open(server.url));
      socket.send({ type: 'subscribe', topic: 'tasks' });
      expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'unauthenticated' });
      socket.send({ type: 'auth', token: team.member.token });
      await socket.next((f) => f.type === 'ack' && f.op === 'auth');
      socket.send({ type: 'subscribe', topic: 'tasks' });
      await socket.next((f) => f.type === 'ack' && f.op === 'subscribe');
    });

    it('answers malformed frames and unknown topics with errors, and ping with pong', async () => {
      const socket = track(await TestSocket.subscribed(server.url, team.member.token, []));
      socket.send('{nope');
      expect(await socket.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_message' });
      socket.send({ type: 'subscribe', topic: 'everything' });
      expect(await socket.next((f) => f.code === 'bad_topic')).toMatchObject({ topic: 'everything' });
      socket.send({ type: 'subscribe', topic: 'task:999999999' });
      expect(await socket.next((f) => f.code === 'not_found')).toMatchObject({ topic: 'task:999999999' });
      socket.send({ type: 'ping' });
      await socket.next((f) => f.type === 'pong');
    });

    it('stops a deactivated user at once', async () => {
      const t = await createTeam(client, 'Deactivate');
      const socket = track(await TestSocket.subscribed(server.url, t.member.token, ['tasks']));
      await client.patch(`/api/users/${t.member.id}`, { active: false }, { token: t.admin.token });
      expect(await socket.closedWith()).toEqual({ code: 4403, reason: 'account deactivated' });
    });

    it('closes the socket when its token expires', async () => {
      const token = server.services.tokens.sign({ userId: team.member.id, workspaceId: team.workspaceId, role: 'member' }, 2);
      const socket = track(await TestSocket.open(server.url, { token }));
      await socket.next((f) => f.op === 'auth');
      expect(await socket.closedWith(5000)).toEqual({ code: 4401, reason: 'token expired' });
    });

    it("refuses an embed token used from an origin its key doesn't allow", async () => {
      const key = await client.post('/api/api-keys', { name: 'web', allowedOrigins: ['https://app.example'] }, { token: team.admin.token });
      const minted = await client.post('/api/auth/embed-token', { externalId: 'ws-1', name: 'Embedded' }, { headers: { authorization: `Bearer ${key.body.key}` } });
      const wrong = track(await TestSocket.open(server.url, { token: minted.body.accessToken, origin: 'https://evil.example' }));
      expect((await wrong.closedWith()).code).toBe(4403);
      const right = track(await TestSocket.open(server.url, { token: minted.body.accessToken, origin: 'https://app.example' }));
      await right.next((f) => f.op === 'auth');
    });
  });

  describe('delivery', () => {
    it('delivers task and comment events of the workspace with their event ids', async () => {
      const socket = track(await TestSocket.subscribed(server.url, team.member.token, ['tasks']));
      const task = await createTask(team, { title: 'Live one' });
      await client.post(`/api/tasks/${task.id}/comments`, { comment: 'first!' }, { token: team.admin.token });
      const events = await socket.events(2, (f) => f.taskId === task.id);
      expect(events.map((e) => e.event)).toEqual(['task.created', 'comment.created']);
      expect(events[0]).toMatchObject({ topic: 'tasks', actorId: team.manager.id, data: { task: { id: task.id, title: 'Live one' } } });
      expect(events[1].id).toBeGreaterThan(events[0].id);
    });

    it('delivers only the task of a task:<id> topic', async () => {
      const watched = await createTask(team, { title: 'Watched' });
      const socket = track(await TestSocket.subscribed(server.url, team.member.token, [`task:${watched.id}`]));
      const other = await createTask(team, { title: 'Other' });
      await client.patch(`/api/tasks/${other.id}`, { priority: 'high' }, { token: team.manager.token });
      await client.patch(`/api/tasks/${watched.id}`, { priority: 'low' }, { token: team.manager.token });
      // (Its task.created may still arrive: it committed just before the subscription.)
      const [event] = await socket.events(1, (f) => f.event === 'task.updated');
      expect(event).toMatchObject({ topic: `task:${watched.id}`, event: 'task.updated', taskId: watched.id });
      expect(socket.frames.filter((f) => f.type === 'event' && f.taskId !== watched.id)).toEqual([]);
    });

    it("never delivers another workspace's events, over hundreds of random changes", async () => {
      const a = await createTeam(client, 'Isolated A');
      const b = await createTeam(client, 'Isolated B');
      const watcherA = track(await TestSocket.subscribed(server.url, a.member.token, ['tasks', 'notifications']));
      const watcherB = track(await TestSocket.subscribed(server.url, b.admin.token, ['tasks']));
      const bStart = (await client.get('/api/events', { token: b.admin.token })).body.lastId;
      const bTasks = [];
      for (let i = 0; i < 20; i += 1) bTasks.push(await createTask(b, { title: `B ${i}`, assignedTo: b.member.id }));
      const statuses = ['todo', 'in_progress', 'in_review', 'done'];
      const work = [];
      for (let i = 0; i < 200; i += 1) {
        const task = bTasks[i % bTasks.length];
        const kind = i % 3;
        if (kind === 0) work.push(client.patch(`/api/tasks/${task.id}`, { status: statuses[i % 4] }, { token: b.manager.token }));
        else if (kind === 1) work.push(client.post(`/api/tasks/${task.id}/comments`, { comment: `note ${i} @${b.member.email.split('@')[0]}` }, { token: b.admin.token }));
        else work.push(client.patch(`/api/tasks/${task.id}`, { assignedTo: i % 2 ? b.other.id : b.member.id }, { token: b.manager.token }));
        if (work.length >= 10) await Promise.all(work.splice(0));
      }
      await Promise.all(work);
      const marker = await createTask(a, { title: 'A marker', assignedTo: a.member.id });
      await watcherA.events(1, (f) => f.topic === 'notifications');
      await watcherA.events(1, (f) => f.taskId === marker.id && f.event === 'task.created');
      const bTaskIds = new Set(bTasks.map((t) => t.id));
      expect(watcherA.frames.filter((f) => f.type === 'event' && bTaskIds.has(f.taskId))).toEqual([]);
      for (const frame of watcherA.frames.filter((f) => f.type === 'event' && f.data.task)) expect(frame.data.task.workspaceId).toBe(a.workspaceId);
      // B's own watcher saw every task and comment event of B's burst: it really happened.
      let expected = 0;
      for (let after = bStart, more = true; more; ) {
        const page = await client.get(`/api/events?after=${after}&limit=1000`, { token: b.admin.token });
        expected += page.body.data.filter((e: any) => /^(task|comment)\./.test(e.event)).length;
        after = page.body.lastId;
        more = page.body.hasMore;
      }
      expect(expected).toBeGreaterThan(100);
      expect(await watcherB.events(expected)).toHaveLength(expected);
    });

    it("keeps one user's notifications from another", async () => {
      const t = await createTeam(client, 'Private');
      const member = track(await TestSocket.subscribed(server.url, t.member.token, ['notifications']));
      const other = track(await TestSocket.subscribed(server.url, t.other.token, ['notifications']));
      await createTask(t, { title: 'For other', assignedTo: t.other.id });
      const [received] = await other.events(1);
      expect(received).toMatchObject({ event: 'notification.created', data: { notification: { userId: t.other.id, type: 'task.assigned' } } });
      await createTask(t, { title: 'For member', assignedTo: t.member.id });
      const [mine] = await member.events(1);
      expect(mine.data.notification.userId).toBe(t.member.id);
      expect(member.frames.filter((f) => f.type === 'event')).toHaveLength(1);
    });
  });

  describe('resume', () => {
    it('replays exactly the events missed while away, in order, then live ones', async () => {
      const t = await createTeam(client, 'Resume');
      const task = await createTask(t, { title: 'Resumable' });
      const first = track(await TestSocket.subscribed(server.url, t.member.token, ['tasks']));
      await client.patch(`/api/tasks/${task.id}`, { description: 'seen' }, { token: t.manager.token });
      const [seen] = await first.events(1);
      expect(seen.event).toBe('task.updated'); // not the task.created that committed before the subscription
      first.close();
      await first.closedWith();

      const missed = [];
      for (let i = 0; i < 50; i += 1) {
        const response = await client.patch(`/api/tasks/${task.id}`, { description: `missed ${i}` }, { token: t.manager.token });
        missed.push(response.body.version);
      }
      const again = track(await TestSocket.open(server.url, { token: t.member.token }));
      again.send({ type: 'subscribe', topic: 'tasks', since: seen.id });
      const ack = await again.next((f) => f.type === 'ack' && f.op === 'subscribe');
      // The replay holds the missed events already settled; any still waiting behind another test
      // file's open transaction follow live, right after, in the same order.
      expect(ack.replayed).toBeLessThanOrEqual(50);
      expect(again.frames.filter((f) => f.type === 'event')).toHaveLength(ack.replayed);
      const replayed = await again.events(50);
      expect(replayed.map((e) => e.data.task.description)).toEqual(missed.map((_, i) => `missed ${i}`));
      const ids = replayed.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(ids[0]).toBeGreaterThan(seen.id);

      await client.patch(`/api/tasks/${task.id}`, { description: 'live' }, { token: t.manager.token });
      const all = await again.events(51);
      expect(all[50].data.task.description).toBe('live');
      expect(new Set(all.map((e) => e.id)).size).toBe(51);
    });

    it('misses nothing when a client resumes from the largest id it saw while many writers commit at once', async () => {
      const t = await createTeam(client, 'Concurrent resume');
      const writers = 8;
      const perWriter = 15;
      const tasks = await Promise.all(Array.from({ length: writers }, (_, i) => createTask(t, { title: `Writer ${i}` })));
      const witness = track(await TestSocket.subscribed(server.url, t.member.token, ['tasks']));
      const leaver = track(await TestSocket.subscribed(server.url, t.member.token, ['tasks']));
      const updated = (f: any) => f.event === 'task.updated';
      // Ids are taken at insert and transactions commit in any order: the log's order is not id order.
      const writes = Promise.all(
        tasks.map(async (task, w) => {
          for (let i = 0; i < perWriter; i += 1) {
            const response = await client.patch(`/api/tasks/${task.id}`, { description: `w${w} #${i}` }, { token: t.manager.token });
            expect(response.status).toBe(200);
          }
        }),
      );
      // Midway, the client drops and comes back from the largest id it saw, as the SDK does.
      await leaver.events(30, updated, 20_000);
      leaver.close();
      await leaver.closedWith();
      const before = new Set(leaver.frames.filter((f) => f.type === 'event' && updated(f)).map((f) => f.id as number));
      const back = track(await TestSocket.subscribed(server.url, t.member.token, ['tasks'], Math.max(...before)));
      await writes;

      const all = (await witness.events(writers * perWriter, updated, 20_000)).map((f) => f.id as number);
      expect(new Set(all).size).toBe(writers * perWriter);
      const missing = all.filter((id) => !before.has(id));
      const resumed = await back.events(missing.length, (f) => updated(f) && missing.includes(f.id), 20_000);
      expect(new Set(resumed.map((f) => f.id)).size).toBe(missing.length);
      // The log holds exactly these events, and the live socket saw them in the log's order.
      const logged: number[] = [];
      let after = 0;
      for (;;) {
        const page = await client.get(`/api/events?after=${after}&limit=100`, { token: t.member.token });
        logged.push(...page.body.data.filter((e: any) => e.event === 'task.updated').map((e: any) => e.id));
        after = page.body.lastId;
        if (!page.body.hasMore) break;
      }
      expect(logged).toEqual(all);
    }, 60_000);

    it('tells a client too far behind to resync', async () => {
      const small = await startTestServer();
      const smallClient = new TestClient(small.url);
      try {
        const t = await createTeam(smallClient, 'Far behind');
        const since = (await smallClient.get('/api/events', { token: t.member.token })).body.lastId;
        const task = (await smallClient.post('/api/tasks', { title: 'x' }, { token: t.manager.token })).body;
        for (let i = 0; i < 12; i += 1) await smallClient.patch(`/api/tasks/${task.id}`, { description: `${i}` }, { token: t.manager.token });
        // A replay reads settled events only, as the feed does: wait until the feed lists all 13
        // (another test file's open transaction can hold some back for a moment).
        await eventually(async () => {
          const feed = await smallClient.get(`/api/events?after=${since}&limit=100`, { token: t.member.token });
          return feed.body.data.filter((e: { taskId: number | null }) => e.taskId === task.id).length === 13;
        }, 10_000, 'the 13 events to settle');
        small.hub['options'].replayLimit = 10;
        const socket = track(await TestSocket.open(small.url, { token: t.member.token }));
        socket.send({ type: 'subscribe', topic: 'tasks', since });
        expect(await socket.next((f) => f.type === 'resync')).toMatchObject({ topic: 'tasks' });
        expect(socket.frames.filter((f) => f.type === 'event')).toEqual([]);
      } finally {
        await small.close();
      }
    });
  });

  describe('limits', () => {
    it('caps topics per socket and message size', async () => {
      const socket = track(await TestSocket.subscribed(server.url, team.member.token, []));
      server.hub['options'].maxTopics = 2;
      try {
        const tasks = await Promise.all([1, 2, 3].map((i) => createTask(team, { title: `Topic ${i}` })));
        for (const task of tasks) socket.send({ type: 'subscribe', topic: `task:${task.id}` });
        expect(await socket.next((f) => f.code === 'too_many_topics')).toMatchObject({ topic: `task:${tasks[2].id}` });
      } finally {
        server.hub['options'].maxTopics = 50;
      }
      socket.send({ type: 'ping', padding: 'x'.repeat(20_000) });
      expect((await socket.closedWith()).code).toBe(1009);
    });

    /** A server of its own with these hub limits, a team, and a socket that stopped reading. */
    const withStalledSocket = async (realtime: Partial<HubOptions>, run: (ctx: { server: RunningServer; client: TestClient; team: Team; openSockets: () => string }) => Promise<void>) => {
      const own = await startServer(testConfig(), { database: await sharedDatabase(), realtime });
      const ownClient = new TestClient(own.url);
      try {
        const t = await createTeam(ownClient, 'Stalled');
        const stalled = await TestSocket.subscribed(own.url, t.member.token, ['tasks']);
        (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
        const openSockets = () => own.services.metrics.render().match(/taskbase_realtime_sockets (\d+)/)![1]!;
        expect(openSockets()).toBe('1');
        await run({ server: own, client: ownClient, team: t, openSockets });
        expect(Number(own.services.metrics.render().match(/taskbase_realtime_drops_total (\d+)/)![1])).toBe(1);
      } finally {
        await own.close();
      }
    };

    it('closes a socket that stops answering pings', async () => {
      await withStalledSocket({ heartbeatMs: 200 }, async ({ openSockets }) => {
        const deadline = Date.now() + 5000;
        while (openSockets() !== '0' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(openSockets()).toBe('0');
      });
    });

    it('closes a slow consumer instead of buffering for it', async () => {
      await withStalledSocket({ heartbeatMs: 60_000, maxBufferedBytes: 64 * 1024 }, async ({ client: c, team: t, openSockets }) => {
        // Large events, in bulk: the kernel's socket buffers (megabytes on loopback) must fill first.
        const items = Array.from({ length: 45 }, (_, i) => ({ title: `Big ${i}`, description: 'x'.repeat(19_000) }));
        for (let i = 0; openSockets() !== '0' && i < 40; i += 1) {
          expect((await c.post('/api/tasks/bulk', { items }, { token: t.manager.token })).status).toBe(200);
        }
        expect(openSockets()).toBe('0');
      });
    }, 180_000);

    it('closes every socket with 1001 on shutdown', async () => {
      const own = await startTestServer();
      const t = await createTeam(new TestClient(own.url), 'Shutdown');
      const socket = await TestSocket.subscribed(own.url, t.member.token, ['tasks']);
      await own.close();
      expect((await socket.closedWith()).code).toBe(1001);
    });
  });

  describe('GET /api/events', () => {
    it('pages through visible events in id order, hiding private and foreign ones', async () => {
      const t = await createTeam(client, 'Feed');
      const start = (await client.get('/api/events', { token: t.member.token })).body.lastId;
      const task = await createTask(t, { title: 'Feed task', assignedTo: t.other.id });
      await client.post(`/api/tasks/${task.id}/comments`, { comment: 'hello' }, { token: t.member.token });
      // Read as a poller would: page on from the last id until the three events are in. (The feed
      // lists an event once settled, which other test files' open transactions can delay a little.)
      const seen: any[] = [];
      let after = start;
      await eventually(async () => {
        const page = await client.get(`/api/events?after=${after}&limit=2`, { token: t.member.token });
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data);
        after = page.body.lastId;
        return !page.body.hasMore && seen.length >= 3;
      }, 10_000, 'the feed to list the task and comment events');
      expect(seen.map((e) => e.event)).toEqual(['task.created', 'task.assigned', 'comment.created']);
      const otherView = await client.get(`/api/events?after=${start}`, { token: t.other.token });
      expect(otherView.body.data.map((e: any) => e.event)).toContain('notification.created');
      const foreign = await createTeam(client, 'Foreign feed');
      const foreignView = await client.get(`/api/events?after=${start}`, { token: foreign.admin.token });
      expect(foreignView.body.data.filter((e: any) => e.taskId === task.id)).toEqual([]);
    });
  });
});

describe.runIf(databaseMode() === 'postgres')('realtime across connections (PostgreSQL only)', () => {
  it('loses no event when the LISTEN connection is terminated', async () => {
    const server = await startTestServer();
    const client = new TestClient(server.url);
    try {
      const t = await createTeam(client, 'Listener');
      const task = (await client.post('/api/tasks', { title: 'x' }, { token: t.manager.token })).body;
      const socket = await TestSocket.subscribed(server.url, t.member.token, ['tasks']);
      const bus = server.bus as import('../src/events/bus.js').PostgresEventBus;
      const pid = await bus.listenerPid();
      const { knex } = await sharedDatabase();
      await knex.raw('select pg_terminate_backend(?)', [pid!]);
      for (let i = 0; i < 10; i += 1) await client.patch(`/api/tasks/${task.id}`, { description: `during ${i}` }, { token: t.manager.token });
      const events = await socket.events(10, (f) => f.event === 'task.updated');
      expect(events.map((e) => e.data.task.description)).toEqual(Array.from({ length: 10 }, (_, i) => `during ${i}`));
      socket.close();
    } finally {
      await server.close();
    }
  });

  it('a live subscription starts from the moment of subscribing, even when the bus delivers an earlier commit late', async () => {
    const server = await startTestServer();
    const client = new TestClient(server.url);
    // A transaction with an id, left open, holds back delivery of everything that commits after it began.
    const blocker = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1 });
    const trx = await blocker.knex.transaction();
    try {
      const t = await createTeam(client, 'Late');
      await trx.raw('select pg_current_xact_id()');
      const earlier = await client.post('/api/tasks', { title: 'Committed before subscribing' }, { token: t.manager.token });
      const socket = await TestSocket.subscribed(server.url, t.member.token, ['tasks']);
      await trx.rollback(); // the bus may now deliver `earlier`: it is history to this socket
      const later = await client.post('/api/tasks', { title: 'Committed after subscribing' }, { token: t.manager.token });
      const [first] = await socket.events(1, (f) => f.event === 'task.created');
      expect(first.taskId).toBe(later.body.id);
      expect(earlier.body.id).toBeLessThan(later.body.id);
      socket.close();
    } finally {
      if (!trx.isCompleted()) await trx.rollback();
      await blocker.close();
      await server.close();
    }
  });

  it('holds an event back while an older transaction runs, then delivers it, so resuming can never skip it', async () => {
    const server = await startTestServer();
    const client = new TestClient(server.url);
    // Another session with a transaction id, left open: as if it were about to append an event.
    const blocker = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1 });
    try {
      const t = await createTeam(client, 'Held back');
      const socket = await TestSocket.subscribed(server.url, t.member.token, ['tasks']);
      const before = await client.get('/api/events?limit=100', { token: t.member.token });
      const open = blocker.knex.transaction();
      const trx = await open;
      await trx.raw('select pg_current_xact_id()');
      const task = await client.post('/api/tasks', { title: 'Committed behind an open transaction' }, { token: t.manager.token });
      expect(task.status).toBe(201);
      // Committed, but not settled: not listed yet. (Only this task's events: the team's own may
      // settle meanwhile, held by other tests' transactions that are older than the blocker.)
      const ofTask = (page: { body: { data: Array<{ id: number; taskId: number | null }> } }) => page.body.data.filter((e) => e.taskId === task.body.id);
      const during = await client.get(`/api/events?after=${before.body.lastId}`, { token: t.member.token });
      expect(ofTask(during)).toEqual([]);
      await trx.rollback();
      const [event] = await socket.events(1, (f) => f.taskId === task.body.id);
      expect(event.event).toBe('task.created');
      const after = await client.get(`/api/events?after=${before.body.lastId}`, { token: t.member.token });
      expect(ofTask(after).map((e) => e.id)).toEqual([event.id]);
      socket.close();
    } finally {
      await blocker.close();
      await server.close();
    }
  });
});
