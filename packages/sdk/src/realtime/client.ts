import { REALTIME_DEDUPE_WINDOW, REALTIME_PROTOCOL, TOKEN_EXPIRY_MARGIN_MS } from '../core/constants.js';
import type { WebSocketConstructor, WebSocketLike } from '../core/options.js';
import { renewalTime } from '../internal/jwt.js';
import { backoffDelay } from '../internal/timing.js';
import type { RealtimeError, RealtimeHandler, RealtimeMessage, RealtimeState, RealtimeTopic } from './types.js';

interface RealtimeDeps {
  baseUrl: string;
  WebSocket: WebSocketConstructor | undefined;
  /** A current access token (renewed when about to expire). */
  getToken: () => Promise<string | undefined>;
  /** A new access token, after the server refused the current one. */
  renewToken: () => Promise<string | undefined>;
  reconnectBaseDelay: number;
  reconnectMaxDelay: number;
}

interface TopicState {
  handlers: Set<RealtimeHandler>;
  /**
   * The last event delivered on this topic: a reconnect resumes after it.
   * Events come in commit order, which is not id order, so this is the last
   * id, not the largest.
   */
  lastId: number | undefined;
  /** Recently delivered ids, to drop duplicates. */
  seen: Set<number>;
}

const CLOSE_FORBIDDEN = 4403;
const CLOSE_UNAUTHORIZED = 4401;
const OPEN = 1;

/**
 * One shared WebSocket for every subscription. It connects on the first
 * subscribe, reconnects with backoff, resumes each topic after the last event
 * it delivered (the server replays what was missed, and duplicates are
 * dropped), re-authenticates before the token expires, and closes when the
 * last subscription ends.
 */
export class RealtimeClient {
  private socket: WebSocketLike | undefined;
  private currentState: RealtimeState = 'closed';
  private readonly topics = new Map<string, TopicState>();
  private readonly stateListeners = new Set<(state: RealtimeState) => void>();
  private attempt = 0;
  private token: string | undefined;
  private refused = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether a connect() is waiting for its token. */
  private connecting = false;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last event id seen on any topic: the resume point of topics that saw none yet. */
  private lastSeen: number | undefined;

  constructor(private readonly deps: RealtimeDeps) {}

  /** The connection state. */
  get state(): RealtimeState {
    return this.currentState;
  }

  /**
   * Calls `handler` with every event (and resync or error notice) of a topic.
   * Returns the function that ends this subscription.
   * @example
   * const stop = client.realtime.subscribe('tasks', (message) => {
   *   if (message.type === 'event') console.log(message.event, message.data);
   * });
   */
  subscribe(topic: RealtimeTopic, handler: RealtimeHandler): () => void {
    if (!this.deps.WebSocket) {
      throw new TypeError('This environment has no global WebSocket: pass the WebSocket option to createClient (in Node 20, the `ws` package\'s WebSocket)');
    }
    let state = this.topics.get(topic);
    if (!state) {
      state = { handlers: new Set(), lastId: undefined, seen: new Set() };
      this.topics.set(topic, state);
      if (this.socket?.readyState === OPEN) this.send({ type: 'subscribe', topic });
    }
    state.handlers.add(handler);
    if (!this.socket && !this.reconnectTimer && !this.connecting) void this.connect();
    return () => {
      const current = this.topics.get(topic);
      if (!current?.handlers.delete(handler) || current.handlers.size) return;
      this.topics.delete(topic);
      if (this.socket?.readyState === OPEN) this.send({ type: 'unsubscribe', topic });
      if (!this.topics.size) this.shutdown();
    };
  }

  /** Calls `listener` on every state change; returns the function that stops it. */
  onStateChange(listener: (state: RealtimeState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Ends every subscription and closes the socket. */
  close(): void {
    this.topics.clear();
    this.shutdown();
  }

  private shutdown(): void {
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.renewTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client closed');
    this.attempt = 0;
    this.setState('closed');
  }

  private async connect(): Promise<void> {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let token: string | undefined;
    this.connecting = true;
    try {
      token = this.refused ? await this.deps.renewToken() : await this.deps.getToken();
    } catch {
      token = undefined;
    } finally {
      this.connecting = false;
    }
    if (!this.topics.size) return this.shutdown();
    if (!token) return this.scheduleReconnect();
    this.token = token;
    const url = `${this.deps.baseUrl.replace(/^http/, 'ws')}/ws`;
    const socket = new this.deps.WebSocket!(url, [REALTIME_PROTOCOL, `bearer.${token}`]);
    this.socket = socket;
    socket.onopen = () => {
      // The server authenticates from the subprotocol before it handles these.
      for (const [topic, state] of this.topics) {
        const since = state.lastId ?? this.lastSeen;
        socket.send(JSON.stringify(since === undefined ? { type: 'subscribe', topic } : { type: 'subscribe', topic, since }));
      }
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(typeof event.data === 'string' ? event.data : String(event.data));
    };
    socket.onerror = () => {}; // a close event follows
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearTimeout(this.renewTimer);
      if (event.code === CLOSE_FORBIDDEN) {
        this.notifyAll({ type: 'error', code: 'forbidden', message: event.reason || 'The server refused this socket' });
        this.topics.clear();
        return this.shutdown();
      }
      this.refused = event.code === CLOSE_UNAUTHORIZED;
      if (this.topics.size) this.scheduleReconnect();
      else this.shutdown();
    };
  }

  private scheduleReconnect(): void {
    this.setState('reconnecting');
    const wait = backoffDelay(this.attempt++, this.deps.reconnectBaseDelay, this.deps.reconnectMaxDelay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, wait);
  }

  private receive(text: string): void {
    let message: { type?: string; op?: string; topic?: string; id?: number; replayed?: number; code?: string; message?: string };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'ack' && message.op === 'auth') {
      this.attempt = 0;
      this.refused = false;
      this.setState('open');
      this.scheduleRenewal();
    } else if (message.type === 'ack' && message.op === 'subscribe') {
      const state = this.topics.get(message.topic ?? '');
      if (state) this.dispatch(state, { type: 'subscribed', topic: message.topic!, replayed: message.replayed ?? 0 });
    } else if (message.type === 'event' && typeof message.id === 'number') {
      const state = this.topics.get(message.topic ?? '');
      if (!state || state.seen.has(message.id)) return;
      state.seen.add(message.id);
      if (state.seen.size > REALTIME_DEDUPE_WINDOW) state.seen.delete(state.seen.values().next().value!);
      state.lastId = message.id;
      this.lastSeen = message.id;
      this.dispatch(state, message as RealtimeMessage);
    } else if (message.type === 'resync' || (message.type === 'error' && message.topic !== undefined)) {
      const state = this.topics.get(String(message.topic));
      if (state) this.dispatch(state, message as RealtimeMessage);
    }
  }

  /** Sends a fresh token when the current one is due for renewal, so the socket stays open. */
  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    const at = this.token ? renewalTime(this.token, TOKEN_EXPIRY_MARGIN_MS) : undefined;
    if (at === undefined) return;
    const socket = this.socket;
    this.renewTimer = setTimeout(async () => {
      // Renew outright: a timer may fire a millisecond before `at`, when a "still fresh?" check
      // would hand back the same token, and the socket would then never renew.
      const token = await this.deps.renewToken().catch(() => undefined);
      if (token && token !== this.token && this.socket === socket && socket?.readyState === OPEN) {
        this.token = token;
        this.send({ type: 'auth', token });
      }
    }, Math.max(0, at - Date.now()));
  }

  private dispatch(state: TopicState, message: RealtimeMessage): void {
    for (const handler of [...state.handlers]) {
      try {
        handler(message);
      } catch (error) {
        // A throwing handler must not stop the others or the socket.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  private notifyAll(message: RealtimeError): void {
    for (const state of this.topics.values()) this.dispatch(state, message);
  }

  private send(message: object): void {
    this.socket?.send(JSON.stringify(message));
  }

  private setState(state: RealtimeState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}
