import { ConfigError, integer } from './config.js';
import { storageConfigFromEnv } from './storage/index.js';
import type { StorageConfig } from './storage/storage.js';

export interface AttachmentSettings {
  /** Largest file, in bytes (ATTACHMENT_MAX_BYTES, default 25 MiB). */
  maxBytes: number;
  /** All of one workspace's files, in bytes (ATTACHMENT_QUOTA_BYTES, default 1 GiB). */
  quotaBytes: number;
  /** Signed download URLs stay valid this long to twice as long (ATTACHMENT_URL_TTL_SECONDS). */
  urlTtlSeconds: number;
  /** Prefix for the URLs handed out (PUBLIC_URL, e.g. https://tasks.example.com); unset: relative to the API. */
  publicUrl: string;
  /** How often thumbnails and object removal are looked for besides being woken; 0: not in this process. */
  jobsIntervalSeconds: number;
  storage: StorageConfig;
}

type Env = Record<string, string | undefined>;

export function attachmentSettings(env: Env, dataDir: string): AttachmentSettings {
  const publicUrl = (env.PUBLIC_URL?.trim() ?? '').replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicUrl)) {
    throw new ConfigError('PUBLIC_URL', 'must be an http(s) URL such as https://tasks.example.com');
  }
  return {
    maxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 25 * 1_048_576, 1024, 5 * 1024 * 1_048_576),
    quotaBytes: integer(env, 'ATTACHMENT_QUOTA_BYTES', 1024 * 1_048_576, 1024, Number.MAX_SAFE_INTEGER),
    urlTtlSeconds: integer(env, 'ATTACHMENT_URL_TTL_SECONDS', 900, 10, 7 * 86_400),
    publicUrl,
    jobsIntervalSeconds: integer(env, 'ATTACHMENT_JOBS_INTERVAL', 30, 0, 86_400),
    storage: storageConfigFromEnv(env as NodeJS.ProcessEnv, dataDir),
  };
}
