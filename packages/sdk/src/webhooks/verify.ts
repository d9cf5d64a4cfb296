import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from '../core/constants.js';
import { TaskbaseError } from '../core/errors.js';
import type { WebhookEvent } from '../types.js';

/** A webhook that failed verification: `code` says why (`missing_headers`, `bad_timestamp`, `stale_timestamp`, `bad_signature`, `bad_secret`). */
export class WebhookVerificationError extends TaskbaseError {}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Accepted age (either way) of `webhook-timestamp`, in seconds. Default `DEFAULT_WEBHOOK_TOLERANCE_SECONDS` (300). */
  toleranceSeconds?: number;
  /** The current time, for tests. Default `Date.now()`. */
  now?: number;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a webhook delivery the Standard Webhooks way (any compliant
 * sender works) and returns its parsed JSON payload; throws a
 * {@link WebhookVerificationError} otherwise. Pass the raw body exactly as
 * received: re-serialized JSON does not verify. Works in browsers, Node ≥ 20
 * and edge runtimes (Web Crypto).
 * @example
 * const event = await verifyWebhook(rawBody, request.headers, process.env.TASKBASE_WEBHOOK_SECRET);
 * if (event.type === 'task.created') console.log(event.data.task.title);
 */
export async function verifyWebhook<T = WebhookEvent>(
  body: string | Uint8Array,
  headers: HeaderSource,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header', { code: 'missing_headers' });
  }
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not a number of seconds', { code: 'bad_timestamp' });
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(`webhook-timestamp is more than ${tolerance} seconds away from now`, { code: 'stale_timestamp' });
  }
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const expected = await sign(secretBytes(secret), `${id}.${timestamp}.${text}`);
  const valid = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    return version === 'v1' && signature !== undefined && constantTimeEqual(safeBase64ToBytes(signature), expected);
  });
  if (!valid) throw new WebhookVerificationError('No webhook-signature matches the secret', { code: 'bad_signature' });
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new WebhookVerificationError('The webhook body is not JSON', { code: 'bad_body' });
  }
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

function secretBytes(secret: string): Uint8Array {
  if (typeof secret !== 'string' || !secret) throw new WebhookVerificationError('The webhook secret is empty', { code: 'bad_secret' });
  try {
    return base64ToBytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  } catch {
    throw new WebhookVerificationError('The webhook secret is not whsec_ followed by base64', { code: 'bad_secret' });
  }
}

async function sign(key: Uint8Array, content: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(content)));
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function safeBase64ToBytes(text: string): Uint8Array {
  try {
    return base64ToBytes(text);
  } catch {
    return new Uint8Array(0);
  }
}

/** Compares in time that depends only on the lengths, never on where the bytes differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}
