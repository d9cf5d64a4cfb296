import { ConfigError, bool, integer, retrySchedule, type Env } from './config.js';

/** Email notifications: SMTP, links, the outbox worker. */
export interface EmailConfig {
  /** SMTP_URL (smtp:// or smtps://); undefined: no email is queued or sent. */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the From address, e.g. `Taskbase <taskbase@example.com>`. */
  from: string | undefined;
  /** APP_URL: the public URL of this server (the shell and /api): task and unsubscribe links start with it. */
  appUrl: string | undefined;
  /** EMAIL_WORKER: whether this API process sends queued email (`taskbase worker` always does). */
  worker: boolean;
  pollIntervalMs: number;
  /** Seconds to wait after each failed attempt; its length is the number of retries. */
  retrySchedule: number[];
  /** Emails in flight per worker. */
  concurrency: number;
  /** RETENTION_EMAIL_DAYS: sent and failed outbox rows are deleted after this many days (0: kept). */
  retentionDays: number;
}

/** SMTP_URL, MAIL_FROM, APP_URL and the email worker's settings. */
export function emailSettings(env: Env): EmailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/./.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'must be an smtp:// or smtps:// URL');
  const from = env.MAIL_FROM?.trim() || undefined;
  if (from !== undefined && (from.length > 320 || !/^[^\r\n]*@[^\r\n]+$/.test(from))) throw new ConfigError('MAIL_FROM', 'must be an address such as "Taskbase <taskbase@example.com>"');
  if (smtpUrl !== undefined && from === undefined) throw new ConfigError('MAIL_FROM', 'is required when SMTP_URL is set');
  const appUrl = env.APP_URL?.trim().replace(/\/+$/, '') || undefined;
  if (appUrl !== undefined && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(appUrl)) throw new ConfigError('APP_URL', 'must be an http(s) URL such as https://tasks.example.com');
  return {
    smtpUrl,
    from,
    appUrl,
    worker: bool(env, 'EMAIL_WORKER', true),
    pollIntervalMs: integer(env, 'EMAIL_POLL_INTERVAL_MS', 5000, 50, 600_000),
    // About a day: 30 s, 5 min, 30 min, 2 h, 6 h, 12 h.
    retrySchedule: retrySchedule(env, 'EMAIL_RETRY_SCHEDULE', [30, 300, 1800, 7200, 21_600, 43_200]),
    concurrency: integer(env, 'EMAIL_CONCURRENCY', 8, 1, 128),
    retentionDays: integer(env, 'RETENTION_EMAIL_DAYS', 30, 0, 36_500),
  };
}
