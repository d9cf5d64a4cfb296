import type { IncomingMessage } from 'node:http';
import { DomainError } from '../domain/errors.js';
import type { Callers } from '../services/callers.js';
import type { Connection } from './connection.js';
import { CLOSE } from './protocol.js';

/** Close reasons for the refusals of `Callers.fromToken`, by their code. */
const REFUSALS: Record<string, [number, string]> = {
  token_expired: [CLOSE.unauthorized, 'token expired'],
  invalid_token: [CLOSE.unauthorized, 'invalid token'],
  unauthorized: [CLOSE.unauthorized, 'invalid token'],
  account_deactivated: [CLOSE.forbidden, 'account deactivated'],
  session_ended: [CLOSE.unauthorized, 'session ended'],
  origin_not_allowed: [CLOSE.forbidden, 'origin not allowed for this token'],
};

/**
 * Authenticates a socket (first frame or handshake) through the same code
 * as REST; a refusal closes it. The socket then lives as long as its token:
 * a fresh `auth` frame extends it. Answers whether the socket was
 * authenticated now (false when it closed or was already closing).
 */
export async function authenticateSocket(connection: Connection, token: string, callers: Callers): Promise<boolean> {
  let result;
  try {
    result = await callers.fromToken(token, connection.origin);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const [code, reason] = REFUSALS[error.code] ?? [CLOSE.unauthorized, 'invalid token'];
    connection.close(code, reason);
    return false;
  }
  const { caller, expiresAt } = result;
  const { viewer, ws } = connection;
  if (viewer && (viewer.userId !== caller.userId || viewer.workspaceId !== caller.workspaceId)) {
    connection.close(CLOSE.unauthorized, 'a socket cannot change user');
    return false;
  }
  if (ws.readyState !== ws.OPEN) return false;
  connection.auth = result;
  connection.viewer = caller; // the same object: a role change applied to the caller applies to what the socket sees
  clearTimeout(connection.expiryTimer);
  connection.expiryTimer = setTimeout(() => connection.close(CLOSE.unauthorized, 'token expired'), Math.max(0, expiresAt.getTime() - Date.now()));
  connection.send({ type: 'ack', op: 'auth', userId: caller.userId, expiresAt: expiresAt.toISOString() });
  return true;
}

/**
 * A token in the `Sec-WebSocket-Protocol` list (`bearer.<jwt>`). Not in the
 * URL: a `?token=` ends up in proxy and access logs (it is ignored; send it
 * as the subprotocol or in the first frame).
 */
export function handshakeToken(request: IncomingMessage): string | undefined {
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return protocols.find((p) => p.startsWith('bearer.'))?.slice('bearer.'.length) || undefined;
}
