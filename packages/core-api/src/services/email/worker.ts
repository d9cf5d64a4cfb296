import type { Knex } from 'knex';
import type { EmailConfig } from '../../emailSettings.js';
import type { Logger } from '../../logger.js';
import { EmailOutbox, type ClaimedEmail, type DigestPart } from './outbox.js';
import { renderDigest, renderSingle, type EmailTask, type RenderedEmail } from './templates.js';
import { UnsubscribeLinks, type UnsubscribeKind } from './unsubscribe.js';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

/** Sends one message or throws; the default is nodemailer over SMTP_URL. */
export type EmailTransport = (email: OutgoingEmail) => Promise<void>;

export function smtpTransport(smtpUrl: string): EmailTransport {
  // nodemailer is loaded by the first email, not at the start of every process.
  let transporter: Promise<{ sendMail(email: OutgoingEmail): Promise<unknown> }> | undefined;
  return async (email) => {
    transporter ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
    await (await transporter).sendMail(email);
  };
}

/**
 * The email worker, in the pattern of the webhook one: due outbox rows are
 * claimed under a lease (`FOR UPDATE SKIP LOCKED`), sent with no
 * transaction open, and each result recorded under that lease; a failure
 * is retried after EMAIL_RETRY_SCHEDULE's next delay, then given up. Held
 * digest rows whose period ended are first gathered into one row per user.
 * Woken by the event bus (every notification comes with an event) and by
 * a poll, which also lets digests fall due. `runOnce(now)` takes the clock,
 * so tests drive digests without waiting.
 */
export class EmailWorker {
  private readonly outbox: EmailOutbox;
  private readonly links: UnsubscribeLinks;
  private readonly transport: EmailTransport;
  private readonly domain: string;
  private pumping: Promise<unknown> | undefined;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    knex: Knex,
    private readonly config: EmailConfig,
    serverSecret: string,
    private readonly logger: Logger,
    transport?: EmailTransport,
  ) {
    if (!config.smtpUrl || !config.from) throw new Error('EmailWorker needs SMTP_URL and MAIL_FROM');
    this.outbox = new EmailOutbox(knex);
    this.links = new UnsubscribeLinks(serverSecret);
    this.transport = transport ?? smtpTransport(config.smtpUrl);
    this.domain = /@([^>\s]+)/.exec(config.from)?.[1] ?? 'taskbase.invalid';
  }

  start(bus?: { subscribe(listener: (event: { type: string }) => void): () => void }): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = bus?.subscribe(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.config.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.runOnce().catch((error: unknown) => this.logger.error({ err: error }, 'email worker pass failed'));
      } while (this.again && !this.stopped);
    })().finally(() => (this.pumping = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.pumping;
  }

  /** One pass at `now`: gathers due digests, then sends every due email. Returns how many were sent. */
  async runOnce(now = new Date()): Promise<number> {
    await this.outbox.gatherDigests(now);
    let sent = 0;
    for (;;) {
      const claimed = await this.outbox.claim(this.config.concurrency, now, 60);
      if (claimed.length === 0) return sent;
      const parts = await this.outbox.digestParts(claimed.filter((email) => email.kind === 'digest').map((email) => email.id));
      const results = await Promise.all(claimed.map((email) => this.deliver(email, parts.filter((part) => part.digestId === email.id))));
      sent += results.filter(Boolean).length;
      if (claimed.length < this.config.concurrency) return sent;
    }
  }

  private async deliver(email: ClaimedEmail, parts: DigestPart[]): Promise<boolean> {
    if (!email.to || !email.active) {
      await this.outbox.failed(email, 'the recipient has no email address or is deactivated', undefined);
      return false;
    }
    const unsubscribeKind: UnsubscribeKind = email.kind === 'digest' ? 'all' : (email.kind as UnsubscribeKind);
    const unsubscribeUrl = this.config.appUrl
      ? `${this.config.appUrl}/api/email/unsubscribe/${this.links.token({ workspaceId: email.workspaceId, userId: email.userId, kind: unsubscribeKind })}`
      : undefined;
    const rendered = this.render(email, parts, unsubscribeUrl);
    try {
      await this.transport({
        from: this.config.from!,
        to: email.to,
        ...rendered,
        // Stable per row: a receiver that sees a resend (a worker lost its lease mid-send) can tell.
        messageId: `<taskbase-${email.workspaceId}-${email.id}@${this.domain}>`,
        headers: unsubscribeUrl ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
      });
    } catch (error) {
      const retries = this.config.retrySchedule;
      const delay = email.attempts <= retries.length ? retries[email.attempts - 1]! * (0.8 + Math.random() * 0.4) : undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ emailId: email.id, attempt: email.attempts, error: message }, 'email not sent');
      await this.outbox.failed(email, message, delay);
      return false;
    }
    await this.outbox.sent(email);
    return true;
  }

  private render(email: ClaimedEmail, parts: DigestPart[], unsubscribeUrl: string | undefined): RenderedEmail {
    const withLink = (task: DigestPart['task']): EmailTask | undefined => task && { ...task, link: this.taskLink(email, task) };
    if (email.kind === 'digest') {
      return renderDigest({
        workspaceName: email.workspaceName,
        recipientName: email.recipientName,
        period: email.digest ?? 'daily',
        items: parts.map((part) => ({ kind: part.kind, message: part.message, task: withLink(part.task) })),
        unsubscribeUrl,
      });
    }
    return renderSingle({
      workspaceName: email.workspaceName,
      recipientName: email.recipientName,
      kind: email.kind,
      message: email.message,
      task: withLink(email.task),
      unsubscribeUrl,
    });
  }

  /** Embedded users open tasks in their host app (the workspace's taskUrlTemplate); others in this one (APP_URL). */
  private taskLink(email: ClaimedEmail, task: { id: number; identifier: string | null }): string | undefined {
    if (email.externalId && email.taskUrlTemplate) {
      return email.taskUrlTemplate
        .replaceAll('{identifier}', encodeURIComponent(task.identifier ?? String(task.id)))
        .replaceAll('{id}', String(task.id));
    }
    return this.config.appUrl ? `${this.config.appUrl}/tasks/${encodeURIComponent(task.identifier ?? String(task.id))}` : undefined;
  }
}
