import { createHmac, timingSafeEqual } from 'node:crypto';

export type Verdict = 'ok' | 'expired' | 'invalid';

/**
 * Short-lived signed URLs of an export's file, so that a browser can
 * download it with a plain link (no bearer header). A URL names the export
 * and an expiry, and carries an HMAC of both under a key derived from the
 * server's secret (not the attachments' key: a signature of one never
 * opens the other). Checked in constant time.
 */
export class DownloadUrls {
  private readonly key: Buffer;

  constructor(
    secret: string,
    readonly ttlSeconds = 15 * 60,
    /** Prepended to the path when set (PUBLIC_URL); otherwise URLs are relative to the API's origin. */
    private readonly publicUrl = '',
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('taskbase export downloads v1').digest();
  }

  /** A URL valid for ttlSeconds, but never past `until` (when the file itself expires). */
  url(id: number, until: Date | null): { url: string; expiresAt: Date } {
    let exp = Math.floor(this.now() / 1000) + this.ttlSeconds;
    if (until) exp = Math.min(exp, Math.floor(until.getTime() / 1000));
    return { url: `${this.publicUrl}/api/exports/${id}/download?exp=${exp}&sig=${this.signature(id, exp)}`, expiresAt: new Date(exp * 1000) };
  }

  verify(id: number, exp: number, sig: string): Verdict {
    const expected = Buffer.from(this.signature(id, exp));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return exp * 1000 <= this.now() ? 'expired' : 'ok';
  }

  private signature(id: number, exp: number): string {
    return createHmac('sha256', this.key).update(`export:${id}:${exp}`).digest('base64url');
  }
}
