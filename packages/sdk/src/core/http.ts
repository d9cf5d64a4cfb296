import type { Credentials } from './credentials.js';
import { AbortError, ConnectionError, TaskbaseError, TimeoutError, errorFromResponse } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { queryString } from '../internal/path.js';
import { backoffDelay, delay, randomId, retryAfterMs } from '../internal/timing.js';

/** Per-call options every resource method accepts as its last argument. */
export interface RequestOptions {
  /** Aborts the call (and its retries); it rejects with an {@link AbortError}. */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms, overriding the client's. */
  timeout?: number;
  /** Retries for this call, overriding the client's. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** The Idempotency-Key of a POST; by default a random one, the same for every retry. */
  idempotencyKey?: string;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: object | undefined;
  body?: unknown;
  /** A multipart body, sent as is (fetch sets its content-type and boundary). */
  form?: FormData;
  /** Sends this request instead of the client's fetch (an upload's progress). */
  fetch?: typeof fetch | undefined;
  headers?: Record<string, string> | undefined;
  /** Whether to send the access token. Default true. */
  auth?: boolean;
  /** Whether a failed attempt may be repeated. Default: every method but PATCH. */
  retry?: boolean;
  options?: RequestOptions | undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

const RETRY_STATUSES = new Set([429, 503]);

/**
 * Sends API requests: auth header, JSON, Idempotency-Key on POSTs, timeouts,
 * abort, typed errors, and retries with backoff for calls safe to repeat.
 */
export class HttpClient {
  constructor(
    readonly options: ResolvedOptions,
    readonly credentials: Credentials,
  ) {}

  async request<T>(request: ApiRequest): Promise<T> {
    const { options: call = {}, method } = request;
    const maxRetries = call.maxRetries ?? this.options.maxRetries;
    const retryable = request.retry ?? method !== 'PATCH';
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...request.headers, ...call.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    // One key for every attempt: the server replays the first answer instead of acting twice.
    if (method === 'POST') headers['idempotency-key'] = call.idempotencyKey ?? randomId();
    const url = this.options.baseUrl + request.path + queryString(request.query);
    const body = request.form ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    let renewed = false;
    let renewedToken: string | undefined;

    for (let attempt = 0; ; attempt++) {
      const token = request.auth === false ? undefined : (renewedToken ?? (await this.credentials.get()));
      renewedToken = undefined;
      if (token) headers.authorization = `Bearer ${token}`;
      else if (request.auth !== false) delete headers.authorization;
      let answer: Answer;
      try {
        // Cookies (a browser session's) go only to the page's own origin: fetch's default, said explicitly.
        answer = await this.send(url, { method, headers, body, credentials: 'same-origin' }, call, request.fetch);
      } catch (error) {
        if (!retryable || attempt >= maxRetries || error instanceof AbortError) throw error;
        await this.wait(backoffDelay(attempt, this.options.retryBaseDelay, this.options.retryMaxDelay), call.signal);
        continue;
      }
      if (answer.status < 300) return answer.body as T;
      if (answer.status === 401 && token && !renewed) {
        renewed = true;
        const fresh = await this.credentials.renew();
        if (fresh && fresh !== token) {
          renewedToken = fresh;
          attempt--; // a renewal is not a retry
          continue;
        }
      }
      const error = errorFromResponse(answer.status, answer.body, answer.headers);
      if (!retryable || attempt >= maxRetries || !RETRY_STATUSES.has(answer.status)) throw error;
      const wait = retryAfterMs(answer.headers.get('retry-after')) ?? backoffDelay(attempt, this.options.retryBaseDelay, this.options.retryMaxDelay);
      if (wait > this.options.retryMaxDelay) throw error;
      await this.wait(wait, call.signal);
    }
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await delay(ms, signal);
    } catch (reason) {
      throw new AbortError('The request was aborted', { code: 'aborted', cause: reason });
    }
  }

  /** One attempt, body included, under the timeout and the caller's signal. */
  private async send(url: string, init: RequestInit, call: RequestOptions, fetcher = this.options.fetch): Promise<Answer> {
    const { signal } = call;
    if (signal?.aborted) throw new AbortError('The request was aborted', { code: 'aborted', cause: signal.reason });
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timeout = call.timeout ?? this.options.timeout;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    try {
      const response = await fetcher(url, { ...init, signal: controller.signal });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      let body: unknown = text || undefined;
      if (text && /json/.test(type)) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      return { status: response.status, headers: response.headers, body };
    } catch (error) {
      if (error instanceof TaskbaseError) throw error;
      if (signal?.aborted) throw new AbortError('The request was aborted', { code: 'aborted', cause: signal.reason });
      if (timedOut) throw new TimeoutError(`No response within ${timeout} ms (${init.method} ${url})`, { code: 'timeout', cause: error });
      throw new ConnectionError(`Could not reach ${url}: ${(error as Error)?.message ?? error}`, { code: 'connection_error', cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
