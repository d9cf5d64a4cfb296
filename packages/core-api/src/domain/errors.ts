/** One field that failed validation: where it is and what is wrong with it. */
export interface FieldError {
  /** Dotted path inside the location, e.g. `title` or `items.3.dueDate`. */
  path: string;
  /** Where the field was sent. */
  in: 'body' | 'query' | 'path' | 'header';
  message: string;
}

export interface DomainErrorInit {
  code: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the answer (REST: of the problem document). */
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
 * A refusal or failure of the domain, in the words every layer shares: an
 * HTTP-style status, a stable machine code, and the fields at fault. REST
 * turns it into an RFC 9457 problem document, GraphQL into an error with
 * extensions, the WebSocket into an error frame. Its message is meant for
 * the client only below 500; a 5xx always answers with a generic detail.
 */
export class DomainError extends Error {
  readonly expose: boolean;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    readonly status: number,
    init: DomainErrorInit,
  ) {
    super(init.detail ?? TITLES[status] ?? 'Error');
    this.name = 'DomainError';
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
  new DomainError(400, { code: 'bad_request', detail, errors });
export const validationFailed = (errors: FieldError[]) =>
  new DomainError(400, {
    code: 'validation_failed',
    detail: `Invalid ${errors.map((e) => e.path || e.in).filter(unique).join(', ')}`,
    errors,
  });
export const fieldError = (path: string, message: string, location: FieldError['in'] = 'body') =>
  new DomainError(422, {
    code: 'validation_failed',
    detail: `${path}: ${message}`,
    errors: [{ path, in: location, message }],
  });
/** Several fields of a well-formed request that the data refuses (422), each named. */
export const fieldErrors = (errors: FieldError[]) =>
  new DomainError(422, { code: 'validation_failed', detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors });
export const unauthorized = (detail = 'Authentication is required', code = 'unauthorized') =>
  new DomainError(401, { code, detail, headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail = 'You are not allowed to do this') => new DomainError(403, { code: 'forbidden', detail });
export const notFound = (what = 'Resource') => new DomainError(404, { code: 'not_found', detail: `${what} not found` });
export const conflict = (detail: string, code = 'conflict') => new DomainError(409, { code, detail });
export const tooManyRequests = (retryAfterSeconds: number, detail = 'Too many requests; try again later') =>
  new DomainError(429, {
    code: 'rate_limited',
    detail,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
