import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/realtime/limits.js';
import { startServer, type RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Team } from './support/client.js';
import { databaseMode, sharedDatabase, testConfig } from './support/server.js';
import { TestSocket } from './support/ws.js';

describe('TokenBucket', () => {
  it('allows a burst, then the steady rate, on its own clock', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 500; // half a second: one token back
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000; // never more than the burst
    expect([bucket.take(3), bucket.take()]).toEqual([true, false]);
  });
});

describe(`realtime limits (${databaseMode()} database)`, () => {
  let server: RunningServer;
  let client: TestClient;
  let team: Team;
  const sockets: TestSocket[] = [];
  const open = async (token: string) => {
    const socket = await TestSocket.open(server.url, { token });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    const config = testConfig({ REALTIME_MAX_SOCKETS_PER_USER: '2', REALTIME_MAX_SOCKETS_PER_ADDRESS: '6', REALTIME_MESSAGES_PER_SECOND: '1' });
    server = await startServer(config, { database: await sharedDatabase(), realtime: { messageBurst: 40 } });
    client = new TestClient(server.url);
    team = await createTeam(client, 'Realtime limits');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  it('caps sockets per user, and frees a place when one closes', async () => {
    const [first, second] = [await open(team.member.token), await open(team.member.token)];
    await first.next((f) => f.op === 'auth');
    await second.next((f) => f.op === 'auth');
    const third = await open(team.member.token);
    expect(await third.closedWith()).toEqual({ code: 4429, reason: 'too many connections for this user' });
    const theirs = await open(team.manager.token);
    await theirs.next((f) => f.op === 'auth');
    first.close();
    await first.closedWith();
    let again: TestSocket | undefined;
    for (let attempt = 0; attempt < 20 && !again; attempt++) {
      const socket = await open(team.member.token);
      const answer = await Promise.race([socket.next((f) => f.op === 'auth').then(() => 'ok'), socket.closedWith().then(() => 'closed')]);
      if (answer === 'ok') again = socket;
    }
    expect(again).toBeDefined();
    for (const socket of [second, theirs, again!]) socket.close();
    await Promise.all([second, theirs, again!].map((socket) => socket.closedWith()));
  });

  it('caps sockets per address', async () => {
    const mine = [];
    // Two each (the per-user cap) for three users: six sockets from this test's one address.
    for (const member of [team.admin, team.admin, team.other, team.other, team.manager, team.manager]) mine.push(await open(member.token));
    await Promise.all(mine.map((socket) => socket.next((f) => f.op === 'auth')));
    const seventh = await TestSocket.open(server.url, {});
    sockets.push(seventh);
    expect(await seventh.closedWith()).toEqual({ code: 4429, reason: 'too many connections from this address' });
    for (const socket of mine) socket.close();
    await Promise.all(mine.map((socket) => socket.closedWith()));
  });

  it('refuses frames past the rate with an error, and keeps the socket', async () => {
    const socket = await open(team.manager.token);
    await socket.next((f) => f.op === 'auth');
    for (let i = 0; i < 80; i++) socket.send({ type: 'ping' });
    await socket.next(() => socket.frames.filter((f) => f.type === 'pong' || f.code === 'rate_limited').length >= 80);
    const pongs = socket.frames.filter((f) => f.type === 'pong').length;
    expect(pongs).toBeLessThanOrEqual(42); // the burst of 40 (the auth frame took none), plus what a second refills
    expect(socket.frames.filter((f) => f.code === 'rate_limited').length).toBeGreaterThanOrEqual(38);
    expect(socket.closed).toBeUndefined();
    socket.close();
    await socket.closedWith();
  });

  it('closes a socket whose frames pile up unhandled', async () => {
    const own = await startServer(testConfig(), { database: await sharedDatabase(), realtime: { maxPendingMessages: 5 } });
    try {
      const socket = await TestSocket.open(own.url, { token: team.admin.token });
      await socket.next((f) => f.op === 'auth');
      // Subscribes with `since` read the log: sent at once, the frames behind them wait in the socket's queue.
      for (let i = 0; i < 3; i++) socket.send({ type: 'subscribe', topic: 'tasks', since: 0 });
      for (let i = 0; i < 30; i++) socket.send({ type: 'unsubscribe', topic: 'tasks' });
      expect(await socket.closedWith()).toEqual({ code: 4008, reason: 'too many messages waiting' });
    } finally {
      await own.close();
    }
  });
});
