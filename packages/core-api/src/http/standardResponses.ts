import { Type } from '@sinclair/typebox';
import { Problem, problem } from '../schemas/common.js';
import type { AnyRouteSpec, ResponseSpec } from './api.js';

/**
 * What every route of a kind answers besides its own responses, so the
 * OpenAPI document lists every status and header a client can meet (a
 * generated client cannot handle what it is not told). `http/api.ts` puts
 * every route through authentication, the rate limit, validation and, for
 * signed-in POSTs, `Idempotency-Key`: the answers of those steps are here.
 */

const integerHeader = (description: string, required = true) => ({ description, schema: Type.Integer(), required });
/** Sent with every answer that passed the rate limit, and with its 429. */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': integerHeader('Requests allowed in the current minute (per user, or per address without a token)'),
  'RateLimit-Remaining': integerHeader('Requests left in the current minute'),
  'RateLimit-Reset': integerHeader('Seconds until the minute ends'),
};
/** On other answers: present when the request got past the rate limit (a malformed body or a missing token is refused before it). */
const MAYBE_RATE_LIMIT_HEADERS = Object.fromEntries(Object.entries(RATE_LIMIT_HEADERS).map(([name, header]) => [name, { ...header, required: false }]));
const REPLAYED = { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key', schema: Type.Literal('true'), required: false };

/** A 412 answer: the problem, with the task as it is now (to merge with your change and retry). */
export const StaleVersionProblem = Type.Composite([Problem, Type.Object({ current: Type.Unknown({ description: 'The resource as it is now' }) })]);

const isIdempotent = (route: AnyRouteSpec) => route.method === 'post' && route.auth === 'user';
const readsIfMatch = (route: AnyRouteSpec) => Object.keys(route.headers ?? {}).some((name) => name.toLowerCase() === 'if-match');
const takesInput = (route: AnyRouteSpec) => !!(route.params || route.query || route.body || readsIfMatch(route) || isIdempotent(route));

/** The names of the standard answers, as shared components of the document. */
export const STANDARD_RESPONSE_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'IdempotencyInProgress',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Unprocessable',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/**
 * The route's responses with the standard ones added where the route does
 * not describe them itself; `standard` lists the statuses added (shared by
 * every route that has them).
 */
export function withStandardResponses(route: AnyRouteSpec): { responses: Record<number, ResponseSpec>; standard: Set<number> } {
  const standard = new Set<number>();
  const responses: Record<number, ResponseSpec> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const code = Number(status);
    // Every answer that passed the rate limit carries its headers; a success always did.
    const headers: NonNullable<ResponseSpec['headers']> = { ...(code < 300 ? RATE_LIMIT_HEADERS : MAYBE_RATE_LIMIT_HEADERS) };
    if (code === 429 || code === 503) headers['Retry-After'] = integerHeader('Seconds to wait');
    if (code < 300 && isIdempotent(route)) headers['Idempotent-Replayed'] = REPLAYED;
    responses[code] = { ...spec, headers: { ...headers, ...spec.headers } };
  }
  const add = (status: number, spec: ResponseSpec) => {
    if (responses[status]) return;
    responses[status] = { ...spec, headers: { ...MAYBE_RATE_LIMIT_HEADERS, ...spec.headers } };
    standard.add(status);
  };
  if (takesInput(route)) add(400, problem('The request does not have the documented shape: `errors` names each field'));
  if (route.auth !== 'public') add(401, problem('Missing, invalid or expired token'));
  if (route.roles || route.auth === 'user') add(403, problem('Not allowed for this caller (its role, or the origin its token is limited to)'));
  if (route.params) add(404, problem('No such resource in your workspace'));
  if (isIdempotent(route)) {
    add(409, { ...problem('A request with this Idempotency-Key is still being processed'), headers: { 'Retry-After': integerHeader('Seconds to wait', false) } });
    add(422, problem('Not possible as asked (the problem says why), or an Idempotency-Key reused with another body'));
  }
  if (readsIfMatch(route)) add(412, { description: 'The resource changed since the If-Match version: `current` holds it', schema: StaleVersionProblem });
  if (route.body) {
    add(413, problem('The body is larger than the limit'));
    add(415, problem('The body is not JSON (send Content-Type: application/json)'));
  }
  add(429, { ...problem('Too many requests: wait Retry-After seconds'), headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': integerHeader('Seconds to wait') } });
  add(503, { ...problem('The database is unavailable or busy: retry after Retry-After seconds'), headers: { 'Retry-After': integerHeader('Seconds to wait') } });
  return { responses, standard };
}

/** Request headers every route of a kind reads (added to its own). */
export function standardRequestHeaders(route: AnyRouteSpec): NonNullable<AnyRouteSpec['headers']> {
  return isIdempotent(route)
    ? {
        'Idempotency-Key': {
          description: 'Any unique string (1–255 visible ASCII characters): a retry with the same key and body within 24 hours replays the first answer',
          schema: Type.String({ minLength: 1, maxLength: 255 }),
        },
      }
    : {};
}
