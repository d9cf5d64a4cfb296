import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';

/** A URL-safe random secret of `bytes` bytes of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hash for high-entropy secrets (tokens, keys): a lookup key, not a password hash. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * bcrypt runs on libuv's thread pool, so hashing never blocks the event
 * loop. It still takes a whole core for ~200 ms: at most `cores - 1` hashes
 * run at once (the rest queue), so sign-in bursts cannot starve every other
 * request of CPU.
 */
export class Passwords {
  // Compared against when the account does not exist, so a miss costs as much as a hit.
  private readonly dummy: Promise<string>;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly cost: number,
    private readonly concurrency = Math.max(1, availableParallelism() - 1),
  ) {
    this.dummy = bcrypt.hash(randomSecret(), cost);
  }

  hash(password: string): Promise<string> {
    return this.limited(() => bcrypt.hash(password, this.cost));
  }

  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash) {
      const dummy = await this.dummy;
      await this.limited(() => bcrypt.compare(password, dummy));
      return false;
    }
    return this.limited(() => bcrypt.compare(password, hash));
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
