import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachmentSettings, type AttachmentSettings } from './attachmentSettings.js';
import { emailSettings, type EmailConfig } from './emailSettings.js';

/** Everything the server reads from its environment, validated once at start. */
/** The embedded database's shared_buffers unless told otherwise (PostgreSQL's and PGlite's default is 128 MB). */
export const DEFAULT_EMBEDDED_SHARED_BUFFERS_MB = 32;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; undefined selects the embedded database. */
  databaseUrl: string | undefined;
  /** Redis for the shared rate-limit counts; undefined keeps them in the database. */
  redisUrl: string | undefined;
  /** Prepended to every Redis key, so deployments can share one Redis. */
  redisKeyPrefix: string;
  dataDir: string;
  jwt: {
    secret: string;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    embedTtlSeconds: number;
  };
  bcryptCost: number;
  corsOrigins: string[];
  logLevel: string;
  bodyLimitBytes: number;
  /** Failed logins per account or address within `loginWindowSeconds` before 429. */
  loginMaxFailures: number;
  /** Sign-ins to one account checked at once, at most (never fewer than loginMaxFailures). */
  loginMaxConcurrent: number;
  loginWindowSeconds: number;
  seedDemo: boolean;
  migrateOnStart: boolean;
  /** Built Angular shell served at `/`, and the widgets package for `/demo`; unset or missing → not served. */
  appDir: string | undefined;
  widgetsDir: string | undefined;
  /** WebSocket limits per process (see realtime/hub.ts). */
  realtimeLimits: { maxSocketsPerUser: number; maxSocketsPerAddress: number; messagesPerSecond: number };
  graphqlLimits: {
    /** Aliased fields one operation may have. */
    maxAliases: number;
    /** Root fields (writes) one mutation operation may have. */
    maxMutations: number;
    /** Open subscription streams (SSE) one user may hold per process. */
    maxStreamsPerUser: number;
  };
  /** Whether anyone may create a workspace through POST /api/auth/register (ALLOW_SIGNUP). */
  allowSignup: boolean;
  /** The bearer token GET /metrics needs; unset: only direct requests from this machine may read it. */
  metricsToken: string | undefined;
  /** Trust X-Forwarded-* from a proxy in front (client address, protocol). */
  trustProxy: boolean;
  /**
   * How many proxies in front append to X-Forwarded-For: the client address
   * is the entry that many places from the right. Entries further left were
   * sent by the client and prove nothing.
   */
  proxyHops: number;
  rateLimits: { perUser: number; perAddress: number; flushIntervalMs: number };
  /** Connections per process to PostgreSQL (writes hold one for a transaction's round trips). */
  databasePoolMax: number;
  /** Hot statements run as named (prepared) ones on PostgreSQL; off behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode). */
  databasePreparedStatements: boolean;
  /** The embedded database's shared_buffers in MB: memory it holds from the start. */
  embeddedSharedBuffersMb: number;
  /** How long an analytics summary may be reused while its workspace does not change. */
  analyticsCacheSeconds: number;
  /** How often the due-soon/overdue job runs; 0 turns it off in this process. */
  dueRemindersIntervalSeconds: number;
  /** How often the recurring-task job (mode `schedule`) runs; 0 turns it off in this process. */
  recurrenceIntervalSeconds: number;
  /** How often the task-reminder job runs; 0 turns it off in this process. */
  remindersIntervalSeconds: number;
  /** Embedded database only: seconds between whole-database ANALYZE runs (when anything was written); 0 turns them off. */
  embeddedAnalyzeIntervalSeconds: number;
  webhooks: WebhookConfig;
  /** How long old rows are kept, and how often the cluster-wide job prunes them (services/retention.ts); 0 seconds: not from this process. */
  retention: { intervalSeconds: number; eventsDays: number; webhookDeliveriesDays: number; refreshTokensDays: number; idempotencyHours: number };
  /** Largest response kept for `Idempotency-Key` replay; a larger one is not stored. */
  idempotencyMaxResponseBytes: number;
  /** File attachments: limits, signed URLs, storage (attachmentSettings.ts). */
  attachments: AttachmentSettings;
  /** How often this process looks for export and import jobs (services/dataJobs/); 0: it runs none. Creating a job wakes it sooner. */
  dataJobsIntervalSeconds: number;
  /** How long an export's archive stays downloadable before it is removed. */
  exportTtlHours: number;
  /** The largest file `POST /api/imports` takes (bytes). */
  importMaxBytes: number;
  /** The email channel (services/email/): off when SMTP_URL or MAIL_FROM is unset. */
  email: EmailConfig;
}

/** Webhook delivery settings (see services/webhooks/). */
export interface WebhookConfig {
  /** Whether this API process runs the delivery worker (`taskbase worker` runs it alone). */
  worker: boolean;
  /**
   * Private destinations allowed: `true` every private and loopback range, or
   * these CIDRs. Link-local and metadata addresses never (services/webhooks/addresses.ts).
   */
  allowPrivate: boolean | string[];
  /** Seconds to wait after each failed attempt; its length is the number of retries. */
  retrySchedule: number[];
  timeoutMs: number;
  /** Safety-net poll; the event bus wakes the worker sooner. */
  pollIntervalMs: number;
  /** An endpoint failing for this long is disabled. */
  disableAfterSeconds: number;
  /** Events queued for a disabled endpoint are sent on re-enable if at most this old (services/webhooks/paused.ts). */
  pausedDays: number;
  /** Requests in flight per worker. */
  concurrency: number;
  /**
   * Requests in flight to one endpoint, counted across workers: a receiver
   * that hangs or crawls holds at most this many slots, never all of them.
   */
  endpointConcurrency: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A whole-number setting within [min, max], or `fallback` when unset. */
export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** METRICS_TOKEN: at least 16 characters, when set. */
function metricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < 16) throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  return token;
}

/** TRUST_PROXY: `false` (default), `true` (one proxy) or the number of proxies in front (1–10). */
function proxySettings(env: Env): { trustProxy: boolean; proxyHops: number } {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (raw && /^[0-9]+$/.test(raw)) {
    const hops = integer(env, 'TRUST_PROXY', 0, 0, 10);
    return { trustProxy: hops > 0, proxyHops: hops };
  }
  const trustProxy = bool(env, 'TRUST_PROXY', false);
  return { trustProxy, proxyHops: trustProxy ? 1 : 0 };
}

/** A `true`/`false` (or `1`/`0`) setting, or `fallback` when unset. */
export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be "true" or "false", got "${env[name]}"`);
}

/**
 * SEED_DEMO: on by default for the embedded database outside production; never
 * in production, where the demo users' published password would be an open door.
 */
function seedDemoSetting(env: Env, nodeEnv: string, databaseUrl: string | undefined): boolean {
  const seed = bool(env, 'SEED_DEMO', databaseUrl === undefined && nodeEnv !== 'production');
  if (seed && nodeEnv === 'production') throw new ConfigError('SEED_DEMO', 'cannot be true when NODE_ENV=production: the demo users have a published password');
  return seed;
}

/** WEBHOOK_ALLOW_PRIVATE: `true`/`false`, or a comma-separated list of CIDRs (a bare address is one host). */
function privateDestinations(env: Env): boolean | string[] {
  const raw = env.WEBHOOK_ALLOW_PRIVATE?.trim() ?? '';
  if (!/[./:]/.test(raw)) return bool(env, 'WEBHOOK_ALLOW_PRIVATE', false);
  const cidrs = raw.split(',').map((part) => part.trim()).filter(Boolean);
  for (const cidr of cidrs) {
    const [network = '', prefix] = cidr.split('/');
    const family = isIP(network);
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (!family || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      throw new ConfigError('WEBHOOK_ALLOW_PRIVATE', `must be true, false or comma-separated CIDR ranges such as 10.0.0.0/8, got "${cidr}"`);
    }
  }
  return cidrs;
}

/** About a day of retries: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (jittered when used). */
const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

export function retrySchedule(env: Env, name = 'WEBHOOK_RETRY_SCHEDULE', fallback = DEFAULT_RETRY_SCHEDULE): number[] {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.length > 20 || parts.some((part) => !/^\d+(\.\d+)?$/.test(part) || Number(part) > 7 * 86_400)) {
    throw new ConfigError(name, `must be up to 20 comma-separated delays in seconds (at most a week each), got "${raw}"`);
  }
  return parts.map(Number);
}

/**
 * In development the signing secret is generated once and kept beside the
 * embedded database, so tokens survive restarts without any setup.
 */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnv}"`);
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/./.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  }
  const dataDir = resolve(env.TASKBASE_DATA_DIR?.trim() || '.taskbase');

  let secret = env.JWT_SECRET;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  if (secret === undefined) {
    if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
    secret = developmentSecret(dataDir);
  }

  // The embedded database is one process with no promise of durability (docs/operations.md): production needs consent.
  if (nodeEnv === 'production' && databaseUrl === undefined && !bool(env, 'ALLOW_EMBEDDED_IN_PRODUCTION', false)) {
    throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production (the embedded database is for development; set ALLOW_EMBEDDED_IN_PRODUCTION=true to run it anyway)');
  }

  const logLevel = env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', `entry "${origin}" must be an origin such as https://app.example.com`);
    }
  }

  return {
    env: nodeEnv as Config['env'],
    port,
    host,
    databaseUrl,
    redisUrl,
    redisKeyPrefix: env.REDIS_KEY_PREFIX?.trim() || 'taskbase:',
    dataDir,
    jwt: {
      secret,
      issuer: env.JWT_ISSUER?.trim() || 'taskbase',
      audience: env.JWT_AUDIENCE?.trim() || 'taskbase-api',
      accessTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL', 900, 30, 86_400),
      refreshTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL', 30 * 86_400, 60, 365 * 86_400),
      embedTtlSeconds: integer(env, 'EMBED_TOKEN_TTL', 900, 30, 86_400),
    },
    bcryptCost: integer(env, 'BCRYPT_COST', 12, 4, 15),
    corsOrigins,
    logLevel,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 50 * 1_048_576),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 10, 1, 1000),
    loginMaxConcurrent: integer(env, 'LOGIN_MAX_CONCURRENT', 20, 1, 1000),
    loginWindowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    seedDemo: seedDemoSetting(env, nodeEnv, databaseUrl),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    dueRemindersIntervalSeconds: integer(env, 'DUE_REMINDERS_INTERVAL', 60, 0, 86_400),
    recurrenceIntervalSeconds: integer(env, 'RECURRENCE_INTERVAL', 60, 0, 86_400),
    remindersIntervalSeconds: integer(env, 'REMINDERS_INTERVAL', 30, 0, 86_400),
    embeddedAnalyzeIntervalSeconds: integer(env, 'EMBEDDED_ANALYZE_INTERVAL', 600, 0, 86_400),
    retention: {
      intervalSeconds: integer(env, 'RETENTION_INTERVAL', 3600, 0, 7 * 86_400),
      eventsDays: integer(env, 'RETENTION_EVENTS_DAYS', 30, 0, 36_500),
      webhookDeliveriesDays: integer(env, 'RETENTION_WEBHOOK_DELIVERIES_DAYS', 30, 0, 36_500),
      refreshTokensDays: integer(env, 'RETENTION_REFRESH_TOKENS_DAYS', 7, 0, 36_500),
      // Records are replayed for 24 hours (services/idempotency.ts): never prune sooner.
      idempotencyHours: integer(env, 'RETENTION_IDEMPOTENCY_HOURS', 24, 24, 24 * 365),
    },
    attachments: attachmentSettings(env, dataDir),
    dataJobsIntervalSeconds: integer(env, 'DATA_JOBS_INTERVAL', 5, 0, 86_400),
    exportTtlHours: integer(env, 'EXPORT_TTL_HOURS', 24, 1, 30 * 24),
    importMaxBytes: integer(env, 'IMPORT_MAX_BYTES', 512 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    email: emailSettings(env),
    idempotencyMaxResponseBytes: integer(env, 'IDEMPOTENCY_MAX_RESPONSE_BYTES', 65_536, 1024, 10 * 1_048_576),
    webhooks: {
      worker: bool(env, 'WEBHOOK_WORKER', true),
      allowPrivate: privateDestinations(env),
      retrySchedule: retrySchedule(env),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 50, 60_000),
      disableAfterSeconds: integer(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 86_400, 1, 90 * 86_400),
      pausedDays: integer(env, 'WEBHOOK_PAUSED_DAYS', 7, 1, 90),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 64, 1, 512),
      endpointConcurrency: integer(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 8, 1, 512),
    },
    ...proxySettings(env),
    metricsToken: metricsToken(env),
    allowSignup: bool(env, 'ALLOW_SIGNUP', true),
    realtimeLimits: {
      maxSocketsPerUser: integer(env, 'REALTIME_MAX_SOCKETS_PER_USER', 20, 1, 100_000),
      maxSocketsPerAddress: integer(env, 'REALTIME_MAX_SOCKETS_PER_ADDRESS', 500, 1, 1_000_000),
      messagesPerSecond: integer(env, 'REALTIME_MESSAGES_PER_SECOND', 20, 1, 10_000),
    },
    graphqlLimits: {
      maxAliases: integer(env, 'GRAPHQL_MAX_ALIASES', 30, 0, 1000),
      maxMutations: integer(env, 'GRAPHQL_MAX_MUTATIONS', 25, 1, 1000),
      maxStreamsPerUser: integer(env, 'GRAPHQL_MAX_STREAMS_PER_USER', 10, 1, 1000),
    },
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 20, 1, 500),
    databasePreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    embeddedSharedBuffersMb: integer(env, 'EMBEDDED_SHARED_BUFFERS_MB', DEFAULT_EMBEDDED_SHARED_BUFFERS_MB, 8, 4096),
    analyticsCacheSeconds: integer(env, 'ANALYTICS_CACHE_SECONDS', 5, 0, 3600),
    rateLimits: {
      perUser: integer(env, 'RATE_LIMIT_PER_MINUTE', 3000, 1, 10_000_000),
      perAddress: integer(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 600, 1, 10_000_000),
      flushIntervalMs: integer(env, 'RATE_LIMIT_SYNC_MS', 250, 10, 60_000),
    },
    appDir: resolve(env.TASKBASE_APP_DIR?.trim() || fileURLToPath(new URL('../../angular-shell/dist/browser', import.meta.url))),
    widgetsDir: resolve(env.TASKBASE_WIDGETS_DIR?.trim() || fileURLToPath(new URL('../../widgets', import.meta.url))),
  };
}
