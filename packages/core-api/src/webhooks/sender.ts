import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { UnsafeDestinationError, guardedLookup, isBlockedAddress } from '../services/webhooks/destinations.js';

/** Bytes of a response body read at most; the rest is discarded unread. */
export const RESPONSE_BODY_LIMIT = 2048;

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface SendResult {
  /** Undefined when no response arrived (timeout, refused, blocked). */
  statusCode: number | undefined;
  durationMs: number;
  error: string | undefined;
  /** The first RESPONSE_BODY_LIMIT bytes of the response. */
  responseBody: string | undefined;
  /** Seconds from Retry-After, when a 429 or 503 sent one. */
  retryAfterSeconds: number | undefined;
}

const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000 };
// Separate pools, so a socket opened without the guard is never reused under it.
const agents = {
  guarded: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
  open: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
};

/**
 * POSTs one webhook. Never follows redirects (a 3xx is just a failed
 * status), gives up after `timeoutMs` in all (connect, headers and body),
 * and reads at most RESPONSE_BODY_LIMIT bytes of the answer.
 */
export function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): SendResult => ({
    statusCode: undefined,
    durationMs: elapsed(),
    error,
    responseBody: undefined,
    retryAfterSeconds: undefined,
  });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(failed('invalid URL'));
  }
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') return Promise.resolve(failed('URL must use http or https'));
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivate && isIP(literal) && isBlockedAddress(literal)) {
    return Promise.resolve(failed(`blocked destination: ${literal} is a private, loopback or link-local address`));
  }
  const pool = request.allowPrivate ? agents.open : agents.guarded;

  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = (isHttps ? https : http).request(url, {
      method: 'POST',
      agent: isHttps ? pool.https : pool.http,
      ...(request.allowPrivate ? {} : { lookup: guardedLookup }),
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(request.body),
        'user-agent': 'Taskbase-Webhooks/1',
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(failed(`timed out after ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    req.on('error', (error) => {
      const blocked = error instanceof UnsafeDestinationError || (error as { cause?: unknown }).cause instanceof UnsafeDestinationError;
      finish(failed(blocked ? `blocked destination: ${error.message}` : `connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const statusCode = res.statusCode ?? 0;
        finish({
          statusCode,
          durationMs: elapsed(),
          error: statusCode >= 200 && statusCode < 300 ? undefined : `HTTP ${statusCode}`,
          responseBody: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8'),
          retryAfterSeconds: statusCode === 429 || statusCode === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined,
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_BODY_LIMIT) {
          // Enough: stop reading and drop the connection rather than drain it.
          done();
          res.destroy();
        }
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(request.body);
  });
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
