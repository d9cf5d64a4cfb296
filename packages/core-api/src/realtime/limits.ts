import type { IncomingMessage } from 'node:http';

/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. Each client
 * frame takes one (a resume's replay takes more); an empty bucket refuses.
 * The clock is injected so tests need not wait.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(cost = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}

/** Open sockets per key (a user, an address), with a cap. */
export class SocketCounter<K> {
  private readonly counts = new Map<K, number>();

  constructor(readonly max: number) {}

  /** Counts one more socket for `key`; false (and nothing counted) when it already has `max`. */
  add(key: K): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  remove(key: K): void {
    const left = (this.counts.get(key) ?? 1) - 1;
    if (left > 0) this.counts.set(key, left);
    else this.counts.delete(key);
  }
}

/**
 * The client's address as the REST API sees it: the socket's peer, or
 * behind `proxyHops` trusted proxies the X-Forwarded-For entry that many
 * places from the right (entries further left are the client's to write).
 */
export function clientAddress(request: IncomingMessage, proxyHops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (proxyHops <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.slice(-proxyHops)[0] ?? peer;
}
