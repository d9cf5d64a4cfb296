const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const MAX_KEY_BYTES = 1024; // S3's own limit, so a key valid on one driver is valid on the other

export class InvalidKey extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
    this.name = 'InvalidKey';
  }
}

/**
 * Keys become file paths on disk, so only plain relative paths pass: no `..`, no absolute
 * path, no backslash, no empty segment. Segments may not start with a dot either, which
 * also keeps keys from ever naming the disk driver's hidden temporary files.
 * Both drivers apply it, so a key behaves the same whichever one is configured.
 */
export function assertSafeKey(key: string): void {
  if (
    key.length === 0 ||
    Buffer.byteLength(key) > MAX_KEY_BYTES ||
    key.includes('..') ||
    !key.split('/').every((segment) => SEGMENT.test(segment))
  ) {
    throw new InvalidKey(key);
  }
}
