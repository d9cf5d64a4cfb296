import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import {
  UnsafeDestinationError,
  guardedLookupFor,
  isAllowedAddress,
  keepsResponseBodyOf,
  type PrivateDestinations,
} from '../services/webhooks/destinations.js';

/** Bytes of a response body read at most; the rest is discarded unread. */
export const RESPONSE_BODY_LIMIT = 2048;

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: which private destinations may be reached (never link-local or metadata ones). */
  allowPrivate: PrivateDestinations;
}

export interface SendResult {
  /** Undefined when no response arrived (timeout, refused, blocked). */
  statusCode: number | undefined;
  durationMs: number;
  error: string | undefined;
  /** The first RESPONSE_BODY_LIMIT bytes of the response; undefined from private addresses. */
  responseBody: string | undefined;
  /** Seconds from Retry-After, when a 429 or 503 sent one. */
  retryAfterSeconds: number | undefined;
}

const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000 };

/**
 * Connection pools and the lookup guard, one per policy: a socket opened
 * under a looser policy is never reused under a stricter one.
 */
const pools = new Map<string, { http: http.Agent; https: https.Agent; lookup: LookupFunction }>();
function poolFor(policy: PrivateDestinations) {
  const key = JSON.stringify(policy);
  let pool = pools.get(key);
  if (!pool) {
    pool = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions), lookup: guardedLookupFor(policy) };
    pools.set(key, pool);
  }
  return pool;
}

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
  // A literal address is connected to without any lookup, so the guard judges it here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isAllowedAddress(literal, request.allowPrivate)) {
    return Promise.resolve(failed(`blocked destination: ${literal} is a private, loopback, link-local or metadata address that is not allowed`));
  }
  const pool = poolFor(request.allowPrivate);

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
      lookup: pool.lookup,
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
      const keepBody = keepsResponseBodyOf(res.socket?.remoteAddress);
      const done = () => {
        const statusCode = res.statusCode ?? 0;
        finish({
          statusCode,
          durationMs: elapsed(),
          error: statusCode >= 200 && statusCode < 300 ? undefined : `HTTP ${statusCode}`,
          responseBody: keepBody ? Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8') : undefined,
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
