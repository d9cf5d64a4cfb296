import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Knex } from 'knex';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BusEvent, EventBus } from '../events/bus.js';
import { inTopic } from '../events/topics.js';
import { canSee } from '../events/visibility.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { reviewAfterUserEvent, type Callers } from '../services/callers.js';
import { Connection, FrameCache, type SendLimits } from './connection.js';
import { SocketCounter, TokenBucket, clientAddress } from './limits.js';
import { CLOSE, type ClientMessage, parseClientMessage } from './protocol.js';
import { authenticateSocket, handshakeToken } from './socketAuth.js';
import { subscribe, type SubscriptionLimits, type TopicExists } from './subscriptions.js';

export interface HubOptions extends SubscriptionLimits {
  heartbeatMs: number;
  /** Sockets one user may hold in this process. */
  maxSocketsPerUser: number;
  /** Sockets one client address may hold in this process (NAT: many users share one). */
  maxSocketsPerAddress: number;
  /** Client frames a socket may send: `messageBurst` at once, then `messagesPerSecond`. */
  messagesPerSecond: number;
  messageBurst: number;
  /** What a resume (`subscribe` with `since`, which reads the log) costs in frames. */
  replayCost: number;
  /** Client frames waiting to be handled before the socket is closed. */
  maxPendingMessages: number;
  /** Trusted proxies in front (TRUST_PROXY): where the client address is read from. */
  proxyHops: number;
  /** Bytes queued for one socket before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  maxMessageBytes: number;
  authTimeoutMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxTopics: 50,
  maxSocketsPerUser: 20,
  maxSocketsPerAddress: 500,
  messagesPerSecond: 20,
  messageBurst: 50,
  replayCost: 10,
  maxPendingMessages: 100,
  proxyHops: 0,
  replayLimit: 1000,
  heartbeatMs: 30_000,
  maxBufferedBytes: 1_048_576,
  maxMessageBytes: 16_384,
  authTimeoutMs: 10_000,
};

export interface HubDeps {
  knex: Knex;
  callers: Callers;
  /** Whether the task or project a topic names exists for the viewer (`task:<id>`, `project:<id>`). */
  topicExists: TopicExists;
  logger: Logger;
  bus: EventBus;
  metrics: Metrics;
}

/**
 * The WebSocket server at /ws: accepts sockets, hands their frames to
 * authentication (socketAuth.ts) and subscriptions (subscriptions.ts), and
 * fans live events from the bus out to the sockets allowed to see them.
 */
export class RealtimeHub {
  private readonly wss: WebSocketServer;
  private readonly byWorkspace = new Map<number, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private readonly perUser: SocketCounter<number>;
  private readonly perAddress: SocketCounter<string>;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly sending: SendLimits;
  private readonly drops: { inc(by?: number): void };

  constructor(
    private readonly deps: HubDeps,
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has('taskbase.v1') ? 'taskbase.v1' : false),
    });
    deps.metrics.gauge('taskbase_realtime_sockets', 'Open WebSocket connections', () => this.connections.size);
    const sent = deps.metrics.counter('taskbase_realtime_messages_sent_total', 'Event frames sent to sockets');
    this.drops = deps.metrics.counter('taskbase_realtime_drops_total', 'Sockets closed as slow consumers or dead');
    this.perUser = new SocketCounter(options.maxSocketsPerUser);
    this.perAddress = new SocketCounter(options.maxSocketsPerAddress);
    this.sending = { frames: new FrameCache(), maxBufferedBytes: options.maxBufferedBytes, onSent: () => sent.inc(), onDropped: () => this.drops.inc() };
  }

  /** Routes `/ws` upgrades of the HTTP server here; other upgrades are refused. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
    });
    this.unsubscribe = this.deps.bus.subscribe((event) => this.dispatch(event));
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const address = clientAddress(request, this.options.proxyHops);
    if (!this.perAddress.add(address)) {
      ws.close(CLOSE.tooMany, 'too many connections from this address');
      return;
    }
    const bucket = new TokenBucket(this.options.messageBurst, this.options.messagesPerSecond);
    const connection = new Connection(ws, request.headers.origin, address, bucket, this.sending);
    this.connections.add(connection);
    ws.on('pong', () => (connection.alive = true));
    ws.on('close', () => this.forget(connection));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => this.receive(connection, isBinary ? undefined : data.toString()));
    const token = handshakeToken(request);
    if (token) {
      connection.queue = this.authenticate(connection, token).catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'realtime authentication failed');
        ws.close(CLOSE.unauthorized, 'authentication failed');
      });
    } else {
      const timer = setTimeout(() => {
        if (!connection.viewer) ws.close(CLOSE.authTimeout, 'authenticate within 10 seconds');
      }, this.options.authTimeoutMs);
      ws.once('close', () => clearTimeout(timer));
    }
  }

  /** Takes a client frame into the socket's queue: within its rate, and while the queue is short. */
  private receive(connection: Connection, text: string | undefined): void {
    if (connection.pending >= this.options.maxPendingMessages) {
      connection.close(CLOSE.slowConsumer, 'too many messages waiting');
      return;
    }
    const message = text === undefined ? undefined : parseClientMessage(text);
    const cost = message?.type === 'subscribe' && message.since !== undefined ? this.options.replayCost : 1;
    if (!connection.bucket.take(cost)) {
      connection.send({ type: 'error', code: 'rate_limited', message: 'Too many messages: slow down', ...(message?.type === 'subscribe' ? { topic: message.topic } : {}) });
      return;
    }
    connection.pending += 1;
    connection.queue = connection.queue
      .then(() =>
        message ? this.handle(connection, message) : connection.send({ type: 'error', code: 'bad_message', message: 'Send JSON text frames of the documented types' }),
      )
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'realtime message failed');
        connection.send({ type: 'error', code: 'internal_error', message: 'Something went wrong' });
      })
      .finally(() => (connection.pending -= 1));
  }

  private async handle(connection: Connection, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'ping':
        return connection.send({ type: 'pong' });
      case 'auth':
        return this.authenticate(connection, message.token);
      case 'subscribe':
        return subscribe(connection, { topic: message.topic, since: message.since }, { ...this.deps, limits: this.options });
      case 'unsubscribe':
        connection.subscriptions.delete(String(message.topic));
        return connection.send({ type: 'ack', op: 'unsubscribe', topic: message.topic });
    }
  }

  private async authenticate(connection: Connection, token: string): Promise<void> {
    if (!(await authenticateSocket(connection, token, this.deps.callers))) return;
    const { userId, workspaceId } = connection.viewer!;
    if (connection.countedUser === undefined) {
      if (!this.perUser.add(userId)) return connection.close(CLOSE.tooMany, 'too many connections for this user');
      connection.countedUser = userId;
    }
    let peers = this.byWorkspace.get(workspaceId);
    if (!peers) this.byWorkspace.set(workspaceId, (peers = new Set()));
    peers.add(connection);
  }

  private dispatch(event: BusEvent): void {
    const peers = this.byWorkspace.get(event.workspaceId);
    if (!peers) return;
    if (event.type === 'user.deactivated' || event.type === 'user.updated') this.applyUserChange(peers, event);
    for (const connection of peers) {
      const viewer = connection.viewer;
      if (!viewer || !canSee(viewer, event)) continue;
      for (const subscription of connection.subscriptions.values()) {
        if (inTopic(subscription.topic, viewer, event)) subscription.gate.offer(event);
      }
    }
  }

  /** A deactivated user, or one whose sessions ended, stops receiving at once; a role change applies to open sockets. */
  private applyUserChange(peers: Set<Connection>, event: BusEvent): void {
    for (const connection of peers) {
      const verdict = connection.auth && reviewAfterUserEvent(connection.auth, event);
      if (verdict?.end === 'account_deactivated') connection.close(CLOSE.forbidden, 'account deactivated');
      else if (verdict?.end === 'session_ended') connection.close(CLOSE.unauthorized, 'session ended');
    }
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        this.drops.inc();
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }

  private forget(connection: Connection): void {
    clearTimeout(connection.expiryTimer);
    if (!this.connections.delete(connection)) return;
    this.perAddress.remove(connection.address);
    if (connection.countedUser !== undefined) this.perUser.remove(connection.countedUser);
    if (connection.viewer) this.byWorkspace.get(connection.viewer.workspaceId)?.delete(connection);
  }

  /** Closes every socket with 1001 (going away) and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    for (const connection of this.connections) connection.close(CLOSE.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
