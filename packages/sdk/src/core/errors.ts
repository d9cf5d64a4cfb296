import type { components } from '../generated/openapi.js';

/** RFC 9457 problem details, as every API error answers. */
export type Problem = components['schemas']['Problem'];
/** One offending field of a 400/422 answer. */
export type FieldError = NonNullable<Problem['errors']>[number];

interface ErrorInit {
  status?: number | undefined;
  code?: string | undefined;
  problem?: Problem | undefined;
  requestId?: string | undefined;
  headers?: Headers | undefined;
  cause?: unknown;
}

/**
 * The base of every error the SDK throws. API errors carry the HTTP status,
 * the stable `code`, the problem details and the request id to quote when
 * reporting a problem; client-side failures (connection, timeout, abort)
 * have no status.
 */
export class TaskbaseError extends Error {
  /** HTTP status, or undefined when no response arrived. */
  readonly status: number | undefined;
  /** Stable, machine-readable code (`validation_failed`, `not_found`, `connection_error`…). */
  readonly code: string;
  /** The problem details the server sent, when it answered. */
  readonly problem: Problem | undefined;
  /** The server's request id (`X-Request-Id`), when it answered. */
  readonly requestId: string | undefined;
  /** Response headers, when it answered. */
  readonly headers: Headers | undefined;

  constructor(message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code ?? init.problem?.code ?? 'unknown_error';
    this.problem = init.problem;
    this.requestId = init.requestId ?? init.problem?.requestId;
    this.headers = init.headers;
  }

  /** Offending fields of a 400/422 answer (empty otherwise). */
  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

/** 400 or 422: the input was refused; {@link TaskbaseError.fieldErrors} names every offending field. */
export class ValidationError extends TaskbaseError {}
/** 401: no token, a bad one, or an expired one that could not be renewed. */
export class AuthenticationError extends TaskbaseError {}
/** 403: authenticated, but not allowed. */
export class PermissionError extends TaskbaseError {}
/** 404: no such thing (or not visible to this caller). */
export class NotFoundError extends TaskbaseError {}
/** 409 or 412: a conflict, such as a stale `ifMatch`; `problem.current` holds the current task on 412. */
export class ConflictError extends TaskbaseError {}
/** 429: too many requests; {@link RateLimitError.retryAfterSeconds} says when to try again. */
export class RateLimitError extends TaskbaseError {
  get retryAfterSeconds(): number | undefined {
    const value = this.headers?.get('retry-after');
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  }
}
/** 5xx: the server failed. */
export class ServerError extends TaskbaseError {}
/** No response: the network failed or the server could not be reached. */
export class ConnectionError extends TaskbaseError {}
/** No response within the `timeout` option. */
export class TimeoutError extends ConnectionError {}
/** The caller's AbortSignal aborted the call. */
export class AbortError extends TaskbaseError {}
/** A GraphQL answer that carried `errors`. */
export class GraphQLError extends TaskbaseError {
  constructor(
    message: string,
    /** The `errors` array of the GraphQL answer. */
    readonly errors: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>,
    init: ErrorInit = {},
  ) {
    super(message, init);
  }
}

/** The one factory turning a status (and problem body) into the matching error class. */
export function errorFromResponse(status: number, body: unknown, headers: Headers): TaskbaseError {
  const problem = isProblem(body) ? body : undefined;
  const requestId = headers.get('x-request-id') ?? problem?.requestId ?? undefined;
  const message = problem ? `${problem.status} ${problem.code}: ${problem.detail}` : `HTTP ${status}`;
  const init: ErrorInit = { status, problem, requestId, headers, code: problem?.code ?? `http_${status}` };
  if (status === 400 || status === 422) return new ValidationError(message, init);
  if (status === 401) return new AuthenticationError(message, init);
  if (status === 403) return new PermissionError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409 || status === 412) return new ConflictError(message, init);
  if (status === 429) return new RateLimitError(message, init);
  if (status >= 500) return new ServerError(message, init);
  return new TaskbaseError(message, init);
}

function isProblem(body: unknown): body is Problem {
  return !!body && typeof body === 'object' && typeof (body as Problem).code === 'string' && typeof (body as Problem).status === 'number';
}
