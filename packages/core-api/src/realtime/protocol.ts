/** Close codes the server uses, beside the standard 1001 and 1009. */
export const CLOSE = {
  goingAway: 1001,
  unauthorized: 4401,
  forbidden: 4403,
  authTimeout: 4408,
  slowConsumer: 4008,
  tooMany: 4429,
} as const;

export type ClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'subscribe'; topic: unknown; since?: number }
  | { type: 'unsubscribe'; topic: unknown }
  | { type: 'ping' };

/** Parses a client frame; anything malformed or unknown is undefined. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!message || typeof message !== 'object') return undefined;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ping':
      return { type: 'ping' };
    case 'auth':
      return typeof m.token === 'string' && m.token.length <= 4096 ? { type: 'auth', token: m.token } : undefined;
    case 'subscribe':
      if (m.since !== undefined && !(Number.isSafeInteger(m.since) && (m.since as number) >= 0)) return undefined;
      return { type: 'subscribe', topic: m.topic, ...(m.since !== undefined ? { since: m.since as number } : {}) };
    case 'unsubscribe':
      return { type: 'unsubscribe', topic: m.topic };
    default:
      return undefined;
  }
}
