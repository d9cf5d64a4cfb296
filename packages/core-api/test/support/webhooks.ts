import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One webhook configuration for every test that runs a worker, so that on a
 * shared PostgreSQL any of them may claim any test's deliveries harmlessly.
 */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_WORKER: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_SCHEDULE: '1,1',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_POLL_INTERVAL_MS: '200',
};

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to trip the sender's timeout). */
  delayMs?: number;
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told, per path. */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly events = new EventEmitter();
  private readonly replies = new Map<string, (request: ReceivedWebhook, nth: number) => Reply>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const request: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, body, json, at: Date.now() };
        receiver.received.push(request);
        const nth = receiver.on(request.path).length;
        const reply = receiver.replies.get(request.path)?.(request, nth) ?? { status: 200 };
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, reply.headers).end(reply.body ?? 'ok');
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
        else answer();
        receiver.events.emit('request');
      });
    });
    return receiver;
  }

  /** Answers requests to `path` with `reply(request, nth)` (nth counts from 1); default 200. */
  reply(path: string, reply: (request: ReceivedWebhook, nth: number) => Reply): void {
    this.replies.set(path, reply);
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  /** Resolves once `count` requests to `path` (matching `filter`) have arrived. */
  waitFor(path: string, count: number, filter: (r: ReceivedWebhook) => boolean = () => true, timeoutMs = 20_000): Promise<ReceivedWebhook[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const matching = this.on(path).filter(filter);
        if (matching.length < count) return false;
        clearTimeout(timer);
        this.events.off('request', check);
        resolve(matching);
        return true;
      };
      const timer = setTimeout(() => {
        this.events.off('request', check);
        reject(new Error(`expected ${count} requests to ${path}, got ${this.on(path).filter(filter).length}`));
      }, timeoutMs);
      if (!check()) this.events.on('request', check);
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `probe` until it returns a truthy value, or fails after the deadline. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
