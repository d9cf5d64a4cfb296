import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries expect. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** A webhook-id: unique per delivery, repeated on each of its retries. */
export function generateMessageId(): string {
  return `msg_${randomBytes(18).toString('base64url')}`;
}

/**
 * One Standard Webhooks signature: `v1,` and the base64 HMAC-SHA256, keyed
 * with the secret's base64-decoded bytes, of `id.timestamp.body`.
 */
export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  const digest = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/**
 * The three headers of one attempt. Several secrets (during a rotation's
 * overlap) give several space-separated signatures; a receiver accepts any.
 */
export function signatureHeaders(secrets: string[], messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => sign(secret, messageId, timestampSeconds, body)).join(' '),
  };
}
