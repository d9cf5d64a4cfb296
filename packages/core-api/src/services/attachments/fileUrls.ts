import { createHmac, timingSafeEqual } from 'node:crypto';

export type FileVariant = 'original' | 'thumbnail';
export type Verdict = 'ok' | 'expired' | 'invalid';

/**
 * Short-lived signed URLs for attachment bytes, so that `<img src>` and
 * plain links work without a bearer header. A URL names the attachment, the
 * variant and an expiry, and carries an HMAC of the three under a key
 * derived from the server's secret.
 *
 * Expiries are rounded up to the next `ttlSeconds` boundary plus one period:
 * a URL stays valid for ttl..2×ttl and is the same for every read within a
 * period, so browsers cache the image instead of fetching it per render.
 */
export class FileUrls {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    /** Prepended to the path when set (PUBLIC_URL); otherwise URLs are relative to the API's origin. */
    private readonly publicUrl = '',
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('taskbase attachment urls v1').digest();
  }

  url(id: number, variant: FileVariant = 'original'): string {
    const period = this.ttlSeconds;
    const exp = (Math.floor(this.now() / 1000 / period) + 2) * period;
    return `${this.publicUrl}/api/files/${id}?variant=${variant}&exp=${exp}&sig=${this.signature(id, variant, exp)}`;
  }

  verify(id: number, variant: FileVariant, exp: number, sig: string): Verdict {
    const expected = Buffer.from(this.signature(id, variant, exp));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return exp * 1000 <= this.now() ? 'expired' : 'ok';
  }

  /** Seconds until `exp`: how long a response may be cached. */
  secondsLeft(exp: number): number {
    return Math.max(0, Math.floor(exp - this.now() / 1000));
  }

  private signature(id: number, variant: FileVariant, exp: number): string {
    return createHmac('sha256', this.key).update(`${id}:${variant}:${exp}`).digest('base64url');
  }
}
