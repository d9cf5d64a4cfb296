import { createServer, type IncomingMessage, type Server } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@taskbase/sdk';
import type { TaskbaseWebhookEvent, WebhookInbox } from './inbox.js';

/** Where Taskbase posts (the URL you register: `http://<host>:<port>/webhooks/taskbase`). */
export const WEBHOOK_PATH = '/webhooks/taskbase';
const MAX_BODY_BYTES = 1024 * 1024;
/** A wrong signature or an old timestamp is 401; a malformed request, 400. */
const REFUSED: Record<string, number> = { bad_signature: 401, stale_timestamp: 401 };

/**
 * The HTTP side of the consumer: verify the signature over the raw body,
 * hand the event to the inbox, answer 202 without waiting for the work.
 */
export function createWebhookServer(options: { secret: string; inbox: WebhookInbox }): Server {
  return createServer(async (req, res) => {
    const answer = (status: number, text = '') => res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    if (req.url !== WEBHOOK_PATH) return answer(404);
    if (req.method !== 'POST') return answer(405);
    const body = await readRawBody(req);
    if (body === undefined) return answer(413);
    let event: TaskbaseWebhookEvent;
    try {
      // The raw text, exactly as sent: parsed and re-serialized JSON would not verify.
      event = await verifyWebhook<TaskbaseWebhookEvent>(body, req.headers, options.secret);
    } catch (error) {
      // Not from Taskbase, or altered on the way: refuse, and say no more than why.
      if (error instanceof WebhookVerificationError && error.code !== 'bad_secret') return answer(REFUSED[error.code] ?? 400, error.code);
      console.error('webhook verification failed', error); // our secret or our code is wrong
      return answer(500);
    }
    const accepted = options.inbox.accept({ id: String(req.headers['webhook-id']), event });
    // Any 2xx tells Taskbase to stop retrying; a repeat is acknowledged the same way.
    answer(accepted ? 202 : 200, accepted ? 'queued' : 'already received');
  });
}

/** The request body as text, or undefined past the size limit. */
async function readRawBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
