import type { WebSocket } from 'ws';
import type { BusEvent } from '../events/bus.js';
import { eventFrame } from '../events/frames.js';
import type { NewsGate } from '../events/newsGate.js';
import type { Topic } from '../events/topics.js';
import type { Viewer } from '../events/visibility.js';
import type { Authenticated } from '../services/callers.js';
import type { TokenBucket } from './limits.js';
import { CLOSE } from './protocol.js';

export interface Subscription {
  topic: Topic;
  name: string;
  gate: NewsGate;
}

/**
 * Event frames as text, each serialized once per topic however many
 * sockets receive it: fan-out to a thousand sockets is a thousand sends,
 * not a thousand stringifies. Holds the frames of the latest event only.
 */
export class FrameCache {
  private eventId = -1;
  private readonly frames = new Map<string, string>();

  get(event: BusEvent, topic: string): string {
    if (event.id !== this.eventId) {
      this.eventId = event.id;
      this.frames.clear();
    }
    let frame = this.frames.get(topic);
    if (frame === undefined) this.frames.set(topic, (frame = JSON.stringify(eventFrame(event, topic))));
    return frame;
  }
}

/** What a connection needs from the hub to send. */
export interface SendLimits {
  frames: FrameCache;
  /** Bytes queued for one socket before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  onSent(): void;
  onDropped(): void;
}

/** One WebSocket: who it is (once authenticated), its topics, and sending with a bound on unread bytes. */
export class Connection {
  viewer: Viewer | undefined;
  /** The token the socket authenticated with, once it has. */
  auth: Authenticated | undefined;
  readonly subscriptions = new Map<string, Subscription>();
  alive = true;
  expiryTimer: NodeJS.Timeout | undefined;
  /** Frames are handled one after another, after any handshake authentication. */
  queue: Promise<void> = Promise.resolve();
  /** Frames received and not yet handled (the queue above is bounded by this count). */
  pending = 0;
  /** The user this socket counts against, once authenticated. */
  countedUser: number | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly origin: string | undefined,
    /** The client's address, as the REST API would see it. */
    readonly address: string,
    /** Frames the client may send: a burst, then a steady rate. */
    readonly bucket: TokenBucket,
    private readonly limits: SendLimits,
  ) {}

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendEvent(event: BusEvent, topic: string): void {
    this.sendRaw(this.limits.frames.get(event, topic));
    this.limits.onSent();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private sendRaw(text: string): void {
    const { ws } = this;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.limits.onDropped();
      ws.close(CLOSE.slowConsumer, 'slow consumer: too many unread messages');
      // The close frame waits behind what the client is not reading: do not wait for its answer.
      setTimeout(() => ws.terminate(), 1000).unref();
      return;
    }
    ws.send(text);
  }
}
