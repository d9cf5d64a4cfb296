/** One field that failed validation: where it is and what is wrong with it. */
export interface FieldError {
  /** Dotted path inside the location, e.g. `title` or `items.3.dueDate`. */
  path: string;
  /** Where the field was sent. */
  in: 'body' | 'query' | 'path' | 'header';
  message: string;
}

export interface ProblemInit {
  code: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members added to the problem document. */
  extra?: Record<string, unknown>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An error that becomes an RFC 9457 problem response. Its message is shown
 * to the client only for 4xx; a 5xx always answers with a generic detail.
 */
export class HttpError extends Error {
  readonly expose: boolean;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    readonly status: number,
    init: ProblemInit,
  ) {
    super(init.detail ?? TITLES[status] ?? 'Error');
    this.name = 'HttpError';
    this.expose = status < 500;
    this.code = init.code;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extra = init.extra ?? {};
  }

  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpError(400, { code: 'bad_request', detail, errors });
export const validationFailed = (errors: FieldError[]) =>
  new HttpError(400, {
    code: 'validation_failed',
    detail: `Invalid ${errors.map((e) => e.path || e.in).filter(unique).join(', ')}`,
    errors,
  });
export const fieldError = (path: string, message: string, location: FieldError['in'] = 'body') =>
  new HttpError(422, {
    code: 'validation_failed',
    detail: `${path}: ${message}`,
    errors: [{ path, in: location, message }],
  });
export const unauthorized = (detail = 'Authentication is required', code = 'unauthorized') =>
  new HttpError(401, { code, detail, headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail = 'You are not allowed to do this') => new HttpError(403, { code: 'forbidden', detail });
export const notFound = (what = 'Resource') => new HttpError(404, { code: 'not_found', detail: `${what} not found` });
export const conflict = (detail: string, code = 'conflict') => new HttpError(409, { code, detail });
export const tooManyRequests = (retryAfterSeconds: number, detail = 'Too many requests; try again later') =>
  new HttpError(429, {
    code: 'rate_limited',
    detail,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
}

/**
 * Maps a database error to an HTTP error, or returns undefined when it is not
 * one the client caused. The database's own message never reaches a client.
 */
export function fromDatabaseError(error: unknown): HttpError | undefined {
  // Objection wraps driver errors; the SQLSTATE is on the original.
  const pg = ((error as { nativeError?: PgError })?.nativeError ?? error) as PgError;
  switch (pg?.code) {
    case '23505':
      return conflict('A record with these values already exists', 'already_exists');
    case '23503':
      return new HttpError(422, { code: 'invalid_reference', detail: 'A referenced record does not exist' });
    case '23502':
    case '23514':
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22021':
      return badRequest('A value is out of range or malformed');
    case '40001':
    case '40P01':
      return new HttpError(503, { code: 'retry', detail: 'Conflicting concurrent update; retry', headers: { 'Retry-After': '1' } });
    default:
      return isDatabaseUnavailable(error)
        ? new HttpError(503, { code: 'unavailable', detail: 'The service is temporarily unavailable', headers: { 'Retry-After': '2' } })
        : undefined;
  }
}

/** Socket errors and SQLSTATEs of a database that is down, restarting or unreachable. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/**
 * True when the database could not be reached or dropped the connection
 * (a restart, a failover): the request may succeed if retried, so it is a
 * 503, not a 500. pg reports a connection closed mid-query by message only.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const e = ((error as { nativeError?: unknown })?.nativeError ?? error) as { code?: string; name?: string; message?: string };
  return (
    UNAVAILABLE_CODES.has(e?.code ?? '') ||
    e?.name === 'KnexTimeoutError' ||
    /^Connection terminated|Client has encountered a connection error|Connection ended/i.test(e?.message ?? '')
  );
}

export function isUniqueViolation(error: unknown): boolean {
  const pg = ((error as { nativeError?: PgError })?.nativeError ?? error) as PgError;
  return pg?.code === '23505';
}

/** The RFC 9457 document for `error`, as every response of the API writes it. */
export function problemDocument(error: HttpError, requestId: string) {
  return {
    type: `https://taskbase.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    detail: error.expose ? error.message : 'An unexpected error occurred',
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
    requestId,
  };
}
