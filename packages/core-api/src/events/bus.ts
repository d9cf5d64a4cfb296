import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { EVENTS_CHANNEL, eventCommits } from './append.js';
import { EVENT_COLUMNS, Event, type EventRow } from '../models/Event.js';
import { PRIVATE_MEMBERS_SQL } from '../models/Project.js';
import { SETTLED, after, settledHorizon, type Position } from './positions.js';

/** An event as read back from the log and handed to every consumer: one row of the `events` table. */
/**
 * An event as the bus delivers it: the row, with its project's private
 * members as they were when the bus read it (null for a workspace-wide
 * project or no project), so live visibility needs no query per subscriber.
 */
export type BusEvent = EventRow & { privateMembers?: readonly number[] | null };

export type BusListener = (event: BusEvent) => void;

/**
 * Committed events, each delivered once, in every process (WebSocket hub,
 * GraphQL subscriptions, webhook worker wake-ups), in log position order.
 */
export interface EventBus {
  subscribe(listener: BusListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 500;
/** Under a stream of commits, the least time between two reads of the log. */
const READ_GAP_MS = 5;
/** Re-reads while committed events wait behind a transaction still running (it ends in milliseconds, usually). */
const SETTLE_RETRY_MS = [5, 10, 20, 50, 100, 200];
/** Waiting that long is not a busy moment but a transaction left open: say so (again every as long). */
const HELD_WARNING_MS = 10_000;

/**
 * Reads the log after a position, up to the settled horizon (see
 * positions.ts). Events committed behind a transaction that is still
 * running wait for it, and are read again shortly. Nothing is delivered
 * twice and nothing committed is skipped, whatever woke the bus up.
 */
abstract class PollingBus implements EventBus {
  private readonly listeners = new Set<BusListener>();
  /** The last position delivered; undefined until the log could be read once (the database may be down at start). */
  private position: Position | undefined;
  private polling: Promise<void> | undefined;
  private again = false;
  private safetyTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private settleAttempt = 0;
  /** Since when committed events have waited behind a running transaction (0: not waiting). */
  private heldSince = 0;
  private readonly onCommit = () => this.committedHere();

  constructor(
    protected readonly knex: Knex,
    protected readonly logger: Logger,
    /** A poll now and then even without a signal (a peer may crash before telling). */
    private readonly safetyPollMs: number,
  ) {}

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.readStart().catch((error: unknown) => this.logger.warn({ err: error }, 'event bus could not read the log yet'));
    eventCommits.on('commit', this.onCommit);
    this.safetyTimer = setInterval(() => this.poke(), this.safetyPollMs);
    this.safetyTimer.unref();
    await this.startSignals();
  }

  async stop(): Promise<void> {
    eventCommits.off('commit', this.onCommit);
    clearInterval(this.safetyTimer);
    clearTimeout(this.settleTimer);
    await this.stopSignals();
    await this.polling;
  }

  protected abstract startSignals(): Promise<void>;
  protected abstract stopSignals(): Promise<void>;
  /** A transaction of this process committed events. */
  protected committedHere(): void {
    this.poke();
  }

  /** Reads whatever is new; calls made while a read runs fold into one more read. */
  poke(): void {
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.pollLoop().finally(() => (this.polling = undefined));
  }

  private async pollLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.poll();
      } catch (error) {
        this.logger.warn({ err: error }, 'event bus could not read the log');
        return;
      }
      // Commits kept coming while we read: let a few more land, then read them all at once. A
      // quiet bus reads at once; a busy one reads at most every READ_GAP_MS, not once per commit.
      if (this.again) await delay(READ_GAP_MS);
    } while (this.again);
  }

  /** Starts at the settled horizon: only events committed from now on are new. */
  private async readStart(): Promise<void> {
    this.position = await settledHorizon(this.knex);
  }

  private async poll(): Promise<void> {
    if (!this.position) return this.readStart();
    for (;;) {
      const rows = (await after(Event.rows(this.knex), this.position)
        .limit(BATCH)
        .select(EVENT_COLUMNS)
        .select(this.knex.raw(`${SETTLED} as settled`))
        .select(this.knex.raw(`${PRIVATE_MEMBERS_SQL('events')} as private_members`))) as Array<BusEvent & { settled: boolean }>;
      let waiting = false;
      for (const { settled, ...event } of rows) {
        if (!settled) {
          waiting = true;
          break;
        }
        this.position = { txid: event.txid, id: event.id };
        this.deliver(event);
      }
      if (waiting) return this.retrySoon();
      this.settleAttempt = 0;
      this.heldSince = 0;
      if (rows.length < BATCH) return;
    }
  }

  /** Committed events wait behind a running transaction: look again in a moment, backing off. */
  private retrySoon(): void {
    const now = Date.now();
    if (this.heldSince === 0) this.heldSince = now;
    else if (now - this.heldSince > HELD_WARNING_MS) {
      this.logger.warn({ heldMs: now - this.heldSince }, 'event delivery is held back by a long-running transaction (see idle_in_transaction_session_timeout)');
      this.heldSince = now;
    }
    if (this.settleTimer) return;
    const delay = SETTLE_RETRY_MS[Math.min(this.settleAttempt++, SETTLE_RETRY_MS.length - 1)]!;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.poke();
    }, delay);
    this.settleTimer.unref();
  }

  private deliver(event: BusEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, eventId: event.id }, 'event listener failed');
      }
    }
  }
}

/**
 * Other processes are told through LISTEN/NOTIFY on a dedicated connection
 * (not from the pool) that reconnects with backoff. Commits of this process
 * are batched into one payload-less NOTIFY at a time, sent with
 * synchronous_commit off: it is a wake-up call, not data, so it need not
 * wait for a disk flush. Whatever was missed while disconnected is read on
 * reconnect, since reading is by position.
 */
export class PostgresEventBus extends PollingBus {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private notifying = false;
  private notifyAgain = false;

  constructor(
    knex: Knex,
    logger: Logger,
    private readonly connectionString: string,
  ) {
    super(knex, logger, 2_000);
  }

  /** Never fails: with the database down, it keeps retrying. */
  protected async startSignals(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn({ err: error }, 'event bus could not LISTEN yet; retrying');
      this.scheduleReconnect();
    }
  }

  protected override committedHere(): void {
    this.poke();
    void this.notifyPeers();
  }

  private async notifyPeers(): Promise<void> {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    try {
      do {
        this.notifyAgain = false;
        await this.client?.query(`NOTIFY ${EVENTS_CHANNEL}`);
      } while (this.notifyAgain);
    } catch (error) {
      this.logger.warn({ err: error }, 'event bus could not notify other processes');
    } finally {
      this.notifying = false;
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      // Our own NOTIFY comes back too: the commits it announces were read already (committedHere).
      if (message.channel === EVENTS_CHANNEL && message.processId !== backendPid(client)) this.poke();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`SET synchronous_commit = off; LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.attempt = 0;
    this.poke(); // whatever committed while we were not listening
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.logger.warn({ err: error }, 'event bus lost its LISTEN connection; reconnecting');
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(5_000, 100 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'event bus reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
  }

  /** Whether the LISTEN connection is up. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** The backend pid of the LISTEN connection, so tests can terminate it. */
  async listenerPid(): Promise<number | undefined> {
    if (!this.client) return undefined;
    const result = await this.client.query('select pg_backend_pid() as pid');
    return result.rows[0].pid as number;
  }

  protected async stopSignals(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

/** The server process behind a connection (pg sets it at connect; its types leave it out). */
function backendPid(client: pg.Client): number | null {
  return (client as pg.Client & { processID: number | null }).processID;
}

/** The embedded database lives in this process: commits here are all there is. */
export class EmbeddedEventBus extends PollingBus {
  constructor(knex: Knex, logger: Logger, _pglite?: PGlite) {
    super(knex, logger, 5_000);
  }

  protected async startSignals(): Promise<void> {}
  protected async stopSignals(): Promise<void> {}
}
