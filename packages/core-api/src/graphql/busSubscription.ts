import { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import type { BusEvent, EventBus } from '../events/bus.js';
import { NewsGate } from '../events/newsGate.js';
import { commitSnapshot } from '../events/positions.js';
import { reviewAfterUserEvent, type Authenticated } from '../services/callers.js';

/** Undelivered events a subscriber may fall behind by before it is dropped. */
const MAX_QUEUED = 1000;

/** Open streams per user, in this process: past the cap a new subscription is refused. */
export class StreamCounter {
  private readonly open = new Map<number, number>();

  constructor(readonly maxPerUser: number) {}

  acquire(userId: number): () => void {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.maxPerUser) {
      throw new GraphQLError(`At most ${this.maxPerUser} open subscriptions per user`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
    }
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}

const ended = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * Bus events as an async iterator, from the moment of subscribing: it
 * listens to the bus first, then notes what had committed by then (the
 * response starts only after), so nothing committed once the client sees
 * the stream open is missed and nothing from before is delivered late
 * (the same NewsGate as a WebSocket topic). `return()` (client gone)
 * unsubscribes.
 *
 * The stream lives as long as its caller may: it ends when the token
 * expires, when the user is deactivated or their sessions end (a password
 * change), and a role change applies to what it may see from then on, as
 * for a WebSocket.
 */
export class BusSubscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private failure: GraphQLError | undefined;
  private done = false;
  private readonly unsubscribe: () => void;
  private readonly release: () => void;
  private readonly expiry: NodeJS.Timeout;
  private readonly gate = new NewsGate((event) => this.offer(event));

  static async open<T>(
    source: { bus: EventBus; knex: Knex; auth: Authenticated; streams: StreamCounter },
    select: (event: BusEvent) => T | undefined,
  ): Promise<BusSubscription<T>> {
    const subscription = new BusSubscription(source, select);
    try {
      subscription.gate.openSince(await commitSnapshot(source.knex));
    } catch (error) {
      subscription.finish();
      throw error;
    }
    return subscription;
  }

  private constructor(
    private readonly source: { bus: EventBus; auth: Authenticated; streams: StreamCounter },
    private readonly select: (event: BusEvent) => T | undefined,
  ) {
    this.release = source.streams.acquire(source.auth.caller.userId);
    this.unsubscribe = source.bus.subscribe((event) => this.receive(event));
    const left = source.auth.expiresAt.getTime() - Date.now();
    this.expiry = setTimeout(() => this.fail(ended('The access token has expired; subscribe again with a fresh one', 'TOKEN_EXPIRED')), Math.max(0, left));
    this.expiry.unref();
  }

  private receive(event: BusEvent): void {
    if (event.workspaceId === this.source.auth.caller.workspaceId) {
      const verdict = reviewAfterUserEvent(this.source.auth, event);
      if (verdict?.end === 'account_deactivated') return this.fail(ended('This account has been deactivated', 'ACCOUNT_DEACTIVATED'));
      if (verdict?.end === 'session_ended') return this.fail(ended('This session has ended (the password was changed)', 'SESSION_ENDED'));
    }
    this.gate.offer(event);
  }

  private offer(event: BusEvent): void {
    if (this.done || this.failure) return;
    const value = this.select(event);
    if (value === undefined) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
    } else if (this.queue.length >= MAX_QUEUED) {
      this.fail(ended('The subscription fell too far behind; subscribe again', 'SLOW_CONSUMER'));
    } else {
      this.queue.push(value);
    }
  }

  /** Ends the stream with an error: nothing queued is delivered after it. */
  private fail(error: GraphQLError): void {
    if (this.done || this.failure) return;
    this.failure = error;
    this.queue.length = 0;
    this.unsubscribe();
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = undefined;
      this.finish();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.finish();
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    clearTimeout(this.expiry);
    this.unsubscribe();
    this.release();
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
  }
}
