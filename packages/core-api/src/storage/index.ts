import { join } from 'node:path';
import { DiskStorage } from './disk.js';
import type { S3StorageConfig } from './s3.js';
import type { ObjectStorage, StorageConfig } from './storage.js';

export { InvalidKey } from './keys.js';
export { ObjectNotFound, type ObjectStorage, type StorageConfig, type StoredObject } from './storage.js';

export function createStorage(config: StorageConfig): ObjectStorage {
  return config.driver === 'disk' ? new DiskStorage(config.dir) : new LazyS3Storage(config);
}

/**
 * S3 storage whose SDK is loaded by its first call (ready(), at start): the
 * AWS SDK took a quarter of a second of every start of a server that
 * stores on disk.
 */
class LazyS3Storage implements ObjectStorage {
  readonly driver = 's3' as const;
  private loaded: Promise<ObjectStorage> | undefined;

  constructor(private readonly config: S3StorageConfig) {}

  private storage(): Promise<ObjectStorage> {
    this.loaded ??= import('./s3.js').then(({ S3Storage }) => new S3Storage(this.config));
    return this.loaded;
  }

  async put(...args: Parameters<ObjectStorage['put']>) {
    return (await this.storage()).put(...args);
  }
  async get(key: string) {
    return (await this.storage()).get(key);
  }
  async remove(keys: string[]) {
    return (await this.storage()).remove(keys);
  }
  async ready() {
    return (await this.storage()).ready();
  }
  async close() {
    if (this.loaded) await (await this.loaded).close?.();
  }
}

/**
 * S3 when S3_BUCKET is set, else files under `<dataDir>/attachments`.
 * Half an S3 setup is refused rather than silently falling back to disk, where uploads
 * would land on one machine's local folder unnoticed.
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const bucket = value('S3_BUCKET');
  if (bucket === undefined) {
    const stray = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'].filter(
      (name) => value(name) !== undefined,
    );
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without S3_BUCKET: set S3_BUCKET to store attachments in S3, or unset them`);
    return { driver: 'disk', dir: join(dataDir, 'attachments') };
  }
  const accessKeyId = value('S3_ACCESS_KEY_ID');
  const secretAccessKey = value('S3_SECRET_ACCESS_KEY');
  // Keys may both be absent (the SDK's default credential chain then applies), not just one.
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both left unset for the default AWS credential chain)');
  }
  const endpoint = value('S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new Error(`S3_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return {
    driver: 's3',
    endpoint,
    bucket,
    region: value('S3_REGION') ?? 'us-east-1',
    accessKeyId,
    secretAccessKey,
    // S3-compatible servers (MinIO, s3rver) rarely resolve bucket subdomains.
    forcePathStyle: flag(value('S3_FORCE_PATH_STYLE'), endpoint !== undefined),
  };
}

function flag(raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new Error(`S3_FORCE_PATH_STYLE must be true or false, got ${JSON.stringify(raw)}`);
}
