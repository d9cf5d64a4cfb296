import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Knex } from 'knex';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Role } from '../domain/caller.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { AccessTokens } from '../services/tokens.js';
import { EVENT_COLUMNS, type BusEvent, type EventBus } from '../events/bus.js';
import { commitSnapshot, newsAfter, newsSince, unseenEvents, type Position } from '../events/positions.js';
import { CLOSE, type ClientMessage, parseClientMessage } from './protocol.js';
import { canSee, type Viewer } from '../events/visibility.js';
import { eventFrame } from '../events/frames.js';
import { inTopic, parseTopic, topicName, type Topic } from '../events/topics.js';

export interface HubOptions {
  /** Topics one socket may hold. */
  maxTopics: number;
  /** Events a resume may replay; further behind, the client is told to resync. */
  replayLimit: number;
  heartbeatMs: number;
  /** Bytes queued for one socket before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  maxMessageBytes: number;
  authTimeoutMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxTopics: 50,
  replayLimit: 1000,
  heartbeatMs: 30_000,
  maxBufferedBytes: 1_048_576,
  maxMessageBytes: 16_384,
  authTimeoutMs: 10_000,
};

interface Subscription {
  topic: Topic;
  name: string;
  /** Until the subscription is acknowledged, live events wait here. */
  backlog: BusEvent[] | undefined;
  /**
   * Which live events are news to this subscriber (see positions.ts): after
   * a resume, those past what the replay sent; for a live start, those
   * committed after it began; until either is known, all of them.
   */
  isNews: (event: BusEvent) => boolean;
}

interface Connection {
  ws: WebSocket;
  origin: string | undefined;
  viewer: Viewer | undefined;
  subscriptions: Map<string, Subscription>;
  alive: boolean;
  expiryTimer: NodeJS.Timeout | undefined;
  /** Frames are handled one after another, after any handshake authentication. */
  queue: Promise<void>;
}

/**
 * The WebSocket server at /ws: authenticates sockets, keeps their topic
 * subscriptions, replays missed events on resume and fans out live events
 * from the bus to the sockets allowed to see them.
 */
export class RealtimeHub {
  private readonly wss: WebSocketServer;
  private readonly byWorkspace = new Map<number, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly sent: { inc(by?: number): void };
  private readonly drops: { inc(by?: number): void };

  constructor(
    private readonly deps: { knex: Knex; tokens: AccessTokens; logger: Logger; bus: EventBus; metrics: Metrics },
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has('taskbase.v1') ? 'taskbase.v1' : false),
    });
    deps.metrics.gauge('taskbase_realtime_sockets', 'Open WebSocket connections', () => this.connections.size);
    this.sent = deps.metrics.counter('taskbase_realtime_messages_sent_total', 'Event frames sent to sockets');
    this.drops = deps.metrics.counter('taskbase_realtime_drops_total', 'Sockets closed as slow consumers or dead');
  }

  /** Routes `/ws` upgrades of the HTTP server here; other upgrades are refused. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, url));
    });
    this.unsubscribe = this.deps.bus.subscribe((event) => this.dispatch(event));
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  private accept(ws: WebSocket, request: IncomingMessage, url: URL): void {
    const connection: Connection = {
      ws,
      origin: request.headers.origin,
      viewer: undefined,
      subscriptions: new Map(),
      alive: true,
      expiryTimer: undefined,
      queue: Promise.resolve(),
    };
    this.connections.add(connection);
    ws.on('pong', () => (connection.alive = true));
    ws.on('close', () => this.forget(connection));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? undefined : parseClientMessage(data.toString());
      connection.queue = connection.queue
        .then(() =>
          message
            ? this.handle(connection, message)
            : this.send(connection, { type: 'error', code: 'bad_message', message: 'Send JSON text frames of the documented types' }),
        )
        .catch((error: unknown) => {
          this.deps.logger.error({ err: error }, 'realtime message failed');
          this.send(connection, { type: 'error', code: 'internal_error', message: 'Something went wrong' });
        });
    });
    const token = handshakeToken(request, url);
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

  private async handle(connection: Connection, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'ping':
        return this.send(connection, { type: 'pong' });
      case 'auth':
        return this.authenticate(connection, message.token);
      case 'subscribe':
        return this.subscribe(connection, message.topic, message.since);
      case 'unsubscribe':
        connection.subscriptions.delete(String(message.topic));
        return this.send(connection, { type: 'ack', op: 'unsubscribe', topic: message.topic });
    }
  }

  private async authenticate(connection: Connection, token: string): Promise<void> {
    const { ws } = connection;
    let claims;
    try {
      claims = this.deps.tokens.verify(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'token_expired';
      return ws.close(CLOSE.unauthorized, expired ? 'token expired' : 'invalid token');
    }
    if (connection.viewer && (connection.viewer.userId !== claims.userId || connection.viewer.workspaceId !== claims.workspaceId)) {
      return ws.close(CLOSE.unauthorized, 'a socket cannot change user');
    }
    if (claims.origins && connection.origin && !claims.origins.includes(connection.origin)) {
      return ws.close(CLOSE.forbidden, 'origin not allowed for this token');
    }
    const user: { role: Role; active: boolean } | undefined = await this.deps.knex('users')
      .where({ id: claims.userId, workspaceId: claims.workspaceId })
      .first('role', 'active');
    if (!user?.active) return ws.close(CLOSE.forbidden, 'account deactivated');
    if (ws.readyState !== ws.OPEN) return;
    connection.viewer = { userId: claims.userId, workspaceId: claims.workspaceId, role: user.role };
    let peers = this.byWorkspace.get(claims.workspaceId);
    if (!peers) this.byWorkspace.set(claims.workspaceId, (peers = new Set()));
    peers.add(connection);
    // The socket lives as long as its token; send a fresh `auth` to extend it.
    clearTimeout(connection.expiryTimer);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    connection.expiryTimer = setTimeout(() => ws.close(CLOSE.unauthorized, 'token expired'), Math.max(0, exp * 1000 - Date.now()));
    this.send(connection, { type: 'ack', op: 'auth', userId: claims.userId, expiresAt: new Date(exp * 1000).toISOString() });
  }

  private async subscribe(connection: Connection, name: unknown, since: number | undefined): Promise<void> {
    const viewer = connection.viewer;
    if (!viewer) return this.send(connection, { type: 'error', code: 'unauthenticated', message: 'Send {"type":"auth"} first', topic: name });
    const topic = parseTopic(name);
    if (!topic) return this.send(connection, { type: 'error', code: 'bad_topic', message: 'Topics are tasks, task:<id> and notifications', topic: name });
    const key = topicName(topic);
    if (!connection.subscriptions.has(key) && connection.subscriptions.size >= this.options.maxTopics) {
      return this.send(connection, { type: 'error', code: 'too_many_topics', message: `At most ${this.options.maxTopics} topics per socket`, topic: key });
    }
    // Take the slot before any await, so concurrent subscribes respect the cap.
    const subscription: Subscription = { topic, name: key, backlog: [], isNews: () => true };
    connection.subscriptions.set(key, subscription);
    try {
      await this.start(connection, viewer, subscription, since);
    } catch (error) {
      // A subscription that could not start must not keep collecting a backlog.
      if (connection.subscriptions.get(key) === subscription) connection.subscriptions.delete(key);
      throw error;
    }
  }

  /** Replays what a resuming client missed, or notes where a live one begins; then acknowledges. */
  private async start(connection: Connection, viewer: Viewer, subscription: Subscription, since: number | undefined): Promise<void> {
    const { topic, name: key } = subscription;
    const current = () => connection.subscriptions.get(key) === subscription; // false once unsubscribed or replaced
    if (topic.kind === 'task') {
      const task = await this.deps.knex('tasks').where({ workspaceId: viewer.workspaceId, id: topic.taskId }).first('id');
      if (!task) {
        if (current()) connection.subscriptions.delete(key);
        return this.send(connection, { type: 'error', code: 'not_found', message: 'No such task', topic: key });
      }
    }
    if (since === undefined) {
      const snapshot = await commitSnapshot(this.deps.knex);
      if (!current()) return;
      subscription.isNews = newsSince(snapshot);
      this.flushBacklog(connection, subscription);
      return this.send(connection, { type: 'ack', op: 'subscribe', topic: key });
    }

    const missed = await this.missedEvents(viewer, topic, since);
    if (!current()) return;
    if (missed === 'too_many') {
      this.send(connection, { type: 'resync', topic: key, message: `More than ${this.options.replayLimit} events were missed: reload, then subscribe without since` });
    } else {
      for (const event of missed.events) this.sendEvent(connection, event, key);
      subscription.isNews = newsAfter(missed.last);
    }
    this.flushBacklog(connection, subscription);
    this.send(connection, { type: 'ack', op: 'subscribe', topic: key, replayed: missed === 'too_many' ? 0 : missed.events.length });
  }

  /** Sends the live events that arrived while the subscription was being set up, those that are news. */
  private flushBacklog(connection: Connection, subscription: Subscription): void {
    const backlog = subscription.backlog ?? [];
    subscription.backlog = undefined;
    for (const event of backlog) if (subscription.isNews(event)) this.sendEvent(connection, event, subscription.name);
  }

  /**
   * The settled events after the one the client last received, and the
   * position the replay reached (live events up to it were covered).
   */
  private async missedEvents(viewer: Viewer, topic: Topic, since: number): Promise<{ events: BusEvent[]; last: Position } | 'too_many'> {
    const { query, from } = await unseenEvents(this.deps.knex, viewer.workspaceId, since);
    if (topic.kind === 'notifications') query.where('userId', viewer.userId).where('type', 'like', 'notification.%');
    else {
      query.whereNull('userId').where((w) => w.where('type', 'like', 'task.%').orWhere('type', 'like', 'comment.%'));
      if (topic.kind === 'task') query.where('taskId', topic.taskId);
    }
    const rows = (await query.limit(this.options.replayLimit + 1).select(EVENT_COLUMNS)) as BusEvent[];
    if (rows.length > this.options.replayLimit) return 'too_many';
    return { events: rows.filter((event) => canSee(viewer, event)), last: rows.at(-1) ?? from };
  }

  private dispatch(event: BusEvent): void {
    const peers = this.byWorkspace.get(event.workspaceId);
    if (!peers) return;
    if (event.type === 'user.deactivated' || event.type === 'user.updated') this.applyUserChange(peers, event);
    // Serialized once per topic, not once per socket: fan-out to a thousand sockets is a thousand sends, not stringifies.
    const frames = new Map<string, string>();
    for (const connection of peers) {
      const viewer = connection.viewer;
      if (!viewer || !canSee(viewer, event)) continue;
      for (const subscription of connection.subscriptions.values()) {
        if (!inTopic(subscription.topic, viewer, event)) continue;
        if (subscription.backlog) {
          subscription.backlog.push(event);
          continue;
        }
        if (!subscription.isNews(event)) continue;
        let frame = frames.get(subscription.name);
        if (frame === undefined) frames.set(subscription.name, (frame = JSON.stringify(eventFrame(event, subscription.name))));
        this.sendRaw(connection, frame);
        this.sent.inc();
      }
    }
  }

  /** A deactivated user stops receiving at once; a role change applies to open sockets. */
  private applyUserChange(peers: Set<Connection>, event: BusEvent): void {
    const user = (event.payload as { user?: { id: number; role: Role; active: boolean } }).user;
    if (!user) return;
    for (const connection of peers) {
      if (connection.viewer?.userId !== user.id) continue;
      if (!user.active) connection.ws.close(CLOSE.forbidden, 'account deactivated');
      else connection.viewer.role = user.role;
    }
  }

  private sendEvent(connection: Connection, event: BusEvent, topic: string): void {
    this.send(connection, eventFrame(event, topic));
    this.sent.inc();
  }

  private send(connection: Connection, frame: object): void {
    this.sendRaw(connection, JSON.stringify(frame));
  }

  private sendRaw(connection: Connection, text: string): void {
    const { ws } = connection;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.drops.inc();
      ws.close(CLOSE.slowConsumer, 'slow consumer: too many unread messages');
      // The close frame waits behind what the client is not reading: do not wait for its answer.
      setTimeout(() => ws.terminate(), 1000).unref();
      return;
    }
    ws.send(text);
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
    this.connections.delete(connection);
    if (connection.viewer) this.byWorkspace.get(connection.viewer.workspaceId)?.delete(connection);
  }

  /** Closes every socket with 1001 (going away) and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    for (const connection of this.connections) connection.ws.close(CLOSE.goingAway, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** A token in the `Sec-WebSocket-Protocol` list (`bearer.<jwt>`) or the `token` query parameter. */
function handshakeToken(request: IncomingMessage, url: URL): string | undefined {
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const bearer = protocols.find((p) => p.startsWith('bearer.'));
  return bearer?.slice('bearer.'.length) || url.searchParams.get('token') || undefined;
}
