import type { RunningServer } from '@taskbase/core-api';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type RealtimeMessage, type RealtimeState, type TaskbaseClient, type WebSocketConstructor } from '../src/index.js';
import { NodeWebSocket, adminClient, nowSeconds, resign, startTestServer } from './support/server.js';

/** Collects a subscription's messages and resolves waits when a predicate holds: no sleeps. */
function collector() {
  const messages: RealtimeMessage[] = [];
  const waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.test()) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  return {
    messages,
    handler: (message: RealtimeMessage) => {
      messages.push(message);
      check();
    },
    until: (test: () => boolean) => new Promise<void>((resolve) => (test() ? resolve() : waiters.push({ test, resolve }))),
    createdTaskIds: () =>
      messages.filter((m) => m.type === 'event' && m.event === 'task.created').map((m) => (m as unknown as { data: { task: { id: number } } }).data.task.id),
    eventIds: () => messages.flatMap((m) => (m.type === 'event' ? [m.id] : [])),
  };
}

function stateRecorder(client: TaskbaseClient) {
  const states: RealtimeState[] = [];
  const waiters: Array<{ state: RealtimeState; resolve: () => void }> = [];
  client.realtime.onStateChange((state) => {
    states.push(state);
    for (const waiter of waiters.filter((w) => w.state === state)) waiter.resolve();
  });
  return { states, reach: (state: RealtimeState) => new Promise<void>((resolve) => (client.realtime.state === state ? resolve() : waiters.push({ state, resolve }))) };
}

/**
 * Resolves once the event feed lists the creation of every one of `taskIds`. A resume replays
 * settled events only, as the feed lists them; under load, another suite's open transaction can
 * hold a fresh commit back for a moment, and it would then arrive live rather than in the replay.
 */
async function settled(client: TaskbaseClient, taskIds: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = await client.events.list({ after: 0, limit: 100 });
    const listed = new Set(data.filter((event) => event.event === 'task.created').map((event) => event.taskId));
    if (taskIds.every((id) => listed.has(id))) return;
    if (Date.now() > deadline) throw new Error(`tasks ${taskIds.join(', ')} never appeared in the event feed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('realtime', () => {
  const servers: RunningServer[] = [];
  const clients: TaskbaseClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.realtime.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  /** A server for the socket, a second one on the same database for writes while the first is down. */
  async function setup(realtime: { replayLimit?: number } = {}) {
    const socketServer = await startTestServer();
    const writeServer = await startTestServer();
    servers.push(socketServer, writeServer);
    const { client: writer, session } = await adminClient(writeServer.url);
    const client = createClient({ url: socketServer.url, token: session.accessToken, WebSocket: NodeWebSocket, reconnectBaseDelay: 20, reconnectMaxDelay: 200 });
    clients.push(client);
    const restart = async () => {
      const restarted = await startTestServer({ PORT: new URL(socketServer.url).port }, realtime);
      servers.push(restarted);
      return restarted;
    };
    return { socketServer, writer, client, restart };
  }

  it('reconnects after the server closes the socket and resumes: events made meanwhile arrive, none twice', async () => {
    const { socketServer, writer, client, restart } = await setup();
    const states = stateRecorder(client);
    const tasks = collector();
    const unsubscribe = client.realtime.subscribe('tasks', tasks.handler);
    await tasks.until(() => tasks.messages.some((m) => m.type === 'subscribed'));
    expect(client.realtime.state).toBe('open');

    const first = await writer.tasks.create({ title: 'before' });
    await tasks.until(() => tasks.createdTaskIds().includes(first.id));

    const reconnecting = states.reach('reconnecting');
    await socketServer.close(); // closes every socket with 1001
    servers.splice(servers.indexOf(socketServer), 1);
    await reconnecting;
    const missed = [await writer.tasks.create({ title: 'while down 1' }), await writer.tasks.create({ title: 'while down 2' })];
    await settled(writer, missed.map((task) => task.id));
    await restart();
    await tasks.until(() => missed.every((task) => tasks.createdTaskIds().includes(task.id)));
    const after = await writer.tasks.create({ title: 'after' });
    await tasks.until(() => tasks.createdTaskIds().includes(after.id));

    expect(tasks.createdTaskIds()).toEqual([first.id, ...missed.map((t) => t.id), after.id]);
    const ids = tasks.eventIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const resubscribed = tasks.messages.filter((m) => m.type === 'subscribed');
    expect(resubscribed).toHaveLength(2);
    expect(resubscribed[1]).toMatchObject({ replayed: expect.any(Number) });
    expect((resubscribed[1] as { replayed: number }).replayed).toBeGreaterThanOrEqual(2);
    expect(states.states.slice(0, 2)).toEqual(['connecting', 'open']);
    expect(states.states).toContain('reconnecting');
    expect(states.states.at(-1)).toBe('open');

    unsubscribe();
    expect(client.realtime.state).toBe('closed');
  });

  it('emits resync to handlers when more events were missed than the server replays', async () => {
    const { socketServer, writer, client, restart } = await setup({ replayLimit: 2 });
    const tasks = collector();
    client.realtime.subscribe('tasks', tasks.handler);
    await tasks.until(() => tasks.messages.some((m) => m.type === 'subscribed'));
    const first = await writer.tasks.create({ title: 'seen' });
    await tasks.until(() => tasks.createdTaskIds().includes(first.id));
    const reconnecting = stateRecorder(client).reach('reconnecting');
    await socketServer.close();
    servers.splice(servers.indexOf(socketServer), 1);
    await reconnecting;
    const missed = [];
    for (let index = 0; index < 3; index++) missed.push((await writer.tasks.create({ title: `missed ${index}` })).id);
    await settled(writer, missed);
    await restart();
    await tasks.until(() => tasks.messages.some((m) => m.type === 'resync'));
    expect(tasks.messages.find((m) => m.type === 'resync')).toMatchObject({ type: 'resync', topic: 'tasks' });
  });

  it('several handlers share one socket; task topics and errors are routed', async () => {
    const { writer, client } = await setup();
    let sockets = 0;
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        sockets++;
      }
    }
    const counted = createClient({ url: client.http.options.baseUrl, token: (await client.http.credentials.get())!, WebSocket: CountingWebSocket as unknown as WebSocketConstructor });
    clients.push(counted);
    const task = await writer.tasks.create({ title: 'watched' });
    const a = collector();
    const b = collector();
    const missing = collector();
    counted.realtime.subscribe(`task:${task.id}`, a.handler);
    counted.realtime.subscribe('tasks', b.handler);
    counted.realtime.subscribe('task:999999999', missing.handler);
    await missing.until(() => missing.messages.some((m) => m.type === 'error'));
    expect(missing.messages[0]).toMatchObject({ type: 'error', code: 'not_found', topic: 'task:999999999' });
    await a.until(() => a.messages.some((m) => m.type === 'subscribed'));
    await writer.tasks.update(task.id, { title: 'renamed' });
    await a.until(() => a.messages.some((m) => m.type === 'event' && m.event === 'task.updated'));
    await b.until(() => b.messages.some((m) => m.type === 'event' && m.event === 'task.updated'));
    expect(sockets).toBe(1);
  });

  it('re-authenticates with a fresh token before the current one expires', async () => {
    const { client } = await setup();
    const token = (await client.http.credentials.get())!;
    // Due for renewal in about 2 s (the margin is 60 s before exp).
    const tokens = [resign(token, { iat: nowSeconds() - 838, exp: nowSeconds() + 62 })];
    const frames: string[] = [];
    const acks: unknown[] = [];
    let ackWaiter: (() => void) | undefined;
    class RecordingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.type === 'ack' && message.op === 'auth') {
            acks.push(message);
            if (acks.length === 2) ackWaiter?.();
          }
        });
      }
      override send(data: string) {
        frames.push(data);
        super.send(data);
      }
    }
    const renewing = createClient({
      url: client.http.options.baseUrl,
      tokenProvider: () => tokens.shift() ?? token,
      WebSocket: RecordingWebSocket as unknown as WebSocketConstructor,
    });
    clients.push(renewing);
    const states = stateRecorder(renewing);
    const secondAck = new Promise<void>((resolve) => (ackWaiter = resolve));
    renewing.realtime.subscribe('notifications', () => {});
    await secondAck;
    expect(frames.filter((frame) => JSON.parse(frame).type === 'auth')).toEqual([JSON.stringify({ type: 'auth', token })]);
    expect(states.states).toEqual(['connecting', 'open']);
  });
});
