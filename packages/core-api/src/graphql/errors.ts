import { GraphQLError } from 'graphql';
import { fromDatabaseError } from '../domain/databaseErrors.js';
import { DomainError, type FieldError } from '../domain/errors.js';
import type { Logger } from '../logger.js';

/** The `extensions.code` values a GraphQL client can rely on. */
export type GraphqlErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The one place an HTTP status becomes a GraphQL error code. */
export function codeForStatus(status: number): GraphqlErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  // 412 is REST's stale If-Match: GraphQL says it with expectedVersion, as a conflict.
  if (status === 409 || status === 412) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'UNAVAILABLE';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Turns a service error into a GraphQL error. The REST problem code stays as
 * `reason`, offending fields as `errors: [{ path, message }]`, where `path`
 * starts with the GraphQL argument (`input.title`, `first`). 5xx messages are
 * never shown. Errors that are neither HTTP nor database errors are logged
 * and masked.
 */
export function toGraphqlError(error: unknown, logger?: Logger): GraphQLError {
  if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
  const original = error instanceof GraphQLError ? error.originalError : error;
  const http = original instanceof DomainError ? original : fromDatabaseError(original);
  if (!http || http.status >= 500) {
    if (!http) logger?.error({ err: original }, 'graphql resolver failed');
    const code = http ? codeForStatus(http.status) : 'INTERNAL_SERVER_ERROR';
    const message = code === 'UNAVAILABLE' ? 'The service is temporarily unavailable' : 'An unexpected error occurred';
    return withPath(new GraphQLError(message, { extensions: { code } }), error);
  }
  const extensions: Record<string, unknown> = { code: codeForStatus(http.status), reason: http.code };
  if (http.errors?.length) extensions.errors = http.errors.map(({ path, message }) => ({ path, message }));
  if (http.extra.currentVersion !== undefined) extensions.currentVersion = http.extra.currentVersion;
  if (http.status === 401) extensions.http = { status: 401, headers: http.headers };
  return withPath(new GraphQLError(http.message, { extensions }), error);
}

/** Keeps the location and path graphql-js gave the error it wrapped. */
function withPath(mapped: GraphQLError, source: unknown): GraphQLError {
  if (!(source instanceof GraphQLError)) return mapped;
  return new GraphQLError(mapped.message, {
    nodes: source.nodes,
    source: source.source,
    positions: source.positions,
    path: source.path,
    originalError: undefined,
    extensions: mapped.extensions,
  });
}

/** A VALIDATION_FAILED error naming one argument or input field. */
export function invalidArgument(path: string, message: string): DomainError {
  return new DomainError(400, { code: 'validation_failed', detail: `${path}: ${message}`, errors: [{ path, in: 'query', message }] });
}

/**
 * Runs a service call whose field errors name REST fields (`title`,
 * `cursor`), renaming them to the GraphQL argument they came from.
 */
export async function asArguments<T>(rename: (path: string) => string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw renameFields(error, rename);
  }
}

/** Same as `asArguments` for synchronous code (validators). */
export function renameFields(error: unknown, rename: (path: string) => string): unknown {
  if (!(error instanceof DomainError) || !error.errors) return error;
  const errors: FieldError[] = error.errors.map((e) => ({ ...e, path: rename(e.path) }));
  return new DomainError(error.status, {
    code: error.code,
    detail: `Invalid ${[...new Set(errors.map((e) => e.path))].join(', ')}`,
    errors,
    headers: error.headers,
    extra: error.extra,
  });
}

/** `title` → `input.title`; the list `cursor` → `after`; `limit` → `first`. */
export const underArgument =
  (argument: string) =>
  (path: string): string => {
    if (path === 'cursor') return 'after';
    if (path === 'limit') return 'first';
    return path ? `${argument}.${path}` : argument;
  };

/** Runs a REST validator on a GraphQL argument, naming fields under that argument. */
export function checkArgument<T>(validator: (value: unknown) => unknown, value: object, rename: (path: string) => string): T {
  try {
    return validator({ ...value }) as T;
  } catch (error) {
    throw renameFields(error, rename);
  }
}

/** In a filter, null means "not filtered", as an absent field does. */
export function withoutNulls(filter: object | null | undefined): object {
  return Object.fromEntries(Object.entries(filter ?? {}).filter(([, value]) => value !== null));
}
