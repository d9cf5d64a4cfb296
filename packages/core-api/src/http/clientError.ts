import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemDocument } from './problem.js';
import { DomainError } from '../domain/errors.js';

/** Node's parser codes worth their own answer; anything else unparsable is a 400. */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_REQUEST_TIMEOUT: 408,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Requests Node's HTTP parser refuses before Koa sees them (headers or URL
 * over the 16 KB limit, bytes that are not HTTP) get the same problem
 * document as every other error, instead of Node's bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
    const problem = new DomainError(status, {
      code: status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'malformed_request',
      detail: status === 431 ? 'The request line and headers exceed 16 KB' : status === 408 ? 'The request took too long to arrive' : 'The request is not valid HTTP',
    });
    const body = JSON.stringify(problemDocument(problem, randomUUID()));
    socket.end(
      `HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n${body}`,
    );
  });
}
